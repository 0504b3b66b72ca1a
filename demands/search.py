"""Finding demands by number, title or enterprise name from the workbench search box."""

from __future__ import annotations

import re

from django.db.models import Q

from enterprises.models import Enterprise
from enterprises.search import search_enterprises

_NUMBER_PREFIX = re.compile(r"^[A-Z]{2}\d{4,}[A-Z0-9]*$")


def text_condition(text: str) -> Q:
    """The condition for one search text.

    A demand number or its start (SQ2026…) is an index range on the number; other text
    matches the title, or the enterprise (name, credit code, initials) through the (small)
    enterprise table,
    so a million demands are not joined to their enterprises to be searched.
    """
    code = text.upper()
    if _NUMBER_PREFIX.match(code):
        return Q(number__gte=code, number__lt=code[:-1] + chr(ord(code[-1]) + 1))
    # Chinese has no letter case: plain LIKE avoids a per-row UPPER() on PostgreSQL.
    lookup = "contains" if text == text.lower() == text.upper() else "icontains"
    # The enterprise as the registry finds it: name, former name, credit code or initials.
    enterprises = search_enterprises(Enterprise.objects.all(), text).order_by().values("pk")
    condition = Q(**{f"title__{lookup}": text}) | Q(enterprise_id__in=enterprises)
    if any(ch.isdigit() for ch in text):
        condition |= Q(number__contains=code)
    return condition
