"""How a frozen value is printed, the same on the web page, in Word and in the PDF."""

from __future__ import annotations

from django.utils.translation import gettext

from core.money import fen_to_wan

DASH = "—"


def display(value, fmt: str) -> str:
    """``count`` 12, ``rate`` 85.3%, ``change`` +12.5%, ``money`` in 万元, ``label`` an msgid, ``text`` as is."""
    if value is None or value == "":
        return DASH if fmt not in ("text", "label") else ""
    if fmt == "rate":
        return f"{value}%"
    if fmt == "change":
        return f"{value:+.1f}%"
    if fmt == "money":
        return gettext("%(amount)s ten thousand yuan") % {"amount": fen_to_wan(value)}
    if fmt == "label":
        return gettext(value)
    return str(value)


def part_text(parts: list[dict]) -> str:
    """The numerator and denominator of a rate, e.g. "Answered 12 · Routed 15"."""
    return " · ".join(f"{gettext(p['label'])} {display(p['value'], 'count')}" for p in parts)
