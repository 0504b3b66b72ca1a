"""Scheduled liaison jobs: the weekly reminder of enterprises due for a visit."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import User
from notifications.actions import notify_users

from .access import current_assignments
from .visiting import interval_days, not_visited


@task()
def remind_unvisited() -> int:
    """Tell each cadre how many of their enterprises they have not visited within the interval."""
    days = interval_days()
    reminded = 0
    cadre_ids = current_assignments().values_list("cadre_id", flat=True).distinct()
    for cadre in User.objects.filter(pk__in=cadre_ids, is_active=True):
        count = not_visited(cadre, days=days).count()
        if not count:
            continue
        with transaction.atomic():
            notify_users(
                [cadre],
                subject=_("%(count)d enterprises are due for a visit") % {"count": count},
                body=_("%(count)d of the enterprises in your charge have not been visited for %(days)d days or more.")
                % {"count": count, "days": days},
                link=reverse("liaisons-unvisited"),
            )
        reminded += 1
    return reminded
