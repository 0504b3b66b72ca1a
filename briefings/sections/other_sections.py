"""Sections over the other apps: hot topics, visit coverage, policy pushes, financing results."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_noop

from ..periods import aware
from .registry import RECORD_MODELS, Context, cell, figure, result, section, table, text_cell

log = logging.getLogger(__name__)

HOT_TOPICS = 10
# A topic raised by at least this many enterprises is a common problem (共性问题).
COMMON_PROBLEM_ENTERPRISES = 3
COVERAGE_ROWS = 15


def _aware_range(ctx: Context):
    return aware(ctx.period.start), aware(ctx.period.end)


@section("topics", gettext_noop("Hot topics and common problems"))
def topics(ctx: Context) -> dict:
    """Clusters of the period's demands about one problem (intelligence.topics), most enterprises first."""
    from intelligence.topics import hot_topics

    start, end = _aware_range(ctx)
    try:
        found = hot_topics(start, end, limit=HOT_TOPICS)
    except Exception:  # the clustering model is optional: the issue is still worth sending without it
        log.exception("hot topics of %s could not be computed", ctx.period)
        return result(notes=[gettext_noop("The hot topics could not be computed for this issue.")])
    rows = []
    for number, topic in enumerate(found, start=1):
        key = ctx.record(f"topic-{number}", RECORD_MODELS.DEMAND, topic.demand_ids, topic.label)
        common = len(topic.enterprises) >= COMMON_PROBLEM_ENTERPRISES
        rows.append([cell(number), text_cell(topic.label), cell(topic.size, records=key),
                     cell(len(topic.enterprises)), {**text_cell(gettext_noop("Common problem") if common else ""),
                                                    "format": "label"},
                     text_cell("、".join(name for _pk, name in topic.enterprises[:5]))])
    common = [t for t in found if len(t.enterprises) >= COMMON_PROBLEM_ENTERPRISES]
    every = ctx.record("topics-all", RECORD_MODELS.DEMAND, sorted({pk for t in found for pk in t.demand_ids}),
                       gettext_noop("Demands of the hot topics"))
    shared = ctx.record("topics-common", RECORD_MODELS.DEMAND, sorted({pk for t in common for pk in t.demand_ids}),
                        gettext_noop("Demands of the common problems"))
    return result(
        figures=[figure("topics", gettext_noop("Hot topics"), len(found), records=every),
                 figure("common_problems", gettext_noop("Common problems (three or more enterprises)"), len(common),
                        records=shared)],
        tables=[table("topics", gettext_noop("Hot topics"), [
            (gettext_noop("No."), "count"), (gettext_noop("Topic"), "text"), (gettext_noop("Demands"), "count"), (gettext_noop("Enterprises"), "count"),
            (gettext_noop("Common problem"), "label"), (gettext_noop("First enterprises"), "text")], rows,
            empty=gettext_noop("No group of demands about one problem in this period."))],
    )


def _visits_link(name: str, ctx: Context, **params) -> str:
    return f"{reverse(name)}?{urlencode({'period': ctx.period.query(), **params})}"


def _coverage_rows(ctx: Context, rows: list[dict], param: str) -> list[list[dict]]:
    table_rows = []
    for row in rows[:COVERAGE_ROWS]:
        live = _visits_link("liaisons-visits", ctx, **{param: row["code"]})
        problems = _visits_link("liaisons-problems", ctx, **{param: row["code"]})
        table_rows.append([text_cell(row["name"]), cell(row["enterprises_visited"]), cell(row["visits"], live=live),
                           cell(row["person_trips"], live=live), cell(row["problems"], live=problems),
                           cell(row["resolved"])])
    return table_rows


COVERAGE_COLUMNS = [(gettext_noop("Enterprises visited"), "count"), (gettext_noop("Visits"), "count"), (gettext_noop("Person-trips"), "count"),
                    (gettext_noop("Problems found"), "count"), (gettext_noop("Problems resolved"), "count")]


@section("visits", gettext_noop("Visit coverage"))
def visits(ctx: Context) -> dict:
    """走访企业、走访次数、人次、收集和解决的问题 (liaisons.figures.coverage), by department and town."""
    from liaisons import figures as coverage_figures
    from liaisons.models import Visit

    p = ctx.period
    cov = coverage_figures.coverage(p.start, p.end)
    t = cov.total
    scoped = coverage_figures.filter_visits(Visit.objects.all(), start=p.start, end=p.end)
    visit_ids = ctx.record("visits", RECORD_MODELS.VISIT, scoped.order_by("visited_on", "id").values_list(
        "id", flat=True), gettext_noop("Visits"))
    enterprises = ctx.record("visited", RECORD_MODELS.ENTERPRISE, coverage_figures.visited_enterprises(
        Visit.objects.all(), start=p.start, end=p.end).order_by("id").values_list("id", flat=True),
        gettext_noop("Enterprises visited"))
    problems = coverage_figures.filter_problems(Visit.objects.all(), start=p.start, end=p.end).order_by("demand_id")
    found = ctx.record("visit-problems", RECORD_MODELS.DEMAND, problems.values_list("demand_id", flat=True),
                       gettext_noop("Problems found"))
    resolved = ctx.record("visit-resolved", RECORD_MODELS.DEMAND, coverage_figures.filter_problems(
        Visit.objects.all(), resolved=True, start=p.start, end=p.end).order_by("demand_id").values_list(
        "demand_id", flat=True), gettext_noop("Problems resolved"))
    return result(
        figures=[
            figure("enterprises_visited", gettext_noop("Enterprises visited"), t["enterprises_visited"], records=enterprises,
                   live=_visits_link("liaisons-visited", ctx)),
            figure("visits", gettext_noop("Visits"), t["visits"], records=visit_ids, live=_visits_link("liaisons-visits", ctx)),
            figure("person_trips", gettext_noop("Person-trips"), t["person_trips"], records=visit_ids),
            figure("problems", gettext_noop("Problems found"), t["problems"], records=found,
                   live=_visits_link("liaisons-problems", ctx)),
            figure("resolved", gettext_noop("Problems resolved"), t["resolved"], records=resolved,
                   live=_visits_link("liaisons-problems", ctx, resolved="true")),
        ],
        tables=[
            table("by_department", gettext_noop("Visits by department"), [(gettext_noop("Department"), "text"), *COVERAGE_COLUMNS],
                  _coverage_rows(ctx, cov.by_department, "department"), empty=gettext_noop("No visit in this period.")),
            table("by_town", gettext_noop("Visits by town"), [(gettext_noop("Town"), "text"), *COVERAGE_COLUMNS],
                  _coverage_rows(ctx, cov.by_town, "town"), empty=gettext_noop("No visit in this period.")),
        ],
    )


@section("pushes", gettext_noop("Policy pushes"))
def pushes(ctx: Context) -> dict:
    """The weekly "opening next week" pushes sent in the period (policies.models.PolicyPush)."""
    from policies.models import PolicyPush

    start, end = _aware_range(ctx)
    sent = list(PolicyPush.objects.filter(sent_at__gte=start, sent_at__lt=end).order_by("sent_at", "id")
                .values_list("id", "enterprise_id", "policies"))
    key = ctx.record("pushes", RECORD_MODELS.POLICY_PUSH, [pk for pk, _e, _p in sent], gettext_noop("Policy pushes sent"))
    return result(figures=[
        figure("pushes", gettext_noop("Policy pushes sent"), len(sent), records=key),
        figure("pushed_enterprises", gettext_noop("Enterprises reached"), len({e for _pk, e, _p in sent}), records=key),
        figure("pushed_policies", gettext_noop("Policies announced"), sum(len(p or []) for _pk, _e, p in sent), records=key),
    ])


@section("financing", gettext_noop("Financing results"))
def financing(ctx: Context) -> dict:
    """Financing needs raised in the period and what came of them (markets.figures.finance_figures)."""
    from markets.figures import finance_figures
    from markets.models import FinancingNeed

    start, end = _aware_range(ctx)
    needs = FinancingNeed.objects.filter(created_at__gte=start, created_at__lt=end)
    totals = finance_figures(needs)
    key = ctx.record("financing-needs", RECORD_MODELS.FINANCING_NEED, needs.order_by("id").values_list(
        "id", flat=True), gettext_noop("Financing needs raised"))
    return result(figures=[
        figure("needs", gettext_noop("Financing needs raised"), totals["needs"], records=key),
        figure("needed", gettext_noop("Amount needed"), totals["needed"], fmt="money", records=key),
        figure("matched", gettext_noop("Enterprises matched with a bank"), totals["matched"]),
        figure("intention", gettext_noop("Enterprises with an intention"), totals["intention"]),
        figure("granted_count", gettext_noop("Loans granted"), totals["granted_count"]),
        figure("granted", gettext_noop("Amount granted"), totals["granted"], fmt="money"),
    ])
