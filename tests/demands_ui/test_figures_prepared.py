"""The dashboard's prepared monthly figures (demands/cube.py) always say what the demands say.

Fixture: five demands over March and April 2026 in two towns, two of them co-handled.
Every persona's dashboard, for whole and partial periods, must equal the figures counted
straight from that persona's visible demands — before the worker prepared the months
(everything counted live), after it did (prepared rows), and right after a new change
(that month counted live again until the next refresh).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from demands import cube, figures
from demands.access import visible_demands
from demands.forms import aware, parse_period
from demands.models import MonthFigures, StaleMonth, Status

pytestmark = pytest.mark.django_db

PERIODS = ("2026", "2026-03", "2026-Q2", "2026-03-15..2026-04-10", "2025")


@pytest.fixture
def spread(journey, longteng_journey, clock, kjj, power):
    """March: 宏达 closed (co-handled by 供电), 宏达 in progress, 龙腾 fed back.  April: 龙腾 routed
    to 供电 co-handled by 科技局, 宏达 just received."""
    journey.demand_in(Status.CLOSED, co_handlers=[power], title="三月 已办结")
    journey.demand_in(Status.IN_PROGRESS, title="三月 办理中")
    longteng_journey.demand_in(Status.FEEDBACK_GIVEN, title="三月 龙腾")
    clock.set(dt.date(2026, 4, 7))
    longteng_journey.demand_in(Status.ROUTED, co_handlers=[kjj], title="四月 龙腾 协办")
    journey.demand_in(Status.RECEIVED, title="四月 新件")


@pytest.fixture
def personas(supervisor, zhouxiang_clerk, longshan_clerk, department_handler, power_handler):
    return {"supervisor": supervisor, "zhouxiang": zhouxiang_clerk, "longshan": longshan_clerk,
            "kjj": department_handler, "power": power_handler}


def shown(client, user, period: str) -> dict:
    client.force_login(user)
    context = client.get(reverse("demands-figures"), {"period": period}).context
    return {"overall": context["overall"],
            **{table["key"]: {r["code"]: r for r in table["rows"]} for table in context["tables"]}}


def counted_live(user, period: str) -> dict:
    start, end = parse_period(period)
    rows = figures.rollup(visible_demands(user).filter(received_at__gte=aware(start), received_at__lt=aware(end)))
    return {"overall": figures.overall(rows),
            **{key: {r["code"]: r for r in figures.breakdown(rows, key)} for key in figures.DIMENSIONS}}


def without_links(view: dict) -> dict:
    return {k: ({code: {f: v for f, v in row.items() if f not in ("query", "url")} for code, row in rows.items()}
                if k != "overall" else rows) for k, rows in view.items()}


def assert_every_dashboard_is_right(client, personas):
    for name, user in personas.items():
        for period in PERIODS:
            assert without_links(shown(client, user, period)) == without_links(counted_live(user, period)), (
                name, period)


def test_every_scope_and_period_is_right_before_and_after_the_months_are_prepared(client, spread, personas):
    assert set(StaleMonth.objects.values_list("month", flat=True)) == {dt.date(2026, 3, 1), dt.date(2026, 4, 1)}
    assert_every_dashboard_is_right(client, personas)  # all live

    assert cube.refresh_stale() == 2
    assert not StaleMonth.objects.exists()
    assert MonthFigures.objects.filter(month=dt.date(2026, 3, 1)).exists()
    assert_every_dashboard_is_right(client, personas)  # prepared rows (+ co-handled extras)


def test_the_dashboard_reads_the_prepared_rows_and_a_change_makes_the_month_live_again(
        client, spread, supervisor, zhouxiang_clerk, journey, clock):
    cube.refresh_stale()
    # A wrong prepared row shows: the page really adds up the prepared months (city-wide the
    # per-dimension totals, for a town the cells of its town).
    for level, town in (("category", None), ("cell", zhouxiang_clerk.organisation.town_id)):
        row = MonthFigures.objects.filter(month=dt.date(2026, 3, 1), level=level, **(
            {"town_id": town} if town else {})).first()
        row.total += 100
        row.save()
    assert shown(client, supervisor, "2026")["overall"]["total"] == 105
    assert shown(client, zhouxiang_clerk, "2026")["overall"]["total"] == 103

    march_demand = visible_demands(supervisor).get(title="三月 办理中")
    journey.to(march_demand, Status.ANSWERED)  # any step marks its month stale in the same transaction
    assert StaleMonth.objects.filter(month=dt.date(2026, 3, 1)).exists()
    after = shown(client, supervisor, "2026")["overall"]
    assert after["total"] == 5 and after["answered"] == 3

    cube.refresh_stale()
    assert shown(client, supervisor, "2026")["overall"] == after


def test_a_change_during_a_rebuild_keeps_the_month_stale(spread, monkeypatch):
    rebuild = cube.rebuild_month

    def rebuild_while_someone_acts(month):
        count = rebuild(month)
        cube.mark_stale(aware(month))  # a demand of that month changed meanwhile
        return count

    monkeypatch.setattr(cube, "rebuild_month", rebuild_while_someone_acts)
    assert cube.refresh_stale() == 0
    assert set(StaleMonth.objects.values_list("month", flat=True)) == {dt.date(2026, 3, 1), dt.date(2026, 4, 1)}

    monkeypatch.setattr(cube, "rebuild_month", rebuild)
    assert cube.refresh_stale() == 2


def test_rebuild_all_drops_months_whose_demands_are_gone(spread, supervisor):
    cube.rebuild_all()
    visible_demands(supervisor).filter(received_at__gte=aware(dt.date(2026, 4, 1))).delete()  # a direct edit
    assert cube.rebuild_all() == 1
    assert set(MonthFigures.objects.values_list("month", flat=True)) == {dt.date(2026, 3, 1)}
