"""What makes a need and an offer fit, per market, as data.

Each market lists its criteria: which columns of the need and of the offer are
compared, how (:class:`Kind`), how much the criterion weighs and the sentence that
explains it.  The engine in markets/matching.py reads nothing else, so adding a
criterion or a market means adding rows here (and a loader that fills the columns).

How a criterion is met (1 met, 0.5 partly, 0 not):

* WITHIN — a value against a range [low, high] (either side may hold the value):
  inside is met; within ``TOLERANCE`` of the nearest bound is partly met.  An empty
  bound is open; an empty value is met (nothing asked).
* OVERLAP — a range against a range: the offer covering the need's range is met,
  ranges that only intersect are partly met.
* MEMBER — sets as bit masks: a shared member is met; an empty set on either side
  means "any" and is met.
* SAME — one code each (a town): equal is met; no code on the need side is met.
* AT_LEAST — the offer's value must reach the need's minimum: reached is met, within
  ``TOLERANCE`` below it (or not stated by the offer) is partly met.

The score is 100 × Σ weight × fraction / Σ weight, rounded; a *required* criterion
that is not met at all rules the pair out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext_lazy as _

from .models import Market

TOLERANCE = 0.2


class Kind(Enum):
    WITHIN = "within"
    OVERLAP = "overlap"
    MEMBER = "member"
    SAME = "same"
    AT_LEAST = "at_least"


@dataclass(frozen=True)
class Criterion:
    key: str
    kind: Kind
    need: tuple[str, ...]
    offer: tuple[str, ...]
    weight: int
    label: str
    required: bool = False


@dataclass(frozen=True)
class MarketRules:
    market: str
    criteria: tuple[Criterion, ...]
    min_score: int  # pairs below it are not stored
    top: int  # a full re-match keeps at most this many offers per need


C, K = Criterion, Kind

RULES: dict[str, MarketRules] = {
    Market.FINANCE: MarketRules(Market.FINANCE, (
        C("amount", K.WITHIN, ("amount",), ("min_amount", "max_amount"), 30,
          _("The amount is within the product's range"), required=True),
        C("term", K.WITHIN, ("term",), ("min_term", "max_term"), 15, _("The term is one the product offers")),
        C("collateral", K.MEMBER, ("collateral",), ("collateral",), 25,
          _("The product accepts this collateral or guarantee"), required=True),
        C("purpose", K.MEMBER, ("purpose",), ("purposes",), 20, _("The product finances this purpose")),
        C("size", K.MEMBER, ("size",), ("sizes",), 10, _("The enterprise's size qualifies")),
    ), min_score=60, top=5),
    Market.SPACE: MarketRules(Market.SPACE, (
        C("deal", K.SAME, ("deal",), ("deal",), 10, _("Rent or sale as wanted"), required=True),
        C("town", K.SAME, ("town",), ("town",), 25, _("In the town wanted")),
        C("area", K.WITHIN, ("area_min", "area_max"), ("area_min",), 25,
          _("The area is in the range wanted"), required=True),
        C("price", K.WITHIN, ("price_min", "price_max"), ("price",), 15, _("The price is in the range wanted")),
        C("height", K.AT_LEAST, ("height",), ("height",), 8, _("The clear height is enough")),
        C("load", K.AT_LEAST, ("load",), ("load",), 5, _("The floor carries the load")),
        C("power", K.AT_LEAST, ("power",), ("power",), 7, _("The power capacity is enough")),
        C("floor", K.OVERLAP, ("floor_min", "floor_max"), ("floor_min", "floor_max"), 5,
          _("On a floor wanted")),
    ), min_score=60, top=10),
    Market.TALENT: MarketRules(Market.TALENT, (
        C("industry", K.MEMBER, ("industry",), ("industries",), 50, _("The investor invests in this field"),
          required=True),
        C("amount", K.WITHIN, ("funding",), ("min_amount", "max_amount"), 35,
          _("The funding sought is within the investor's range")),
        C("stage", K.MEMBER, ("stage",), ("stages",), 15, _("The investor takes projects at this stage")),
    ), min_score=50, top=10),
}


def criterion(market: str, key: str) -> Criterion:
    return next(c for c in RULES[market].criteria if c.key == key)


# A match stores how far each criterion is met as one number: criterion i (in the order
# above) is the base-3 digit i, 0 not met, 1 partly, 2 met.  Adding a criterion at the
# end keeps the stored numbers readable; re-ordering needs a full re-match.
FRACTIONS = (0.0, 0.5, 1.0)


def encode_states(market: str, reasons: dict[str, float]) -> int:
    return sum(int(reasons.get(c.key, 0) * 2) * 3**i for i, c in enumerate(RULES[market].criteria))


def decode_states(market: str, states: int) -> dict[str, float]:
    return {c.key: FRACTIONS[(states // 3**i) % 3] for i, c in enumerate(RULES[market].criteria)}
