"""Template filters for money, masking and query strings."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from core.money import fen_to_wan

register = template.Library()


@register.filter
def wan(fen):
    """Format fen as 万元 with up to two decimals shown (exact value in the title)."""
    value = fen_to_wan(fen)
    if value is None:
        return "—"
    return number_format(value.quantize(value.__class__("0.01")), decimal_pos=2, use_l10n=True, force_grouping=True)


@register.filter
def masked_phone(phone: str, show: bool):
    """138****5678 unless the viewer's role needs the full number."""
    if show or not phone:
        return phone
    if len(phone) <= 7:
        return phone[:2] + "*" * (len(phone) - 2)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"
