"""Template filters of the policy pages: exact 万元 amounts and facts as people read them."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.money import fen_to_wan
from policies.rules.facts import FACTS_BY_COLUMN, Type

register = template.Library()


@register.filter
def wan_exact(fen):
    """Fen as 万元 with every significant decimal (at least two): 12_345_678 → 12.345678."""
    value = fen_to_wan(fen)
    if value is None:
        return "—"
    decimals = max(2, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def fact_label(column: str) -> str:
    fact = FACTS_BY_COLUMN.get(column)
    return str(fact.label) if fact else column


@register.filter
def fact_value(value, column: str) -> str:
    """A fact value of a test case: money in 万元, yes/no, or as stored."""
    fact = FACTS_BY_COLUMN.get(column)
    if value is None:
        return "—"
    if fact and fact.type is Type.MONEY and isinstance(value, int):
        return _("%(amount)s (10,000 yuan)") % {"amount": wan_exact(value)}
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)
