"""Finding enterprises by name, credit code or pinyin initials (拼音首字母)."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from pypinyin import Style, lazy_pinyin

import core.lookups  # noqa: F401  registers the ``like`` lookup

_LETTERS = re.compile(r"^[a-z]+$")
_CODE_PREFIX = re.compile(r"^[0-9A-Z]{4,18}$")


def initials_of(name: str) -> str:
    """Lower-case pinyin initials of a name: 慈溪市宏达电器有限公司 → cxshddqyxgs.

    Letters and digits in the name are kept as they are (lower-cased); other
    characters are dropped.
    """
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(ch for ch in "".join(letters).lower() if ch.isalnum())


def search_enterprises(qs: QuerySet, text: str) -> QuerySet:
    """Filter by name, former name, credit-code prefix or initials.

    Initials match as an ordered subsequence, so ``cxdq`` finds 慈溪…电器
    (c-x-…-d-q) as staff type it.
    """
    text = (text or "").strip()
    if not text:
        return qs
    code = text.upper()
    if _CODE_PREFIX.match(code) and len(code) >= 6 and sum(ch.isdigit() for ch in code) >= 4:
        # A credit code (or its start): an index range, no scan of names.
        return qs.filter(credit_code__gte=code, credit_code__lt=code[:-1] + chr(ord(code[-1]) + 1))
    lowered = text.lower()
    if _LETTERS.match(lowered):
        # The initials keep a name's Latin letters in order, so this also finds "ABC" in 宁波ABC电器:
        # one LIKE per row instead of three.
        return qs.filter(Q(name_initials__like="%" + "%".join(lowered) + "%") | Q(former_names__icontains=text))
    # Chinese has no letter case: plain LIKE avoids a per-row UPPER() on PostgreSQL.
    lookup = "contains" if text == text.lower() == text.upper() else "icontains"
    condition = Q(**{f"name__{lookup}": text}) | Q(**{f"former_names__{lookup}": text})
    if _CODE_PREFIX.match(code) and any(ch.isdigit() for ch in text):
        condition |= Q(credit_code__startswith=code)
    return qs.filter(condition)
