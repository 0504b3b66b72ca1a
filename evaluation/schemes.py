"""An evaluation scheme's definition (JSON data) read into checked, immutable objects.

The definition is what the county publishes each year (e.g. 慈溪市工业企业亩均效益综合评价办法)::

    {"groups": [{"code": "above_scale", "when": {"above_scale": true},
                 "indicators": [{"metric": "tax_per_mu", "weight": 30, "benchmark": 30, "cap": 1.5,
                                 "missing": "group_average"}, ...]}, ...],
     "fallback_group": "below_small",
     "classes": {"method": "score", "cutoffs": {"A": 80, "B": 60, "C": 40}},
     "deductions": [{"code": "sublet", "fact": "sublet_tenants", "points_each": 2, "max_points": 10}],
     "measures": {"A": {"electricity_yuan_per_kwh": -0.03, ...}, ...},
     "low_efficiency_tax_per_mu_wan": 5, "notice": {"days": 7, "kind": "calendar"}}

Groups are tried in order; the first whose conditions hold takes the enterprise.  An
enterprise no group takes (a below-scale firm whose land area is not on file) goes to
``fallback_group``, and its calculation says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

METRICS = {
    # code: (numerator, denominator or None, multiplier), the value in the unit of the benchmark
    "tax_per_mu": ("tax_paid_fen", "land_area_mu", 1e-6),  # 万元/亩
    "value_added_per_mu": ("value_added_fen", "land_area_mu", 1e-6),  # 万元/亩
    "labour_productivity": ("value_added_fen", "employees", 1e-6),  # 万元/人
    "value_added_per_energy": ("value_added_fen", "energy_tce", 1e-6),  # 万元/吨标煤
    "value_added_per_emissions": ("value_added_fen", "emissions_t", 1e-6),  # 万元/吨
    "rd_intensity": ("rd_spending_fen", "revenue_fen", 100.0),  # %
    "tax_per_employee": ("tax_paid_fen", "employees", 1e-6),  # 万元/人
    "revenue_per_mu": ("revenue_fen", "land_area_mu", 1e-6),  # 万元/亩
    "revenue_per_employee": ("revenue_fen", "employees", 1e-6),  # 万元/人
    "tax_total": ("tax_paid_fen", None, 1e-6),  # 万元
}
MISSING_RULES = ("group_average", "group_minimum", "zero")
CLASS_CODES = ("A", "B", "C")  # D is what is left
CONDITIONS = ("above_scale", "own_land", "land_min", "land_max")
DEDUCTION_FACTS = ("sublet_tenants",)
MEASURE_KEYS = ("electricity_yuan_per_kwh", "land_use_tax_relief_pct", "land_quota_priority",
                "energy_quota_priority")


class SchemeError(ValueError):
    """The definition does not read; the message says where."""


@dataclass(frozen=True)
class Indicator:
    metric: str
    weight: float
    benchmark: float
    cap: float
    missing: str


@dataclass(frozen=True)
class ClassRule:
    method: str  # "score": points cut-offs; "percentile": share of the group ranked above
    cutoffs: tuple[tuple[str, float], ...]  # (class, threshold) for A, B, C


@dataclass(frozen=True)
class Group:
    code: str
    when: tuple[tuple[str, object], ...]
    indicators: tuple[Indicator, ...]
    classes: ClassRule


@dataclass(frozen=True)
class Deduction:
    code: str
    fact: str
    points_each: float
    max_points: float


@dataclass(frozen=True)
class ParsedScheme:
    groups: tuple[Group, ...]
    fallback_group: str
    deductions: tuple[Deduction, ...]
    measures: dict = field(hash=False, compare=False)
    low_efficiency_tax_per_mu_wan: float = 5.0
    notice_days: int = 7
    notice_kind: str = "calendar"  # or "working" (Chinese working days)

    def group(self, code: str) -> Group:
        return next(g for g in self.groups if g.code == code)

    def measures_for(self, klass: str) -> dict:
        return self.measures.get(klass, {})


def parse_scheme(data: dict) -> ParsedScheme:
    """Check a definition and return it as objects; SchemeError names the first problem."""
    if not isinstance(data, dict) or not data.get("groups"):
        raise SchemeError(_("A scheme needs at least one group."))
    default_classes = _class_rule(data.get("classes"), "scheme")
    groups = tuple(_group(g, default_classes) for g in data["groups"])
    codes = [g.code for g in groups]
    if len(set(codes)) != len(codes):
        raise SchemeError(_("Group codes must be unique."))
    fallback = data.get("fallback_group", codes[-1])
    if fallback not in codes:
        raise SchemeError(_("The fallback group “%(code)s” is not a group of the scheme.") % {"code": fallback})
    notice = data.get("notice", {})
    if notice.get("kind", "calendar") not in ("calendar", "working"):
        raise SchemeError(_("The notice period is counted in calendar or working days."))
    return ParsedScheme(
        groups=groups, fallback_group=fallback,
        deductions=tuple(_deduction(d) for d in data.get("deductions", [])),
        measures=_measures(data.get("measures", {})),
        low_efficiency_tax_per_mu_wan=float(data.get("low_efficiency_tax_per_mu_wan", 5)),
        notice_days=int(notice.get("days", 7)), notice_kind=notice.get("kind", "calendar"),
    )


def _group(data: dict, default_classes: ClassRule | None) -> Group:
    code = data.get("code")
    if not code:
        raise SchemeError(_("Every group needs a code."))
    when = data.get("when", {})
    unknown = set(when) - set(CONDITIONS)
    if unknown:
        raise SchemeError(_("Group “%(code)s”: unknown condition %(names)s.") % {"code": code,
                                                                                "names": ", ".join(sorted(unknown))})
    indicators = tuple(_indicator(code, i) for i in data.get("indicators", []))
    if not indicators:
        raise SchemeError(_("Group “%(code)s” has no indicator.") % {"code": code})
    classes = _class_rule(data.get("classes"), code) or default_classes
    if classes is None:
        raise SchemeError(_("Group “%(code)s” has no class cut-offs.") % {"code": code})
    return Group(code, tuple(sorted(when.items())), indicators, classes)


def _indicator(group: str, data: dict) -> Indicator:
    metric = data.get("metric")
    if metric not in METRICS:
        raise SchemeError(_("Group “%(group)s”: unknown indicator “%(metric)s”.") % {"group": group, "metric": metric})
    missing = data.get("missing")
    if missing not in MISSING_RULES:
        # Never a silent zero: every indicator says what happens when its data is missing.
        raise SchemeError(_("Group “%(group)s”, indicator “%(metric)s”: say what missing data gets (%(rules)s).")
                          % {"group": group, "metric": metric, "rules": ", ".join(MISSING_RULES)})
    try:
        weight, benchmark, cap = float(data["weight"]), float(data["benchmark"]), float(data.get("cap", 1))
    except (KeyError, TypeError, ValueError):
        raise SchemeError(_("Group “%(group)s”, indicator “%(metric)s”: weight and benchmark must be numbers.")
                          % {"group": group, "metric": metric}) from None
    if benchmark <= 0 or weight < 0 or cap <= 0:
        raise SchemeError(_("Group “%(group)s”, indicator “%(metric)s”: benchmark and cap must be positive.")
                          % {"group": group, "metric": metric})
    return Indicator(metric, weight, benchmark, cap, missing)


def _class_rule(data: dict | None, where: str) -> ClassRule | None:
    if data is None:
        return None
    method, cutoffs = data.get("method"), data.get("cutoffs", {})
    if method not in ("score", "percentile") or set(cutoffs) != set(CLASS_CODES):
        raise SchemeError(_("Classes of “%(where)s”: method score or percentile, with cut-offs for A, B and C.")
                          % {"where": where})
    values = [float(cutoffs[c]) for c in CLASS_CODES]
    ordered = values == sorted(values, reverse=method == "score")
    if not ordered or (method == "percentile" and not all(0 < v <= 1 for v in values)):
        raise SchemeError(_("Classes of “%(where)s”: the cut-offs are out of order.") % {"where": where})
    return ClassRule(method, tuple(zip(CLASS_CODES, values, strict=True)))


def _deduction(data: dict) -> Deduction:
    if data.get("fact") not in DEDUCTION_FACTS:
        raise SchemeError(_("A deduction counts one of: %(facts)s.") % {"facts": ", ".join(DEDUCTION_FACTS)})
    try:
        return Deduction(str(data["code"]), str(data["fact"]), float(data["points_each"]),
                         float(data.get("max_points", 100)))
    except (KeyError, TypeError, ValueError):
        raise SchemeError(_("A deduction needs a code, a fact and points per unit.")) from None


def _measures(data: dict) -> dict:
    for klass, measures in data.items():
        unknown = set(measures) - set(MEASURE_KEYS)
        if klass not in ("A", "B", "C", "D") or unknown:
            raise SchemeError(_("Measures are given per class A–D with the keys %(keys)s.")
                              % {"keys": ", ".join(MEASURE_KEYS)})
    return dict(data)
