"""Deadline rules: working days to accept and to answer, configurable as data."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from .calendar import WorkCalendar
from .models import AppealType, DeadlineRule

# Used when the rule table has no matching row (the defaults the issue names).
DEFAULT_ACCEPT_DAYS = 1
DEFAULT_ANSWER_DAYS = {AppealType.CONSULTATION: 3, AppealType.COMPLAINT: 13}
DEFAULT_OTHER_ANSWER_DAYS = 5


def rule_for(category_id: int | None, priority: str, appeal_type: str,
             channel_id: int | None = None) -> tuple[int, int]:
    """(accept_days, answer_days) of the most specific matching rule (channel first)."""
    candidates = DeadlineRule.objects.filter(
        Q(channel_id=channel_id) | Q(channel__isnull=True),
        Q(category_id=category_id) | Q(category__isnull=True),
        Q(priority=priority) | Q(priority=""),
        Q(appeal_type=appeal_type) | Q(appeal_type=""),
    )
    best = max(
        candidates,
        key=lambda r: (r.channel_id is not None, r.category_id is not None, bool(r.appeal_type), bool(r.priority)),
        default=None,
    )
    if best is None:
        return DEFAULT_ACCEPT_DAYS, DEFAULT_ANSWER_DAYS.get(appeal_type, DEFAULT_OTHER_ANSWER_DAYS)
    return best.accept_days, best.answer_days


def due_date(start: dt.date, working_days: int, calendar: WorkCalendar | None = None) -> tuple[dt.date, bool]:
    """The due date and whether the calendar had to guess (a year with no holiday data)."""
    calendar = calendar or WorkCalendar.load(start)
    due = calendar.add_working_days(start, working_days)
    return due, calendar.guessed
