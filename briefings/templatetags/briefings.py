"""Printing the frozen values of an issue: msgid labels in the reader's language, formatted numbers."""

from django import template
from django.utils.translation import gettext

from ..formatting import display

register = template.Library()


@register.filter
def msg(msgid: str) -> str:
    """A label stored as its English msgid, in the reader's language."""
    return gettext(msgid) if msgid else ""


@register.filter
def shown(item: dict) -> str:
    """A figure or a cell: its value in its format (85.3%, +12.5%, 万元 …)."""
    return display(item.get("value"), item.get("format", "count"))
