"""A known week of demands, visits and pushes for the briefing tests.

The week is Monday 2026-03-02 .. Sunday 2026-03-08 (the demand tests' frozen clock starts
on that Monday).  Demands are made through demands.actions with the demand tests'
``journey`` (宏达 asks, the 周巷 window routes to 市科技局, its handler answers):

* ``before``  — received 02-25 and closed 02-25: in no figure of the week;
* ``carried`` — received 02-26, closed 03-04: closed in the week, not new;
* ``done``    — received 03-03, answered on time, rated satisfied, closed 03-05: new and closed;
* ``open``    — received 03-04, routed and never answered: new, routed, overdue by 03-30;
* ``after``   — received 03-09 (the next Monday): in no figure of the week.

A supervision order is issued on ``open`` on 03-06 (in the week) and one on ``carried`` on
02-27 (before it).  The issue is generated on 2026-03-30.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from demands import actions
from demands.models import Demand, Status
from intelligence import classifier

from ..demands.conftest import (  # noqa: F401 - fixtures shared with the demand tests
    Journey,
    clock,
    hotline,
    innovation,
    journey,
    kjj,
)

WEEK_START = dt.date(2026, 3, 2)
GENERATED_ON = dt.date(2026, 3, 30)


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path):
    """The hot topics train the classifier on first use: into a temporary directory."""
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    classifier._cache.clear()
    yield


@pytest.fixture(autouse=True)
def no_topics(request, monkeypatch):
    """Hot topics train the classifier (seconds): stubbed unless a test asks for the real ones."""
    if "real_topics" not in request.fixturenames:
        monkeypatch.setattr("intelligence.topics.hot_topics", lambda start, end, limit=10: [])


@pytest.fixture
def real_topics():
    """Ask for this fixture to run the real hot topics (intelligence.topics)."""


@dataclass
class Week:
    before: Demand
    carried: Demand
    done: Demand
    open: Demand
    after: Demand


def _on(frozen, day: dt.date, hour: int = 10) -> None:
    frozen.set(day, hour)


@pytest.fixture
def week(journey: Journey, clock) -> Week:  # noqa: F811 - fixtures
    _on(clock, dt.date(2026, 2, 25))
    before = journey.demand_in(Status.CLOSED, title="企业用电报装进度咨询", text="新厂房用电报装已提交，想了解进度。")
    _on(clock, dt.date(2026, 2, 26))
    carried = journey.demand_in(Status.ROUTED, title="研发费用加计扣除申报", text="想了解研发费用加计扣除的申报材料。")
    _on(clock, dt.date(2026, 2, 27))
    actions.do_supervise(carried, acting_user=journey.supervisor, reason="请加快办理。")
    _on(clock, dt.date(2026, 3, 3))
    done = journey.demand_in(Status.ANSWERED, title="高新技术企业认定咨询", text="想申报高新技术企业，需要准备哪些材料。")
    _on(clock, dt.date(2026, 3, 4))
    carried = journey.to(Demand.objects.get(pk=carried.pk), Status.CLOSED)
    open_ = journey.demand_in(Status.ROUTED, title="专利补助申请", text="去年获得两项发明专利，想申请专利补助。")
    _on(clock, dt.date(2026, 3, 5))
    done = journey.to(Demand.objects.get(pk=done.pk), Status.CLOSED)
    _on(clock, dt.date(2026, 3, 6))
    actions.do_supervise(open_, acting_user=journey.supervisor, reason="已超期，请尽快答复。")
    _on(clock, dt.date(2026, 3, 9))
    after = journey.submit(title="厂区道路积水", text="厂区门口道路下雨积水严重。")
    _on(clock, GENERATED_ON)
    return Week(before, carried, done, open_, after)
