"""The leader dashboard (领导驾驶舱): the briefings' figures live, for a period, a town and a unit.

Demand figures come from the same prepared monthly rows as the demand dashboard
(``cube.rows_by_dimension`` over ``figures_scope(user)``); a town or a unit narrows the
scope to that town's or unit's rows, and both together keep the rows of the town led by
the unit.  Nothing is frozen here: reload, and the figures are today's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.db.models import Count, Q

from demands import cube, figures
from demands.access import figures_scope, visible_demands
from liaisons import figures as coverage_figures
from liaisons.access import visible_visits

from .periods import aware

TREND_MONTHS = 12
CHART_ROWS = 15


def _narrowed(scope, town, unit):
    """The user's scope, limited to the rows of ``town`` (or of ``unit`` when no town is chosen)."""
    if town is None and unit is None:
        return scope
    if scope.whole:
        return replace(scope, whole=False, town_id=getattr(town, "pk", None),
                       lead_unit_id=None if town is not None else unit.pk, extra=None)
    return scope


def _keep(row: dict, town, unit) -> bool:
    return (town is None or row["town_id"] == town.pk) and (unit is None or row["lead_unit_id"] == unit.pk)


def demand_rows(user, start: dt.date, end: dt.date, town=None, unit=None) -> dict[str, list[dict]]:
    rows = cube.rows_by_dimension(_narrowed(figures_scope(user), town, unit), start, end)
    if town is None and unit is None:
        return rows
    return {dimension: [r for r in dimension_rows if _keep(r, town, unit)] for dimension, dimension_rows in rows.items()}


def _demands(user, town, unit):
    qs = visible_demands(user)
    if town is not None:
        qs = qs.filter(town=town)
    if unit is not None:
        qs = qs.filter(lead_unit=unit)
    return qs


def _months_before(end: dt.date, count: int) -> list[dt.date]:
    month = (end - dt.timedelta(days=1)).replace(day=1)
    months = [month]
    while len(months) < count:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    return months[::-1]


def monthly_trend(qs, end: dt.date) -> dict:
    """New (received) and closed demands per month, for the twelve months up to ``end``."""
    months = _months_before(end, TREND_MONTHS)
    bounds = [(m, cube.next_month(m)) for m in months]
    series = {}
    for field in ("received_at", "closed_at"):
        span = {f"{field}__gte": aware(bounds[0][0]), f"{field}__lt": aware(bounds[-1][1])}
        counts = qs.filter(**span).aggregate(**{
            f"m{i}": Count("pk", filter=Q(**{f"{field}__gte": aware(lo), f"{field}__lt": aware(hi)}))
            for i, (lo, hi) in enumerate(bounds)})
        series[field] = [counts[f"m{i}"] for i in range(len(bounds))]
    return {"months": [f"{m:%Y-%m}" for m in months], "new": series["received_at"], "closed": series["closed_at"]}


def _chart_rows(rows: list[dict]) -> dict:
    rows = rows[:CHART_ROWS]
    return {"names": [r["name"] or "" for r in rows], "total": [r["total"] for r in rows],
            **{rate: [r[rate] for r in rows] for rate in figures.RATES}}


def live_figures(user, start: dt.date, end: dt.date, town=None, unit=None, today: dt.date | None = None) -> dict:
    rows = demand_rows(user, start, end, town, unit)
    qs = _demands(user, town, unit)
    today = today or dt.date.today()
    overdue = qs.filter(figures.queue_conditions(today, figures.due_horizon(today))["overdue"]).count()
    coverage = coverage_figures.coverage(start, end, visits=visible_visits(user), town=town, department=unit)
    units = sorted(figures.breakdown(rows["unit"], "unit"), key=lambda r: -r["total"])
    towns = figures.breakdown(rows["town"], "town")
    return {
        "overall": figures.overall(rows["category"]),
        "overdue": overdue,
        "closed": qs.filter(closed_at__gte=aware(start), closed_at__lt=aware(end)).count(),
        "coverage": coverage.total,
        "units": units,
        "towns": towns,
        "charts": {"trend": monthly_trend(qs, end), "units": _chart_rows(units), "towns": _chart_rows(towns)},
    }
