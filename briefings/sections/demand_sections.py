"""Demand sections: the headline figures, the trend, the department league table.

Figures come from ``demands.cube.rows_by_dimension`` (prepared whole months, live
counts for the rest) and ``demands.figures``; the ids behind each figure are read with
the same named conditions (``figures.STATES``, ``figures.queue_conditions``), so a
figure and its record list cannot disagree about what they count.
"""

from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from accounts.models import Organisation
from demands import cube, figures
from demands.access import FiguresScope
from demands.models import Demand, SupervisionOrder

from ..periods import Period, aware, recent
from .registry import RECORD_MODELS, Context, cell, chart, figure, result, section, table, text_cell

# The named sets whose ids an issue keeps ("all": every demand received in the period).
KEPT_STATES = ("routed", "answered", "on_time", "late", "satisfied", "rated")
TREND_PERIODS = 8
STATE_LABELS = {
    "all": gettext_noop("Demands received"), "routed": gettext_noop("Routed"), "answered": gettext_noop("Answered"),
    "on_time": gettext_noop("Answered on time"), "late": gettext_noop("Answered late"),
    "satisfied": gettext_noop("Satisfied"), "rated": gettext_noop("Rated"),
}


def city_scope() -> FiguresScope:
    """The briefings are city-wide: every demand (what ``figures_scope`` gives the city)."""
    return FiguresScope(Demand.objects.all(), whole=True)


def demand_rows(ctx: Context, period: Period | None = None) -> dict:
    period = period or ctx.period
    key = ("rows", period)
    if key not in ctx.cache:
        ctx.cache[key] = cube.rows_by_dimension(city_scope(), period.start, period.end)
    return ctx.cache[key]


def _received(period: Period):
    return Demand.objects.filter(cube.received_in(period.start, period.end))


def state_ids(ctx: Context) -> dict[str, list[tuple[int, int | None]]]:
    """(id, lead unit) of the period's demands in each kept named set, in one scan."""
    if "states" not in ctx.cache:
        flags = {f"in_{name}": ExpressionWrapper(figures.state_condition(name), output_field=BooleanField())
                 for name in KEPT_STATES}
        sets: dict[str, list] = {name: [] for name in ("all", *KEPT_STATES)}
        for row in _received(ctx.period).order_by("id").values("id", "lead_unit_id", **flags):
            pair = (row["id"], row["lead_unit_id"])
            sets["all"].append(pair)
            for name in KEPT_STATES:
                if row[f"in_{name}"]:
                    sets[name].append(pair)
        ctx.cache["states"] = sets
    return ctx.cache["states"]


def closed_ids(ctx: Context) -> list[tuple[int, int | None]]:
    if "closed" not in ctx.cache:
        start, end = aware(ctx.period.start), aware(ctx.period.end)
        ctx.cache["closed"] = list(Demand.objects.filter(closed_at__gte=start, closed_at__lt=end)
                                   .order_by("id").values_list("id", "lead_unit_id"))
    return ctx.cache["closed"]


def overdue_ids(ctx: Context) -> list[tuple[int, int | None]]:
    """The demands overdue on the day the issue is made (the workbench's "overdue" tab)."""
    if "overdue" not in ctx.cache:
        conditions = figures.queue_conditions(ctx.today, figures.due_horizon(ctx.today))
        ctx.cache["overdue"] = list(Demand.objects.filter(conditions["overdue"])
                                    .order_by("answer_due_on", "id").values_list("id", "lead_unit_id"))
    return ctx.cache["overdue"]


def _ids(pairs) -> list[int]:
    return [pk for pk, _unit in pairs]


def _demands(ctx: Context, key: str, pairs, label: str) -> str:
    return ctx.record(key, RECORD_MODELS.DEMAND, _ids(pairs), label)


def _part(label: str, value, records: str | None, live: str | None = None) -> dict:
    return {"label": label, "value": value, "records": records, "live": live}


@section("headline", gettext_noop("Headline figures"))
def headline(ctx: Context) -> dict:
    """New and closed demands, the three rates, overdue now and supervision orders."""
    o = figures.overall(demand_rows(ctx)["category"])
    ids = state_ids(ctx)
    rec = {name: _demands(ctx, f"demands-{name}", ids[name], STATE_LABELS[name]) for name in ids}
    start, end = aware(ctx.period.start), aware(ctx.period.end)
    orders = list(SupervisionOrder.objects.filter(created_at__gte=start, created_at__lt=end)
                  .order_by("id").values_list("id", flat=True))
    closed, overdue = closed_ids(ctx), overdue_ids(ctx)
    return result(figures=[
        figure("new", gettext_noop("New demands"), o["total"], records=rec["all"], live=ctx.workbench()),
        figure("closed", gettext_noop("Demands closed"), len(closed),
               records=_demands(ctx, "demands-closed", closed, gettext_noop("Demands closed"))),
        figure("completion_rate", gettext_noop("Completion rate"), o["completion_rate"], fmt="rate", records=rec["answered"],
               live=ctx.workbench(state="answered"), parts=[
                   _part(gettext_noop("Answered"), o["answered"], rec["answered"], ctx.workbench(state="answered")),
                   _part(gettext_noop("Routed"), o["routed"], rec["routed"], ctx.workbench(state="routed"))]),
        figure("on_time_rate", gettext_noop("On-time rate"), o["on_time_rate"], fmt="rate", records=rec["on_time"],
               live=ctx.workbench(state="on_time"), parts=[
                   _part(gettext_noop("Answered on time"), o["on_time"], rec["on_time"], ctx.workbench(state="on_time")),
                   _part(gettext_noop("Answered late"), o["late"], rec["late"], ctx.workbench(state="late"))]),
        figure("satisfaction_rate", gettext_noop("Satisfaction rate"), o["satisfaction_rate"], fmt="rate",
               records=rec["satisfied"], live=ctx.workbench(state="satisfied"), parts=[
                   _part(gettext_noop("Satisfied"), o["satisfied"], rec["satisfied"], ctx.workbench(state="satisfied")),
                   _part(gettext_noop("Rated"), o["rated"], rec["rated"], ctx.workbench(state="rated"))]),
        figure("overdue", gettext_noop("Overdue now"), len(overdue),
               records=_demands(ctx, "demands-overdue", overdue, gettext_noop("Overdue now")),
               live=f"{reverse('demands-list')}?queue=overdue"),
        figure("supervision", gettext_noop("Supervision orders issued"), len(orders),
               records=ctx.record("supervision", RECORD_MODELS.SUPERVISION, orders, gettext_noop("Supervision orders issued"))),
    ])


def _label(period: Period) -> str:
    return f"{period.start:%Y-%m}" if period.kind == "monthly" else f"{period.start:%m-%d}"


def _counts(periods: list[Period], field: str) -> list[int]:
    """Demands per period by ``received_at`` or ``closed_at``: one aggregate over the whole span."""
    first, last = aware(periods[0].start), aware(periods[-1].end)
    counts = Demand.objects.filter(**{f"{field}__gte": first, f"{field}__lt": last}).aggregate(**{
        f"p{i}": Count("pk", filter=Q(**{f"{field}__gte": aware(p.start), f"{field}__lt": aware(p.end)}))
        for i, p in enumerate(periods)})
    return [counts[f"p{i}"] for i in range(len(periods))]


def _change(now: int, before: int) -> float | None:
    return round(100 * (now - before) / before, 1) if before else None


@section("trend", gettext_noop("Trend against earlier periods"))
def trend(ctx: Context) -> dict:
    periods = recent(ctx.period.kind, ctx.period, TREND_PERIODS)
    received, closed = _counts(periods, "received_at"), _counts(periods, "closed_at")
    before = figures.overall(demand_rows(ctx, ctx.previous)["category"])
    rows = [[text_cell(_label(p)), cell(r, live=ctx.workbench(p)), cell(c)]
            for p, r, c in zip(periods, received, closed, strict=True)]
    return result(
        figures=[
            figure("previous_new", gettext_noop("New demands, previous period"), received[-2],
                   live=ctx.workbench(ctx.previous)),
            figure("new_change", gettext_noop("Change in new demands"), _change(received[-1], received[-2]), fmt="change"),
            figure("previous_closed", gettext_noop("Demands closed, previous period"), closed[-2]),
            figure("closed_change", gettext_noop("Change in demands closed"), _change(closed[-1], closed[-2]), fmt="change"),
            figure("previous_completion", gettext_noop("Completion rate, previous period"), before["completion_rate"],
                   fmt="rate", live=ctx.workbench(ctx.previous, state="answered")),
        ],
        tables=[table("trend", gettext_noop("New and closed demands per period"),
                      [(gettext_noop("Period"), "text"), (gettext_noop("New demands"), "count"), (gettext_noop("Demands closed"), "count")],
                      rows)],
        charts=[chart("trend", gettext_noop("New and closed demands per period"), "line", [_label(p) for p in periods],
                      [(gettext_noop("New demands"), received), (gettext_noop("Demands closed"), closed)])],
    )


def _by_unit(pairs) -> dict:
    grouped: dict = {}
    for pk, unit in pairs:
        grouped.setdefault(unit, []).append(pk)
    return grouped


def _league_order(row: dict) -> tuple:
    rates = [row[r] if row[r] is not None else -1 for r in ("completion_rate", "on_time_rate", "satisfaction_rate")]
    return (row["completion_rate"] is None, *(-r for r in rates), -row["total"], row["code"] or "")


LEAGUE_COLUMNS = [
    (gettext_noop("Rank"), "count"), (gettext_noop("Lead unit"), "text"), (gettext_noop("Received"), "count"), (gettext_noop("Routed"), "count"),
    (gettext_noop("Completion rate"), "rate"), (gettext_noop("On-time rate"), "rate"), (gettext_noop("Answered late"), "count"),
    (gettext_noop("Satisfaction rate"), "rate"), (gettext_noop("Closed in the period"), "count"), (gettext_noop("Overdue now"), "count"),
]


class _UnitRow:
    """One unit's line of the league table: each count with its record set and its live list."""

    def __init__(self, ctx: Context, code: str, ids: dict[str, list[int]]):
        self.ctx, self.code, self.ids = ctx, code, ids

    def count(self, name: str, label: str, state: str | None = None, value=None, fmt: str = "count") -> dict:
        records = self.ctx.record(f"unit-{self.code}-{name}", RECORD_MODELS.DEMAND, self.ids[name], label)
        live = None
        if name not in ("closed", "overdue"):
            live = self.ctx.workbench(unit=self.code, **({"state": state} if state else {}))
        return cell(len(self.ids[name]) if value is None else value, fmt=fmt, records=records, live=live)


def _league_row(ctx: Context, rank: int, row: dict, ids: dict[str, list[int]]) -> list[dict]:
    unit = _UnitRow(ctx, row["code"] or "none", ids)
    return [
        cell(rank), text_cell(row["name"] or ""),
        unit.count("all", gettext_noop("Demands received"), value=row["total"]),
        unit.count("routed", gettext_noop("Routed"), "routed", value=row["routed"]),
        unit.count("answered", gettext_noop("Answered"), "answered", value=row["completion_rate"], fmt="rate"),
        unit.count("on_time", gettext_noop("Answered on time"), "on_time", value=row["on_time_rate"], fmt="rate"),
        unit.count("late", gettext_noop("Answered late"), "late", value=row["late"]),
        unit.count("satisfied", gettext_noop("Satisfied"), "satisfied", value=row["satisfaction_rate"], fmt="rate"),
        unit.count("closed", gettext_noop("Demands closed")),
        unit.count("overdue", gettext_noop("Overdue now")),
    ]


@section("league", gettext_noop("Department league table"))
def league(ctx: Context) -> dict:
    """办结率、按时办结率、满意率 per lead unit, best first; every count opens its demands."""
    rows = sorted(figures.breakdown(demand_rows(ctx)["unit"], "unit"), key=_league_order)
    pks = dict(Organisation.objects.filter(code__in=[r["code"] for r in rows if r["code"]])
               .values_list("code", "pk"))
    sets = {name: _by_unit(pairs) for name, pairs in state_ids(ctx).items()}
    sets["closed"], sets["overdue"] = _by_unit(closed_ids(ctx)), _by_unit(overdue_ids(ctx))
    table_rows = []
    for rank, row in enumerate(rows, start=1):
        unit_pk = pks.get(row["code"]) if row["code"] else None
        table_rows.append(_league_row(ctx, rank, row, {name: ids.get(unit_pk, []) for name, ids in sets.items()}))
    top = sorted(rows, key=lambda r: -r["total"])[:15]
    return result(
        tables=[table("league", gettext_noop("Department league table"), LEAGUE_COLUMNS, table_rows,
                      empty=gettext_noop("No demand was received in this period."))],
        charts=[chart("league", gettext_noop("Rates of the units with the most demands"), "bar",
                      [r["name"] or "" for r in top],
                      [(gettext_noop("Completion rate"), [r["completion_rate"] for r in top]),
                       (gettext_noop("On-time rate"), [r["on_time_rate"] for r in top]),
                       (gettext_noop("Satisfaction rate"), [r["satisfaction_rate"] for r in top])])] if top else [],
    )
