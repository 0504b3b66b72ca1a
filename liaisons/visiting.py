"""Which enterprises are due for a visit (定时走访): their liaison has not been there for a while."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from accounts.access import ScopeKind, scope_of
from accounts.models import Role

from .access import current_assignments, liaison_enterprises
from .models import VisitEnterprise


def interval_days() -> int:
    """How long an enterprise may go without a visit before it is listed (setting, default 90)."""
    return settings.QIFU_VISIT_INTERVAL_DAYS


def sees_others(user) -> bool:
    scope = scope_of(user)
    return scope.kind == ScopeKind.ALL or (scope.kind == ScopeKind.TOWN and user.has_role(Role.Code.WINDOW_STAFF))


def not_visited(user, *, days: int, cadre=None, today: dt.date | None = None):
    """Current assignments whose cadre has not visited the enterprise for ``days`` days (or ever).

    A cadre sees their own; a town window or the city may pick a cadre (default: all in scope).
    """
    today = today or timezone.localdate()
    qs = current_assignments().filter(enterprise__in=liaison_enterprises(user))
    if cadre is not None and sees_others(user):
        qs = qs.filter(cadre=cadre)
    elif not sees_others(user):
        qs = qs.filter(cadre=user)
    last = (
        VisitEnterprise.objects.filter(enterprise=OuterRef("enterprise_id"), visit__cadre_rows__cadre=OuterRef("cadre_id"))
        .order_by("-visit__visited_on")
        .values("visit__visited_on")[:1]
    )
    return (
        qs.annotate(last_visit=Subquery(last))
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lte=today - dt.timedelta(days=days)))
        .select_related("enterprise__town", "cadre")
    )
