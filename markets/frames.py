"""The columns the matching engine compares, read from the database as numpy arrays.

A frame is a dict of equal-length arrays, one per column named in markets/criteria.py,
plus ``id``.  Numbers are float64 with NaN for "not given"; sets are int64 bit masks
(0 for "any"); codes are int64 (-1 for "not given").  Only live listings are loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
from django.utils import timezone

from enterprises.models import SizeClass
from reference.models import IndustryGroup

from .models import (
    LIVE_LISTING,
    OPEN_NEED,
    Collateral,
    FinancialProduct,
    FinancingNeed,
    Investor,
    Market,
    Purpose,
    SpaceListing,
    Stage,
    TalentProject,
)

Frame = dict[str, np.ndarray]


def _bits(vocabulary: Iterable[str]) -> dict[str, int]:
    return {code: 1 << i for i, code in enumerate(vocabulary)}


PURPOSE_BITS = _bits(Purpose.values)
COLLATERAL_BITS = _bits(Collateral.values)
SIZE_BITS = _bits(SizeClass.values)
STAGE_BITS = _bits(Stage.values)
DEAL_CODES = {"rent": 0, "sale": 1}


def mask(codes, bits: dict[str, int]) -> int:
    """One bit per code; a single code (a str) is a set of one."""
    if isinstance(codes, str):
        codes = [codes]
    return sum(bits.get(code, 0) for code in set(codes or ()))


def _frame(columns: dict[str, list], floats: Iterable[str]) -> Frame:
    frame = {}
    for name, values in columns.items():
        if name in floats:
            frame[name] = np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
        else:
            frame[name] = np.array(values, dtype=np.int64)
    return frame


def _rows(qs, fields: list[str]) -> dict[str, list]:
    rows = list(qs.values_list(*fields))
    return {name: [row[i] for row in rows] for i, name in enumerate(fields)}


def _today() -> dt.date:
    return timezone.localdate()


def _industry_bits() -> dict[str, int]:
    return _bits(IndustryGroup.objects.order_by("id").values_list("code", flat=True))


# --- Financing ------------------------------------------------------------------------------


def finance_needs(ids=None) -> Frame:
    qs = FinancingNeed.objects.filter(status__in=OPEN_NEED, expires_on__gte=_today())
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    raw = _rows(qs, ["id", "amount_fen", "term_months", "purpose", "collateral", "enterprise__size_class"])
    return _frame({
        "id": raw["id"], "amount": raw["amount_fen"], "term": raw["term_months"],
        "purpose": [PURPOSE_BITS.get(p, 0) for p in raw["purpose"]],
        "collateral": [COLLATERAL_BITS.get(c, 0) for c in raw["collateral"]],
        "size": [SIZE_BITS.get(s or "", 0) for s in raw["enterprise__size_class"]],
    }, floats={"amount", "term"})


def finance_offers(ids=None) -> Frame:
    qs = FinancialProduct.objects.filter(is_active=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    raw = _rows(qs, ["id", "min_amount_fen", "max_amount_fen", "min_term_months", "max_term_months", "purposes",
                     "collateral", "sizes"])
    return _frame({
        "id": raw["id"], "min_amount": raw["min_amount_fen"], "max_amount": raw["max_amount_fen"],
        "min_term": raw["min_term_months"], "max_term": raw["max_term_months"],
        "purposes": [mask(p, PURPOSE_BITS) for p in raw["purposes"]],
        "collateral": [mask(c, COLLATERAL_BITS) for c in raw["collateral"]],
        "sizes": [mask(s, SIZE_BITS) for s in raw["sizes"]],
    }, floats={"min_amount", "max_amount", "min_term", "max_term"})


# --- Factory space ---------------------------------------------------------------------------

_SPACE_FIELDS = ["id", "deal", "town_id", "area_min_m2", "area_max_m2", "floor_min", "floor_max", "height_m",
                 "load_kg_m2", "power_kva", "price_min_fen", "price_max_fen"]
_SPACE_FLOATS = {"area_min", "area_max", "floor_min", "floor_max", "height", "load", "power", "price",
                 "price_min", "price_max"}


def _space(side: str, ids) -> Frame:
    qs = SpaceListing.objects.filter(side=side, status__in=LIVE_LISTING, expires_on__gte=_today())
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    raw = _rows(qs, _SPACE_FIELDS)
    columns = {
        "id": raw["id"], "deal": [DEAL_CODES[d] for d in raw["deal"]],
        "town": [-1 if t is None else t for t in raw["town_id"]],
        "area_min": raw["area_min_m2"], "area_max": raw["area_max_m2"],
        "floor_min": raw["floor_min"], "floor_max": raw["floor_max"],
        "height": raw["height_m"], "load": raw["load_kg_m2"], "power": raw["power_kva"],
        "price_min": raw["price_min_fen"], "price_max": raw["price_max_fen"],
        "price": raw["price_min_fen"],  # an offer asks one price
    }
    return _frame(columns, floats=_SPACE_FLOATS)


def space_needs(ids=None) -> Frame:
    return _space(SpaceListing.Side.DEMAND, ids)


def space_offers(ids=None) -> Frame:
    return _space(SpaceListing.Side.SUPPLY, ids)


# --- Talent and capital ----------------------------------------------------------------------


def talent_needs(ids=None) -> Frame:
    qs = TalentProject.objects.filter(status__in=LIVE_LISTING, expires_on__gte=_today())
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    bits = _industry_bits()
    raw = _rows(qs, ["id", "industry__code", "stage", "funding_fen"])
    return _frame({
        "id": raw["id"], "industry": [bits.get(c, 0) for c in raw["industry__code"]],
        "stage": [STAGE_BITS.get(s, 0) for s in raw["stage"]], "funding": raw["funding_fen"],
    }, floats={"funding"})


def talent_offers(ids=None) -> Frame:
    qs = Investor.objects.filter(status__in=LIVE_LISTING, expires_on__gte=_today())
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    bits = _industry_bits()
    raw = _rows(qs, ["id", "industries", "stages", "min_amount_fen", "max_amount_fen"])
    return _frame({
        "id": raw["id"], "industries": [mask(i, bits) for i in raw["industries"]],
        "stages": [mask(s, STAGE_BITS) for s in raw["stages"]],
        "min_amount": raw["min_amount_fen"], "max_amount": raw["max_amount_fen"],
    }, floats={"min_amount", "max_amount"})


LOADERS = {
    Market.FINANCE: (finance_needs, finance_offers),
    Market.SPACE: (space_needs, space_offers),
    Market.TALENT: (talent_needs, talent_offers),
}
