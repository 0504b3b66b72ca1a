"""Rows for the demand Excel exports: the workbench list, the tracking list, the close-out list.

Each function takes a queryset that is already scoped and filtered and returns the
headers and a row generator that reads the demands in chunks.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from .models import DemandEvent

CHUNK = 2000
RELATED = ("enterprise", "town", "channel", "category", "lead_unit")


def _name(item) -> str:
    return item.name_zh if item is not None else ""


def _yes_no(value) -> str:
    return "" if value is None else (_("yes") if value else _("no"))


def _rows(qs, row):
    for demand in qs.select_related(*RELATED).iterator(chunk_size=CHUNK):
        yield row(demand)


def demand_rows(qs):
    """The workbench export: one row per demand with its deadlines and outcome."""
    headers = [
        _("Number"),
        _("Received at"),
        _("Enterprise"),
        _("Unified social credit code"),
        _("Town"),
        _("Channel"),
        _("Type"),
        _("Category"),
        _("Title"),
        _("Status"),
        _("Lead unit"),
        _("Accept by"),
        _("Answer by"),
        _("Answered at"),
        _("Answered late"),
        _("Satisfaction"),
        _("Solved"),
        _("Times reopened"),
    ]

    def row(d):
        return [
            d.number,
            d.received_at,
            d.enterprise.name if d.enterprise else "",
            d.enterprise.credit_code if d.enterprise else "",
            _name(d.town),
            _name(d.channel),
            d.get_appeal_type_display(),
            _name(d.category),
            d.title,
            d.get_status_display(),
            _name(d.lead_unit),
            d.accept_due_on,
            d.answer_due_on,
            d.answered_at,
            _yes_no(d.answered_late),
            d.get_satisfaction_display(),
            _yes_no(d.solved),
            d.reopen_count,
        ]

    return headers, _rows(qs.order_by("received_at", "id"), row)


def with_progress_note(qs):
    """Annotate ``progress_note``: the latest note written on the demand (staff lists only)."""
    latest = DemandEvent.objects.filter(demand=OuterRef("pk")).exclude(note="").order_by("-created_at", "-id")
    return qs.annotate(progress_note=Subquery(latest.values("note")[:1]))


def tracking_rows(qs):
    """跟踪服务问题清单: the demands open during the month, with the latest progress."""
    headers = [
        _("Number"),
        _("Received at"),
        _("Enterprise"),
        _("Town"),
        _("Title"),
        _("Category"),
        _("Lead unit"),
        _("Accept by"),
        _("Answer by"),
        _("Status"),
        _("Progress"),
    ]

    def row(d):
        return [
            d.number,
            d.received_at,
            d.enterprise.name if d.enterprise else "",
            _name(d.town),
            d.title,
            _name(d.category),
            _name(d.lead_unit),
            d.accept_due_on,
            d.answer_due_on,
            d.get_status_display(),
            d.progress_note or "",
        ]

    return headers, _rows(with_progress_note(qs).order_by("received_at", "id"), row)


def closeout_rows(qs):
    """销号清单: the demands closed out during the month, with the enterprise's rating."""
    headers = [
        _("Number"),
        _("Enterprise"),
        _("Town"),
        _("Title"),
        _("Lead unit"),
        _("Received at"),
        _("Answered at"),
        _("Answered late"),
        _("Closed at"),
        _("Satisfaction"),
        _("Solved"),
        _("Rating comment"),
    ]

    def row(d):
        return [
            d.number,
            d.enterprise.name if d.enterprise else "",
            _name(d.town),
            d.title,
            _name(d.lead_unit),
            d.received_at,
            d.answered_at,
            _yes_no(d.answered_late),
            d.closed_at,
            d.get_satisfaction_display(),
            _yes_no(d.solved),
            d.rating_comment,
        ]

    return headers, _rows(qs.order_by("closed_at", "id"), row)
