"""The scheduled demand jobs: overdue escalation, due-soon reminders, closing unrated demands."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from demands import actions
from demands.models import AppealType, Satisfaction, Status, SupervisionOrder
from demands.tasks import close_unrated, escalate_overdue, remind_due_soon
from notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db

D = dt.date


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, channel=Channel.IN_APP).order_by("id")
                .values_list("subject", flat=True))


# --- escalate_overdue ----------------------------------------------------------------------


def test_an_overdue_demand_gets_one_supervision_order_from_the_system(journey, clock, supervisor, kjj,
                                                                      department_handler):
    # Given a demand routed on Monday 2 March, due Monday 9 March, still being handled on the 10th
    demand = journey.demand_in(Status.IN_PROGRESS)
    on_time = journey.demand_in(Status.ROUTED, appeal_type=AppealType.COMPLAINT)  # due 19 March
    clock.set(D(2026, 3, 10), hour=8)

    # When the escalation job runs
    with translation.override("en"):
        escalated = escalate_overdue.call()

    # Then the overdue demand has a supervision order issued by the system to 市科技局
    assert escalated == 1
    order = SupervisionOrder.objects.get()
    assert (order.demand_id, order.issued_by, order.unit) == (demand.pk, None, kjj)
    assert (order.reason, order.respond_by, order.resolved_at) == ("Overdue since 2026-03-09.", D(2026, 3, 12), None)
    event = demand.events.last()
    assert (event.kind, event.actor, event.from_status, event.is_internal) == (
        "demand_supervised", None, Status.IN_PROGRESS, True)
    # and the supervisors and the bureau are told in the app
    assert f"Demand {demand.number} is overdue" in inbox(supervisor)
    assert f"Supervision order on {demand.number}" in inbox(department_handler)
    # while the demand that is not yet due is left alone
    assert not on_time.supervision_orders.exists()

    # When the job runs again the next day while the order is still open
    clock.advance(days=1)
    assert escalate_overdue.call() == 0

    # Then there is still just one order and one notice to the supervisors
    assert SupervisionOrder.objects.count() == 1
    assert demand.events.filter(kind="demand_supervised").count() == 1
    assert len([s for s in inbox(supervisor) if "overdue" in s]) == 1


def test_a_demand_waiting_for_the_enterprise_is_not_escalated(journey, clock):
    # Given two demands due on 9 March: one being handled, one waiting for 宏达's information
    handled = journey.demand_in(Status.IN_PROGRESS)
    waiting = journey.demand_in(Status.WAITING_INFO)
    assert handled.answer_due_on == waiting.answer_due_on == D(2026, 3, 9)

    # When the escalation job runs after the due date
    clock.set(D(2026, 3, 11))
    escalated = escalate_overdue.call()

    # Then only the one being handled is escalated: the clock is stopped on the other
    assert escalated == 1
    assert list(SupervisionOrder.objects.values_list("demand_id", flat=True)) == [handled.pk]


def test_an_answered_demand_is_not_escalated(journey, clock):
    journey.demand_in(Status.ANSWERED)
    clock.set(D(2026, 3, 20))
    assert escalate_overdue.call() == 0
    assert not SupervisionOrder.objects.exists()


# --- remind_due_soon ----------------------------------------------------------------------


def test_the_unit_is_reminded_once_the_working_day_before_the_deadline(journey, clock, department_handler):
    # Given a demand due Monday 9 March and a complaint due 19 March
    due_monday = journey.demand_in(Status.IN_PROGRESS)
    later = journey.demand_in(Status.ROUTED, appeal_type=AppealType.COMPLAINT)

    # When the reminder job runs on Thursday 5 March, Monday is still two working days away
    clock.set(D(2026, 3, 5))
    assert remind_due_soon.call() == 0

    # When it runs on Friday 6 March, Monday is the next working day: the bureau is reminded
    clock.set(D(2026, 3, 6))
    with translation.override("en"):
        assert remind_due_soon.call() == 1
    reminder = due_monday.events.get(kind="demand_due_reminder")
    assert (reminder.data, reminder.is_internal, reminder.actor) == ({"due": "2026-03-09"}, True, None)
    assert f"Demand {due_monday.number} is due on 2026-03-09" in inbox(department_handler)

    # When it runs again (another worker, or later the same day), nobody is reminded twice
    clock.advance(hours=4)
    assert remind_due_soon.call() == 0
    assert due_monday.events.filter(kind="demand_due_reminder").count() == 1
    assert not later.events.filter(kind="demand_due_reminder").exists()


# --- close_unrated ------------------------------------------------------------------------


def test_a_demand_left_unrated_is_closed_after_the_configured_days(journey, clock, settings):
    settings.QIFU_UNRATED_CLOSE_DAYS = 7

    # Given 宏达 was given an answer on 2 March and never rated it, and another answer today (10 March)
    stale = journey.demand_in(Status.FEEDBACK_GIVEN)
    clock.set(D(2026, 3, 10))
    fresh = journey.demand_in(Status.FEEDBACK_GIVEN)

    # When the job runs
    closed = close_unrated.call()

    # Then only the old one is closed, by the system, saying why
    assert closed == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == (Status.CLOSED, Status.FEEDBACK_GIVEN)
    assert stale.closed_at == clock.now and stale.satisfaction == ""
    event = stale.events.last()
    assert (event.kind, event.actor, event.from_status, event.data) == (
        "demand_closed_unrated", None, Status.FEEDBACK_GIVEN, {"unrated_days": 7})
    # and running it again changes nothing
    assert close_unrated.call() == 0


def test_the_number_of_days_before_closing_unrated_is_a_setting(journey, clock, settings):
    demand = journey.demand_in(Status.FEEDBACK_GIVEN)
    clock.set(D(2026, 3, 10))

    settings.QIFU_UNRATED_CLOSE_DAYS = 10
    assert close_unrated.call() == 0
    settings.QIFU_UNRATED_CLOSE_DAYS = 5
    assert close_unrated.call() == 1
    demand.refresh_from_db()
    assert demand.status == Status.CLOSED


def test_a_reopened_demand_gets_the_full_rating_period_for_its_new_answer(journey, clock, settings,
                                                                          hongda_contact):
    settings.QIFU_UNRATED_CLOSE_DAYS = 7

    # Given 宏达 got an answer on 2 March, reopened it, and got a new answer on 12 March
    demand = journey.demand_in(Status.FEEDBACK_GIVEN)
    clock.set(D(2026, 3, 11))
    demand = actions.do_reopen(demand, acting_user=hongda_contact, version=demand.version,
                               comment="仍未解决", satisfaction=Satisfaction.DISSATISFIED)
    clock.set(D(2026, 3, 12))
    demand = journey.to(demand, Status.FEEDBACK_GIVEN)

    # When the job runs the same day
    close_unrated.call()

    # Then 宏达 still has seven days to rate the new answer
    demand.refresh_from_db()
    assert demand.status == Status.FEEDBACK_GIVEN
