"""Service tiers (重点服务对象): the rules of liaisons/data/tiers.yaml over the enterprise registry.

Each rule becomes one ``Q`` on ``Enterprise``, so a tier can filter any queryset (a town's
enterprises, a filtered list) in the database, and :func:`tiers_of` tells which tiers one
enterprise is in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.db.models import Max, Q
from django.utils import timezone, translation

from enterprises.models import Enterprise, YearFigures

TIERS_FILE = Path(__file__).resolve().parent / "data" / "tiers.yaml"
FEN_PER_WAN = 1_000_000
# Only these yearly figures may be ranked or compared (a typo in the file fails loudly).
RANKABLE = {"revenue_fen", "tax_paid_fen", "value_added_fen", "rd_spending_fen"}


class TierRuleError(ValueError):
    """A condition in tiers.yaml that the platform does not understand."""


@dataclass(frozen=True)
class Tier:
    code: str
    name_zh: str
    name_en: str
    source: str
    conditions: tuple[dict, ...]

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" and self.name_en else self.name_zh

    def __str__(self) -> str:
        return self.name


def load_tiers(path: Path = TIERS_FILE) -> dict[str, Tier]:
    """The tiers of a rules file, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        code: Tier(code, item["zh"], item.get("en", ""), item.get("source", ""), tuple(item["any"]))
        for code, item in data["tiers"].items()
    }


@cache
def tiers() -> dict[str, Tier]:
    return load_tiers()


def tier_choices() -> list[tuple[str, str]]:
    return [(code, tier.name) for code, tier in tiers().items()]


def latest_year(field: str) -> int | None:
    """The most recent year in which any enterprise has this figure."""
    return YearFigures.objects.filter(**{f"{field}__isnull": False}).aggregate(year=Max("year"))["year"]


def _check_field(field: str) -> str:
    if field not in RANKABLE:
        raise TierRuleError(f"Yearly figure {field!r} cannot be used in a tier rule.")
    return field


def _top(spec: dict) -> Q:
    field, n = _check_field(spec["field"]), int(spec["n"])
    year = latest_year(field)
    if year is None:
        return Q(pk__in=[])
    ranked = (
        YearFigures.objects.filter(year=year, **{f"{field}__isnull": False})
        .order_by(f"-{field}", "enterprise_id")
        .values_list("enterprise_id", flat=True)[:n]
    )
    return Q(pk__in=list(ranked))


def _at_least(spec: dict) -> Q:
    field = _check_field(spec["field"])
    year = latest_year(field)
    if year is None:
        return Q(pk__in=[])
    threshold = int(round(float(spec["wan"]) * FEN_PER_WAN))
    return Q(pk__in=YearFigures.objects.filter(year=year, **{f"{field}__gte": threshold}).values("enterprise_id"))


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def condition_q(condition: dict, today: dt.date) -> Q:
    """One condition of tiers.yaml as a filter on Enterprise."""
    if len(condition) != 1:
        raise TierRuleError(f"A condition has exactly one key: {condition!r}")
    (kind, spec), = condition.items()
    if kind == "tag":
        return Q(pk__in=Enterprise.tags.through.objects.filter(enterprisetag__code__in=spec).values("enterprise_id"))
    if kind == "top":
        return _top(spec)
    if kind == "at_least":
        return _at_least(spec)
    if kind == "established_within_years":
        return Q(established_on__gt=_years_before(today, int(spec)))
    if kind == "all":
        result = Q()
        for part in spec:
            result &= condition_q(part, today)
        return result
    raise TierRuleError(f"Unknown condition {kind!r} in tiers.yaml.")


def tier_q(tier: Tier | str, today: dt.date | None = None) -> Q:
    """The enterprises in a tier: any of its conditions holds."""
    tier = tiers()[tier] if isinstance(tier, str) else tier
    today = today or timezone.localdate()
    result = Q(pk__in=[])
    for condition in tier.conditions:
        result |= condition_q(condition, today)
    return result


def enterprises_in_tier(tier: Tier | str, qs=None, today: dt.date | None = None):
    """The enterprises of ``qs`` (default: the whole registry) that are in the tier."""
    qs = Enterprise.objects.all() if qs is None else qs
    return qs.filter(tier_q(tier, today))


def tiers_of(enterprise: Enterprise, today: dt.date | None = None) -> list[Tier]:
    """The tiers one enterprise is in, in file order."""
    base = Enterprise.objects.filter(pk=enterprise.pk)
    return [tier for tier in tiers().values() if base.filter(tier_q(tier, today)).exists()]
