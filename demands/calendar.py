"""Chinese working days: statutory holidays and make-up workdays (调休).

The ``chinesecalendar`` package knows the State Council's holiday notices up to
the year it was released; days the administrator enters in CalendarDay win over
it, and a year neither knows is counted Monday–Friday with a loud warning.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import chinese_calendar

logger = logging.getLogger(__name__)


@dataclass
class WorkCalendar:
    """Answers "is this a working day?"; remembers whether it had to guess."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    unknown_years: set[int] = field(default_factory=set)
    _memo: dict[dt.date, bool] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, start: dt.date | None = None) -> WorkCalendar:
        """Read the administrator's overrides from the database (from ``start`` on)."""
        from .models import CalendarDay

        days = CalendarDay.objects.all()
        if start:
            days = days.filter(date__gte=start - dt.timedelta(days=31))
        return cls({d.date: d.is_workday for d in days})

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day not in self._memo:
            self._memo[day] = self._package_says(day)
        return self._memo[day]

    def _package_says(self, day: dt.date) -> bool:
        # The package validates its whole table on every call: memoised above.
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year not in self.unknown_years:
                logger.warning(
                    "No holiday calendar for %s: counting Monday to Friday. Enter the year's holidays and "
                    "make-up workdays in the admin (Working-day calendar).", day.year
                )
            self.unknown_years.add(day.year)
            return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (``start`` itself not counted).

        Zero days gives ``start`` if it is a working day, else the next one.
        """
        day = start
        if days == 0:
            while not self.is_workday(day):
                day += dt.timedelta(days=1)
            return day
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in the half-open range (start, end]."""
        return sum(
            1 for offset in range(1, (end - start).days + 1) if self.is_workday(start + dt.timedelta(days=offset))
        )

    @property
    def guessed(self) -> bool:
        return bool(self.unknown_years)


def known_until() -> int:
    """The last year the holiday package knows."""
    return max(chinese_calendar.holidays).year
