"""Finding demands by number, title or enterprise name from the workbench search box."""

from __future__ import annotations

import re

from django.db.models import Q

from enterprises.models import Enterprise
from enterprises.search import search_enterprises

from .models import Demand

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
        return _number_prefix(code)
    # Chinese has no letter case: plain LIKE avoids a per-row UPPER() on PostgreSQL.
    lookup = "contains" if text == text.lower() == text.upper() else "icontains"
    # The enterprise as the registry finds it: name, former name, credit code or initials.
    enterprises = search_enterprises(Enterprise.objects.all(), text).order_by().values("pk")
    condition = Q(**{f"title__{lookup}": text}) | Q(enterprise_id__in=enterprises)
    if any(ch.isdigit() for ch in text):
        condition |= Q(number__contains=code)
    return condition


# A number prefix matching at most this many demands is looked up first and given as ids.
NUMBER_IDS_MAX = 2000


def _number_prefix(code: str) -> Q:
    """The demands whose number starts with ``code``: an index range on the unique number.

    Combined with a town clerk's scope (an OR over town and units) the databases chose the
    scope's indexes and checked every one of the town's demands; a precise prefix
    (SQ2026D00001) is therefore resolved first — at most a few thousand ids, read from the
    number index alone — and a short one (SQ2026) stays a range.
    """
    in_range = Q(number__gte=code, number__lt=code[:-1] + chr(ord(code[-1]) + 1))
    ids = list(Demand.objects.filter(in_range).order_by().values_list("pk", flat=True)[: NUMBER_IDS_MAX + 1])
    return Q(pk__in=ids) if len(ids) <= NUMBER_IDS_MAX else in_range
