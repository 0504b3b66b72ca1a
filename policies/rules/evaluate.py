"""Evaluating a compiled rule on one subject (a dict of facts keyed by column)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from .errors import RuleError
from .facts import Fact, Type


def read_fact(fact: Fact, facts: dict[str, Any]) -> Any:
    """The fact's value as the nodes expect it (Fraction for numbers), None if missing."""
    value = facts.get(fact.column)
    if value is None:
        return None
    if type(value) is Fraction and fact.type in (Type.MONEY, Type.NUMBER):  # already read (see prepare_facts)
        return value
    if fact.type is Type.BOOL:
        if isinstance(value, bool):
            return value
    elif fact.type is Type.STRING:
        if isinstance(value, str):
            return value
    elif fact.type is Type.MONEY:
        if isinstance(value, int) and not isinstance(value, bool):
            return Fraction(value)
    elif isinstance(value, int | Decimal | Fraction | str) and not isinstance(value, bool):
        if isinstance(value, str):
            value = Decimal(value)
        return Fraction(value)
    elif isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    raise RuleError(_("The fact “%(column)s” should be of type “%(type)s”, not %(value)r.")
                    % {"column": fact.column, "type": fact.type.label, "value": value})


def prepare_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts with every declared number read once (Fractions), for evaluating many rules on them."""
    from .facts import FACTS_BY_COLUMN

    prepared = dict(facts)
    for column, value in facts.items():
        fact = FACTS_BY_COLUMN.get(column)
        if fact is not None and value is not None and fact.type in (Type.MONEY, Type.NUMBER):
            prepared[column] = read_fact(fact, facts)
    return prepared
