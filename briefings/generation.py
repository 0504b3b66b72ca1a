"""Computing an issue: run every registered section of its kind over its period."""

from __future__ import annotations

import datetime as dt

from .periods import Period
from .sections import Context, sections_for
from .sections.registry import Records


def build(period: Period, today: dt.date) -> tuple[list[dict], dict[str, Records]]:
    """The frozen sections (JSON) and the record sets behind their figures."""
    ctx = Context(period=period, today=today)
    sections = []
    for section in sections_for(period.kind):
        sections.append({"key": section.key, "title": section.title, **section.build(ctx)})
    return sections, ctx.records
