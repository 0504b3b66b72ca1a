"""Deadlines in Chinese working days: holidays, make-up Saturdays, rules as data, the
administrator's calendar, years the holiday package does not know, and the paused clock."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from demands import actions, deadlines
from demands.calendar import WorkCalendar, known_until
from demands.models import AppealType, CalendarDay, DeadlineRule, Priority, Status
from reference.models import Category

D = dt.date
FRIDAY_BEFORE_SPRING_FESTIVAL = D(2026, 2, 13)  # 春节 2026: 15–23 Feb off, Saturday 14 and 28 Feb worked


# --- The calendar itself (no database) ----------------------------------------------------


def test_spring_festival_2026_is_skipped_and_its_make_up_saturdays_are_worked():
    calendar = WorkCalendar()
    assert calendar.add_working_days(FRIDAY_BEFORE_SPRING_FESTIVAL, 1) == D(2026, 2, 14)
    assert calendar.add_working_days(FRIDAY_BEFORE_SPRING_FESTIVAL, 2) == D(2026, 2, 24)
    assert calendar.add_working_days(FRIDAY_BEFORE_SPRING_FESTIVAL, 5) == D(2026, 2, 27)
    assert calendar.add_working_days(D(2026, 2, 27), 1) == D(2026, 2, 28)
    assert not calendar.guessed


def test_zero_working_days_is_the_day_itself_or_the_next_working_day():
    calendar = WorkCalendar()
    assert calendar.add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)
    assert calendar.add_working_days(D(2026, 2, 17), 0) == D(2026, 2, 24)  # 初一 → first day back


def test_working_days_between_counts_the_end_and_not_the_start():
    calendar = WorkCalendar()
    assert calendar.working_days_between(D(2026, 3, 5), D(2026, 3, 10)) == 3  # Fri 6, Mon 9, Tue 10
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # Sat 14, Tue 24
    assert calendar.working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0


def test_an_override_wins_over_the_package():
    calendar = WorkCalendar({D(2026, 2, 14): False, D(2026, 2, 23): True})
    assert calendar.add_working_days(FRIDAY_BEFORE_SPRING_FESTIVAL, 1) == D(2026, 2, 23)


def test_a_year_the_package_does_not_know_counts_weekdays_and_says_so(caplog):
    # The installed chinesecalendar (see requirements.txt) knows the holidays up to 2026.
    assert known_until() == 2026, "the package now knows 2027: move these dates to the first unknown year"
    calendar = WorkCalendar()

    with caplog.at_level(logging.WARNING, logger="demands.calendar"):
        due = calendar.add_working_days(D(2026, 12, 30), 3)
        calendar.add_working_days(D(2027, 1, 4), 5)

    # New Year's Day 2027 is counted as a working day: that is the guess the warning is about
    assert due == D(2027, 1, 4)
    assert calendar.guessed and calendar.unknown_years == {2027}
    warnings = [r for r in caplog.records if r.name == "demands.calendar"]
    assert len(warnings) == 1 and "2027" in warnings[0].getMessage()


def test_a_year_the_administrator_entered_is_not_guessed(caplog):
    entered = {D(2027, 1, 1): False, D(2027, 1, 2): False, D(2027, 1, 3): False, D(2027, 1, 4): True,
               D(2027, 1, 5): True}
    calendar = WorkCalendar(entered)
    with caplog.at_level(logging.WARNING, logger="demands.calendar"):
        assert calendar.add_working_days(D(2026, 12, 30), 3) == D(2027, 1, 5)
    assert not calendar.guessed
    assert not [r for r in caplog.records if r.name == "demands.calendar"]


# --- Deadlines on demands ----------------------------------------------------------------

with_db = pytest.mark.django_db


@with_db
def test_a_demand_routed_before_spring_festival_is_due_after_it(journey, clock):
    # Given 宏达 writes on Friday 2026-02-13, the last working day before the Spring Festival
    clock.set(FRIDAY_BEFORE_SPRING_FESTIVAL)
    demand = journey.submit()

    # Then it must be accepted by the make-up Saturday
    assert demand.accept_due_on == D(2026, 2, 14)

    # When the window routes it the same day, it must be answered in 5 working days:
    # 14 (make-up Saturday), 24, 25, 26, 27 February
    routed = journey.to(demand, Status.ROUTED)
    assert routed.answer_due_on == D(2026, 2, 27)
    assert routed.calendar_unknown is False
    assert routed.events.last().data["answer_due_on"] == "2026-02-27"


@with_db
@pytest.mark.parametrize(("appeal_type", "due"), [
    pytest.param(AppealType.COMPLAINT, D(2026, 3, 10), id="complaint-13"),
    pytest.param(AppealType.CONSULTATION, D(2026, 2, 25), id="consultation-3"),
    pytest.param(AppealType.SUGGESTION, D(2026, 2, 27), id="suggestion-5"),
])
def test_the_appeal_type_sets_the_working_days_to_answer(appeal_type, due, journey, clock):
    # 13 working days from 13 Feb: 14, 24, 25, 26, 27, 28 Feb, 2, 3, 4, 5, 6, 9, 10 March
    clock.set(FRIDAY_BEFORE_SPRING_FESTIVAL)
    assert journey.demand_in(Status.ROUTED, appeal_type=appeal_type).answer_due_on == due


@with_db
def test_the_default_rules_are_rows_an_administrator_can_edit(reference):
    # (rules for one channel, such as deputies' proposals, are another matter)
    any_channel = DeadlineRule.objects.filter(channel__isnull=True)
    rows = set(any_channel.values_list("category", "priority", "appeal_type", "accept_days", "answer_days"))
    assert rows == {(None, "", "", 1, 5), (None, "", "consultation", 1, 3), (None, "", "complaint", 1, 13)}
    DeadlineRule.objects.filter(appeal_type="complaint").update(answer_days=10)
    assert deadlines.rule_for(None, Priority.NORMAL, AppealType.COMPLAINT) == (1, 10)


@with_db
def test_the_most_specific_rule_wins(journey, clock, innovation):
    # Given innovation demands must be answered in 2 working days, innovation complaints in 8,
    # urgent innovation complaints in 1, and power-supply demands of any kind in 4
    utilities = Category.objects.get(code="utilities")
    DeadlineRule.objects.create(category=utilities, answer_days=4)
    DeadlineRule.objects.create(category=innovation, answer_days=2)
    DeadlineRule.objects.create(category=innovation, appeal_type=AppealType.COMPLAINT, answer_days=8)
    DeadlineRule.objects.create(category=innovation, appeal_type=AppealType.COMPLAINT, priority=Priority.URGENT,
                                accept_days=0, answer_days=1)

    # Then a category rule beats the appeal-type default, and more conditions beat fewer
    assert deadlines.rule_for(innovation.pk, Priority.NORMAL, AppealType.REQUEST) == (1, 2)
    assert deadlines.rule_for(innovation.pk, Priority.NORMAL, AppealType.COMPLAINT) == (1, 8)
    assert deadlines.rule_for(innovation.pk, Priority.URGENT, AppealType.COMPLAINT) == (0, 1)
    assert deadlines.rule_for(None, Priority.URGENT, AppealType.COMPLAINT) == (1, 13)
    # the category is the strongest condition: a power-supply complaint follows the category's 4 days
    assert deadlines.rule_for(utilities.pk, Priority.NORMAL, AppealType.COMPLAINT) == (1, 4)

    # and a demand classified as innovation on 13 Feb is due on the make-up Saturday's next working day
    clock.set(FRIDAY_BEFORE_SPRING_FESTIVAL)
    assert journey.demand_in(Status.ROUTED).answer_due_on == D(2026, 2, 24)


@with_db
def test_without_any_rule_row_the_documented_defaults_apply(reference):
    DeadlineRule.objects.all().delete()
    assert deadlines.rule_for(None, Priority.NORMAL, AppealType.COMPLAINT) == (1, 13)
    assert deadlines.rule_for(None, Priority.NORMAL, AppealType.CONSULTATION) == (1, 3)
    assert deadlines.rule_for(None, Priority.NORMAL, AppealType.REQUEST) == (1, 5)


@with_db
def test_the_administrators_calendar_wins_over_the_package(journey, clock):
    # Given the administrator made 24 February a holiday (say, a local typhoon day off)
    CalendarDay.objects.create(date=D(2026, 2, 24), is_workday=False, note="台风停工")

    # When a demand is routed on 13 February
    clock.set(FRIDAY_BEFORE_SPRING_FESTIVAL)
    routed = journey.demand_in(Status.ROUTED)

    # Then the five working days are 14, 25, 26, 27 and 28 (make-up Saturday) February
    assert routed.answer_due_on == D(2026, 2, 28)


@with_db
def test_a_deadline_in_an_unknown_year_is_flagged_on_the_demand(journey, clock, caplog):
    # Given a demand routed on Monday 2026-12-28; the package knows nothing of 2027
    clock.set(D(2026, 12, 28))
    with caplog.at_level(logging.WARNING, logger="demands.calendar"):
        routed = journey.demand_in(Status.ROUTED)

    # Then the deadline counts 1 January 2027 as a working day, and the demand says it was guessed
    assert routed.answer_due_on == D(2027, 1, 4)  # 29, 30, 31 Dec, 1 and 4 Jan
    routed.refresh_from_db()
    assert routed.calendar_unknown is True
    assert any("2027" in r.getMessage() for r in caplog.records if r.name == "demands.calendar")


@with_db
def test_with_the_new_years_days_entered_the_deadline_is_not_guessed(journey, clock, caplog):
    # Given the administrator entered the 2027 New Year holiday and the first working days
    for day, workday in [(1, False), (2, False), (3, False), (4, True), (5, True)]:
        CalendarDay.objects.create(date=D(2027, 1, day), is_workday=workday)

    # When a demand is routed on Monday 2026-12-28
    clock.set(D(2026, 12, 28))
    with caplog.at_level(logging.WARNING, logger="demands.calendar"):
        routed = journey.demand_in(Status.ROUTED)

    # Then it is due on 5 January, from the entered days, and nothing was guessed
    assert routed.answer_due_on == D(2027, 1, 5)
    routed.refresh_from_db()
    assert routed.calendar_unknown is False
    calendar = WorkCalendar.load(D(2026, 12, 28))
    assert calendar.add_working_days(D(2026, 12, 28), 5) == D(2027, 1, 5) and not calendar.guessed
    assert not [r for r in caplog.records if r.name == "demands.calendar"]


@with_db
def test_a_reopened_demand_whose_new_deadline_falls_in_an_unknown_year_is_flagged(journey, clock, hongda_contact):
    # Given a demand answered well inside 2026
    demand = journey.demand_in(Status.FEEDBACK_GIVEN)
    assert demand.calendar_unknown is False

    # When 宏达 reopens it on 28 December, so that the new deadline lands in 2027
    clock.set(D(2026, 12, 28))
    reopened = actions.do_reopen(demand, acting_user=hongda_contact, version=demand.version, comment="仍未解决")

    # Then the new deadline is flagged as guessed, as routing would flag it
    assert reopened.answer_due_on == D(2027, 1, 4)
    reopened.refresh_from_db()
    assert reopened.calendar_unknown is True


# --- The clock pauses while the enterprise is asked for information ------------------------


@with_db
def test_the_answer_clock_stops_while_waiting_for_the_enterprise(journey, clock, department_handler, hongda_contact):
    # Given a demand routed on Monday 2 March, due Monday 9 March, being handled
    demand = journey.demand_in(Status.IN_PROGRESS)
    assert demand.answer_due_on == D(2026, 3, 9)

    # When the handler asks 宏达 for figures on Thursday 5 March
    clock.set(D(2026, 3, 5))
    waiting = actions.do_request_info(demand, acting_user=department_handler, version=demand.version,
                                      question="请补充近三年研发费用明细表。")
    assert (waiting.status, waiting.paused_since) == (Status.WAITING_INFO, D(2026, 3, 5))

    # and 宏达 sends them on Tuesday 10 March, three working days later (Fri 6, Mon 9, Tue 10)
    clock.set(D(2026, 3, 10))
    resumed = actions.do_supply_info(waiting, acting_user=hongda_contact, version=waiting.version,
                                     text="明细表已上传。")

    # Then the deadline moved by exactly three working days, to Thursday 12 March
    resumed.refresh_from_db()
    assert (resumed.status, resumed.paused_since) == (Status.IN_PROGRESS, None)
    assert resumed.answer_due_on == D(2026, 3, 12)
    assert resumed.events.last().data == {"paused_working_days": 3}


@with_db
def test_information_supplied_the_same_day_does_not_move_the_deadline(journey, department_handler,
                                                                      zhouxiang_clerk):
    demand = journey.demand_in(Status.WAITING_INFO)
    resumed = actions.do_supply_info(demand, acting_user=zhouxiang_clerk, version=demand.version,
                                     text="企业电话告知：户号 3302001234")
    assert resumed.answer_due_on == D(2026, 3, 9)
    assert resumed.events.last().data == {"paused_working_days": 0}
