"""The enterprise page's liaison card, without touching the enterprises views."""

from __future__ import annotations

from django import template

from accounts.access import ScopeKind, is_government_staff, scope_of

from ..access import can_log_visits, current_assignments
from ..models import VisitEnterprise

register = template.Library()


@register.inclusion_tag("liaisons/_enterprise_liaisons_card.html", takes_context=True)
def enterprise_liaisons(context, enterprise):
    """The enterprise's current liaisons (企服责任人) and its last visit date.

    Enterprise contacts see who their liaisons are; staff also see the last visit and
    the link to the assignment history.
    """
    user = context["request"].user
    own = scope_of(user).kind == ScopeKind.ENTERPRISE and scope_of(user).enterprise_id == enterprise.pk
    staff = is_government_staff(user)
    last = None
    if staff:
        row = (VisitEnterprise.objects.filter(enterprise=enterprise).select_related("visit")
               .order_by("-visit__visited_on").first())
        last = row.visit.visited_on if row else None
    return {
        "enterprise": enterprise,
        "liaisons": current_assignments().filter(enterprise=enterprise).select_related("cadre__organisation")
        .order_by("level") if (staff or own) else [],
        "show": staff or own,
        "staff": staff,
        "last_visit": last,
        "can_log": can_log_visits(user),
    }
