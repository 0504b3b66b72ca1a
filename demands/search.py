"""Finding demands by number, title or enterprise name from the workbench search box."""

from __future__ import annotations

import re

from django.db.models import Q

from enterprises.models import Enterprise

_NUMBER_PREFIX = re.compile(r"^[A-Z]{2}\d{4,}[A-Z0-9]*$")


def text_condition(text: str) -> Q:
    """The condition for one search text.

    A demand number or its start (SQ2026…) is an index range on the number; other text
    matches the title, or the name of the enterprise through the (small) enterprise table,
    so a million demands are not joined to their enterprises to be searched.
    """
    code = text.upper()
    if _NUMBER_PREFIX.match(code):
        return Q(number__gte=code, number__lt=code[:-1] + chr(ord(code[-1]) + 1))
    # Chinese has no letter case: plain LIKE avoids a per-row UPPER() on PostgreSQL.
    lookup = "contains" if text == text.lower() == text.upper() else "icontains"
    enterprises = Enterprise.objects.filter(**{f"name__{lookup}": text}).order_by().values("pk")
    condition = Q(**{f"title__{lookup}": text}) | Q(enterprise_id__in=enterprises)
    if any(ch.isdigit() for ch in text):
        condition |= Q(number__contains=code)
    return condition
