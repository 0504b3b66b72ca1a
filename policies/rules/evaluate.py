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
