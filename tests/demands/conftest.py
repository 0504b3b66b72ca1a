"""Fixtures for the demand tests: one more handler, a frozen clock, and the closed loop.

The people come from tests/conftest.py (``hongda_contact``, ``zhouxiang_clerk``,
``department_handler`` of 市科技局, ``supervisor`` …); this file adds:

* ``power_handler`` — a handler at 供电公司 (``dept_power``), the "other unit";
* ``clock`` — every demand test runs on a known day (Monday 2026-03-02, 10:00 in
  Cixi) unless it moves the clock; ``timezone.now`` is frozen, so the actions'
  ``_today()``, the scheduled jobs and the event timestamps all follow it;
* ``journey`` — takes a demand of 宏达 through the closed loop, each step done by the
  person who does it in real life, always through demands.actions.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Organisation, Role
from demands import actions
from demands.models import AppealType, Demand, Satisfaction, Status
from reference.models import Category, Channel

from ..factories import make_user

CIXI = ZoneInfo("Asia/Shanghai")
A_MONDAY = dt.date(2026, 3, 2)

# The happy path, one step at a time (waiting for information is a detour from in_progress).
HAPPY_PATH = [
    Status.RECEIVED, Status.ACCEPTED, Status.ROUTED, Status.IN_PROGRESS, Status.ANSWERED,
    Status.FEEDBACK_GIVEN, Status.RATED, Status.CLOSED,
]


class Clock:
    """The frozen "now" of a test; move it with :meth:`set` or :meth:`advance`."""

    def __init__(self, day: dt.date):
        self.set(day)

    def set(self, day: dt.date, hour: int = 10) -> None:
        self.now = dt.datetime.combine(day, dt.time(hour), CIXI)

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)

    @property
    def today(self) -> dt.date:
        return self.now.date()


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    frozen = Clock(A_MONDAY)
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture
def power_handler(reference):
    return make_user("power_handler", role=Role.Code.DEPARTMENT_HANDLER, org="dept_power", display_name="供电承办人")


@pytest.fixture
def kjj(reference) -> Organisation:
    return Organisation.objects.get(code="dept_kjj")


@pytest.fixture
def power(reference) -> Organisation:
    return Organisation.objects.get(code="dept_power")


@pytest.fixture
def innovation(reference) -> Category:
    """科技创新与知识产权, handled by 市科技局 by default."""
    return Category.objects.get(code="innovation")


@pytest.fixture
def hotline(reference) -> Channel:
    return Channel.objects.get(code="hotline")


class Journey:
    """Moves 宏达's demands along the loop; each method is one person doing one step."""

    def __init__(self, *, contact, clerk, handler, supervisor, channel, category, lead_unit):
        self.contact, self.clerk, self.handler, self.supervisor = contact, clerk, handler, supervisor
        self.channel, self.category, self.lead_unit = channel, category, lead_unit

    def submit(self, *, appeal_type=AppealType.REQUEST, title="申请研发费用加计扣除", enterprise=None,
               acting_user=None, **extra) -> Demand:
        return actions.do_submit_demand(
            acting_user=acting_user or self.contact, enterprise=enterprise or self.contact.enterprise,
            channel=self.channel, appeal_type=appeal_type, title=title,
            text=extra.pop("text", "企业研发投入较大，想了解研发费用加计扣除的申报流程和材料。"), **extra,
        )

    def step(self, demand: Demand, *, co_handlers=()) -> Demand:
        """The next step of the happy path."""
        status = demand.status
        if status == Status.RECEIVED:
            return actions.do_accept(demand, acting_user=self.clerk, version=demand.version, category=self.category)
        if status == Status.ACCEPTED:
            return actions.do_route(demand, acting_user=self.clerk, version=demand.version,
                                    lead_unit=self.lead_unit, co_handlers=co_handlers)
        if status == Status.ROUTED:
            return actions.do_start(demand, acting_user=self.handler, version=demand.version)
        if status == Status.IN_PROGRESS:
            return actions.do_answer(demand, acting_user=self.handler, version=demand.version,
                                     answer="已与企业电话沟通，申报材料清单已发送。")
        if status == Status.ANSWERED:
            return actions.do_give_feedback(demand, acting_user=self.clerk, version=demand.version)
        if status == Status.FEEDBACK_GIVEN:
            return actions.do_rate(demand, acting_user=self.contact, version=demand.version,
                                   satisfaction=Satisfaction.SATISFIED, solved=True)
        if status == Status.RATED:
            return actions.do_close(demand, acting_user=self.clerk, version=demand.version)
        raise AssertionError(f"no next step from {status}")

    def to(self, demand: Demand, status: str, *, co_handlers=()) -> Demand:
        """Walk ``demand`` forward until it reaches ``status``."""
        if status == Status.WAITING_INFO:
            demand = self.to(demand, Status.IN_PROGRESS, co_handlers=co_handlers)
            return actions.do_request_info(demand, acting_user=self.handler, version=demand.version,
                                           question="请补充近三年研发费用明细表。")
        if status in (Status.MERGED, Status.WITHDRAWN):
            raise AssertionError(f"{status} is not on the happy path")
        assert HAPPY_PATH.index(demand.status) <= HAPPY_PATH.index(status), "the loop does not run backwards"
        while demand.status != status:
            demand = self.step(demand, co_handlers=co_handlers)
        return demand

    def demand_in(self, status: str, *, co_handlers=(), **submit) -> Demand:
        return self.to(self.submit(**submit), status, co_handlers=co_handlers)


@pytest.fixture
def journey(hongda_contact, zhouxiang_clerk, department_handler, supervisor, hotline, innovation, kjj) -> Journey:
    """宏达 (周巷镇) asks; the 周巷 window accepts and routes to 市科技局, whose handler answers."""
    return Journey(contact=hongda_contact, clerk=zhouxiang_clerk, handler=department_handler,
                   supervisor=supervisor, channel=hotline, category=innovation, lead_unit=kjj)
