"""Scheduled demand jobs: reminders, overdue escalation and closing unrated demands."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import actions, cube, notifying
from .calendar import WorkCalendar
from .models import Demand, DemandEvent, Status, SupervisionOrder

ANSWERING = (Status.ROUTED, Status.IN_PROGRESS)


@task()
def remind_due_soon() -> int:
    """Remind the lead unit of demands due within the next working day (once per demand and due date)."""
    today = timezone.localdate()
    horizon = WorkCalendar.load(today).add_working_days(today, settings.QIFU_DUE_SOON_WORKING_DAYS)
    reminded = 0
    for demand in Demand.objects.filter(status__in=ANSWERING, answer_due_on__gte=today, answer_due_on__lte=horizon):
        key = demand.answer_due_on.isoformat()
        if DemandEvent.objects.filter(demand=demand, kind="demand_due_reminder", data__due=key).exists():
            continue
        with transaction.atomic():
            DemandEvent.objects.create(demand=demand, kind="demand_due_reminder", from_status=demand.status,
                                       to_status=demand.status, is_internal=True, data={"due": key})
            notifying.tell_handlers(demand, _("Demand %(number)s is due on %(date)s")
                                    % {"number": demand.number, "date": key})
        reminded += 1
    return reminded


@task()
def escalate_overdue() -> int:
    """Issue a supervision order for each overdue demand without an open one, and tell the supervisors."""
    today = timezone.localdate()
    overdue = Demand.objects.filter(status__in=ANSWERING, answer_due_on__lt=today).exclude(
        pk__in=SupervisionOrder.objects.filter(resolved_at__isnull=True).values("demand_id")
    )
    count = 0
    for demand in overdue:
        reason = _("Overdue since %(date)s.") % {"date": demand.answer_due_on.isoformat()}
        with transaction.atomic():
            actions.do_supervise(demand, reason=reason, system=True)
            notifying.tell_supervisors(demand, _("Demand %(number)s is overdue") % {"number": demand.number})
        count += 1
    return count


@task()
def close_unrated() -> int:
    """Close demands whose feedback was given long enough ago without a rating."""
    cutoff = timezone.now() - timedelta(days=settings.QIFU_UNRATED_CLOSE_DAYS)
    # The latest feedback counts: a reopened demand gets the full period again.
    stale = Demand.objects.filter(status=Status.FEEDBACK_GIVEN).annotate(
        last_feedback=Max("events__created_at", filter=Q(events__kind="demand_feedback_given"))
    ).filter(last_feedback__lt=cutoff)
    count = 0
    for demand in stale:
        actions.do_close_unrated(demand)
        count += 1
    return count


@task()
def refresh_demand_figures() -> int:
    """Rebuild the monthly figures of the months whose demands changed (every minute)."""
    return cube.refresh_stale()


@task()
def rebuild_demand_figures() -> int:
    """Rebuild every month's figures from the demands (nightly safety net after direct edits)."""
    return cube.rebuild_all()
