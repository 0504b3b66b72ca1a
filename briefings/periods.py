"""The periods of the briefings: a Monday–Sunday week (企情快报) or a calendar month (企服简报)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .models import Kind


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date  # first day
    end: dt.date  # the day after the last day

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def previous(self) -> Period:
        return period_of(self.kind, self.start - dt.timedelta(days=1))

    def query(self) -> str:
        """``YYYY-MM-DD..YYYY-MM-DD``: the workbench's and the visit lists' period filter."""
        return f"{self.start:%Y-%m-%d}..{self.last_day:%Y-%m-%d}"


def period_of(kind: str, day: dt.date) -> Period:
    """The week (Monday first) or the month that contains ``day``."""
    if kind == Kind.WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        return Period(kind, start, start + dt.timedelta(days=7))
    start = day.replace(day=1)
    return Period(kind, start, (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1))


def last_finished(kind: str, today: dt.date) -> Period:
    """The last whole period before ``today``: last week on a Monday, last month on the 1st."""
    return period_of(kind, today).previous()


def recent(kind: str, period: Period, count: int) -> list[Period]:
    """``count`` periods ending with ``period``, oldest first."""
    periods = [period]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]


def parse(kind: str, text: str) -> Period:
    """``2026-W48`` (ISO week), ``2026-11`` (month) or any day inside the period (``2026-11-23``)."""
    text = (text or "").strip()
    if m := re.fullmatch(r"(\d{4})-[Ww](\d{1,2})", text):
        return period_of(kind, dt.date.fromisocalendar(int(m[1]), int(m[2]), 1))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return period_of(kind, dt.date(int(m[1]), int(m[2]), 1))
    return period_of(kind, dt.date.fromisoformat(text))


def aware(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in Cixi (the bounds of a period in datetime fields)."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
