"""Monthly demand figures kept ready for the dashboard (预汇总), and how they stay right.

A year holds about 200,000 demands; counting ten named sets over them takes the
better part of a second.  :class:`~demands.models.MonthFigures` holds the same
measures per month and (lead unit, town, category), so a year is a few thousand
rows to add up.  The rules that keep the figures exact:

* every demand change marks its month stale in the same transaction
  (:func:`mark_stale`, an insert, called by the two places demands are saved:
  intake and ``actions._transition``);
* the worker rebuilds stale months from the demands (:func:`refresh_stale`, every
  minute) and clears only the marks it had seen, so a change made meanwhile stays marked;
* the dashboard reads prepared rows only for whole months that are not stale and
  counts everything else (stale months, the partial months of a custom range) from
  the demands, so what it shows is always what the demands say now.

Scopes are applied by ``access.figures_scope``: which rows a user may add up, plus
the co-handled demands that no row can single out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from . import figures
from .models import Demand, MonthFigures, StaleMonth

MEASURES = ("total", *figures.STATES, "handled", "handling_sum")
KEYS = ("lead_unit_id", "town_id", "category_id")


def month_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def received_in(start: dt.date, end: dt.date) -> Q:
    """Demands received on local days [start, end)."""
    return Q(received_at__gte=_aware(start), received_at__lt=_aware(end))


# --- Keeping the figures --------------------------------------------------------------------


def mark_stale(*moments: dt.datetime) -> None:
    """Mark the months of these receipt times stale; call inside the change's transaction."""
    StaleMonth.objects.bulk_create([StaleMonth(month=month) for month in sorted({month_of(m) for m in moments})])


def mark_all_stale() -> int:
    """Mark every month that has demands stale (after a bulk load or a direct database edit)."""
    months = {month_of(moment) for moment in _receipt_months()}
    with transaction.atomic():
        for month in months:
            mark_stale(_aware(month))
    return len(months)


def _receipt_months() -> Iterable[dt.datetime]:
    first = Demand.objects.order_by("received_at").values_list("received_at", flat=True).first()
    last = Demand.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    if first is None:
        return []
    month, end = month_of(first), month_of(last)
    moments = []
    while month <= end:
        if Demand.objects.filter(received_in(month, next_month(month))).exists():
            moments.append(_aware(month))
        month = next_month(month)
    return moments


def rebuild_month(month: dt.date) -> int:
    """Replace the month's prepared rows with what its demands say now; returns the cell count."""
    cells = [row for row in figures.rollup(Demand.objects.filter(received_in(month, next_month(month))))
             if row["total"]]
    rows = [MonthFigures(month=month, **_fields(row)) for row in cells]
    for level, (_label, fk, _param) in figures.DIMENSIONS.items():
        for key, total in _totals_by(cells, fk + "_id").items():
            rows.append(MonthFigures(month=month, level=level, **{**_fields(total), fk + "_id": key}))
    with transaction.atomic():
        MonthFigures.objects.filter(month=month).delete()
        MonthFigures.objects.bulk_create(rows, batch_size=2000)
    return len(cells)


def _fields(row: dict) -> dict:
    return {key: row.get(key) for key in (*KEYS, *MEASURES)}


def _totals_by(rows: list[dict], key: str) -> dict:
    """The measures of ``rows`` added up per value of ``key`` (the other keys dropped)."""
    totals: dict = {}
    for row in rows:
        total = totals.setdefault(row[key], {name: 0 for name in MEASURES} | {"handling_sum": None})
        for name in MEASURES:
            if name == "handling_sum":
                if row[name] is not None:
                    total[name] = row[name] + (total[name] or 0)
            else:
                total[name] += row[name]
    return totals


def refresh_stale(limit: int | None = None) -> int:
    """Rebuild the stale months (oldest mark first); returns how many were cleared."""
    cleared = 0
    marks = StaleMonth.objects.values("month").annotate(last=Max("id")).order_by("month")
    for mark in marks[:limit]:
        rebuild_month(mark["month"])
        # A change during the rebuild added a newer mark: the month stays stale.
        StaleMonth.objects.filter(month=mark["month"], id__lte=mark["last"]).delete()
        cleared += not StaleMonth.objects.filter(month=mark["month"]).exists()
    return cleared


def rebuild_all() -> int:
    """Mark every month stale and rebuild them all now; returns the number of months."""
    months = mark_all_stale()
    MonthFigures.objects.exclude(month__in=StaleMonth.objects.values("month")).delete()
    refresh_stale()
    return months


# --- Reading them -----------------------------------------------------------------------------


def rows_by_dimension(scope, start: dt.date, end: dt.date) -> dict[str, list[dict]]:
    """For each dimension of ``figures.DIMENSIONS``, rows in the shape of ``figures.rollup``
    for the demands received in [start, end) that ``figures.breakdown`` (and ``overall``) add up.

    ``scope`` comes from ``access.figures_scope``.  Rows may repeat a key: they come from
    prepared months and from live counts.  City-wide, the prepared part is the months'
    per-dimension totals; for a town or unit, the cells of its town or unit.  Live months
    are grouped over all demands of the range (the received_at index) and the scope applied
    to the grouped rows: an OR of town and unit made the databases read every demand of the
    town to find one month's.
    """
    dimensions = list(figures.DIMENSIONS)
    if scope.live_only:
        rows = figures.rollup(scope.visible.filter(received_in(start, end)))
        return dict.fromkeys(dimensions, rows)
    prepared, live = _split(start, end)
    shared = []
    live_q = _ranges_q(live)
    if live_q is not None:
        shared += [row for row in figures.rollup(Demand.objects.filter(live_q)) if scope.keeps(row)]
    if scope.extra is not None:
        shared += figures.rollup(scope.extra.filter(received_in(start, end)))
    if not prepared:
        return dict.fromkeys(dimensions, shared)
    if scope.whole:
        return {level: _prepared_rows(Q(level=level), prepared) + shared for level in dimensions}
    cells = _prepared_rows(Q(level=MonthFigures.Level.CELL) & scope.condition(), prepared)
    return dict.fromkeys(dimensions, cells + shared)


def _split(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """Whole non-stale months (prepared) and the day ranges to count from the demands (live)."""
    stale = set(StaleMonth.objects.filter(month__gte=start.replace(day=1), month__lt=end).values_list(
        "month", flat=True))
    prepared, live = [], []
    month = start.replace(day=1)
    while month < end:
        following = next_month(month)
        lo, hi = max(month, start), min(following, end)
        if lo == month and hi == following and month not in stale:
            prepared.append(month)
        else:
            live.append((lo, hi))
        month = following
    return prepared, _joined(live)


def _joined(ranges: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    joined: list[tuple[dt.date, dt.date]] = []
    for lo, hi in ranges:
        if joined and joined[-1][1] == lo:
            joined[-1] = (joined[-1][0], hi)
        else:
            joined.append((lo, hi))
    return joined


def _ranges_q(ranges: list[tuple[dt.date, dt.date]]) -> Q | None:
    condition = None
    for lo, hi in ranges:
        condition = received_in(lo, hi) if condition is None else condition | received_in(lo, hi)
    return condition


def _prepared_rows(condition: Q, months: list[dt.date]) -> list[dict]:
    # Summed under other names: an annotation may not shadow a field of the model.
    sums = {f"sum_{name}": Sum(name) for name in MEASURES}
    qs = MonthFigures.objects.filter(condition, month__in=months).order_by()
    return [
        {**{key: row[key] for key in KEYS},
         **{name: row[f"sum_{name}"] if name == "handling_sum" else row[f"sum_{name}"] or 0 for name in MEASURES}}
        for row in qs.values(*KEYS).annotate(**sums)
    ]
