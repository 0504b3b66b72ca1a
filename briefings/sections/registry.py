"""The report sections as a registry: one small function per section, run in order.

A section function takes a :class:`Context` and returns a dict of plain JSON (see
:func:`figure`, :func:`table`, :func:`chart`): the issue freezes it, and the web
page, the Word file and the PDF render it without knowing which section it is.
Labels are stored as their English msgids (``gettext_noop``) and translated when
shown, so an old issue reads in the reader's language.  Adding a section is a recipe
(CONTRIBUTING.md, "Add a report section").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse

from ..models import Kind, RecordSet
from ..periods import Period


@dataclass(frozen=True)
class Section:
    key: str
    title: str  # an msgid (gettext_noop)
    build: Callable[[Context], dict]
    kinds: tuple[str, ...] = (Kind.WEEKLY, Kind.MONTHLY)


SECTIONS: list[Section] = []


def section(key: str, title: str, kinds: tuple[str, ...] = (Kind.WEEKLY, Kind.MONTHLY)):
    """Register the decorated function as the section ``key``; sections print in registration order."""

    def register(build):
        if any(s.key == key for s in SECTIONS):
            raise ValueError(f"a section {key!r} is already registered")
        SECTIONS.append(Section(key, title, build, kinds))
        return build

    return register


def sections_for(kind: str) -> list[Section]:
    return [s for s in SECTIONS if kind in s.kinds]


@dataclass
class Records:
    model: str
    ids: list[int]
    label: str = ""


@dataclass
class Context:
    """What every section may read: the period, today, and the record sets written so far."""

    period: Period
    today: dt.date
    records: dict[str, Records] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)

    @cached_property
    def previous(self) -> Period:
        return self.period.previous()

    def record(self, key: str, model: str, ids, label: str = "") -> str:
        """Keep the ids behind a figure; returns the key its link uses."""
        self.records[key] = Records(model, list(ids), label)
        return key

    def workbench(self, period: Period | None = None, **params) -> str:
        """The demand workbench filtered to the demands received in the period (and ``params``)."""
        query = {"period": (period or self.period).query(), "queue": "all", **params}
        return f"{reverse('demands-list')}?{urlencode(query)}"


def figure(key: str, label: str, value, *, fmt: str = "count", records: str | None = None,
           live: str | None = None, parts: list[dict] | None = None) -> dict:
    """One headline number; ``records`` names its record set, ``live`` a list that shows it today."""
    return {"key": key, "label": label, "value": value, "format": fmt, "records": records, "live": live,
            "parts": parts or []}


def cell(value, *, fmt: str = "count", records: str | None = None, live: str | None = None) -> dict:
    return {"value": value, "format": fmt, "records": records, "live": live}


def text_cell(value) -> dict:
    return {"value": value, "format": "text", "records": None, "live": None}


def table(key: str, title: str, columns: list[tuple[str, str]], rows: list[list[dict]], *,
          empty: str = "") -> dict:
    """A table: ``columns`` as (msgid label, format) pairs, ``rows`` as lists of :func:`cell`."""
    return {"key": key, "title": title, "columns": [{"label": label, "format": fmt} for label, fmt in columns],
            "rows": rows, "empty": empty}


def chart(key: str, title: str, kind: str, categories: list[str], series: list[tuple[str, list]]) -> dict:
    """An ECharts line or bar chart; the web page draws it, Word and PDF print its table."""
    return {"key": key, "title": title, "type": kind, "categories": categories,
            "series": [{"name": name, "data": data} for name, data in series]}


def result(*, figures=(), tables=(), charts=(), notes=()) -> dict:
    return {"figures": list(figures), "tables": list(tables), "charts": list(charts), "notes": list(notes)}


RECORD_MODELS = RecordSet.Model
