"""Who may read and make the briefings, and who receives them.

The briefings are city-wide figures for the government side: every member of
government staff may read them (a town window or a department reads the whole city's
league table, as the printed bulletin was sent to all of them).  The record lists
behind a figure still show only the records in the reader's own scope.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from accounts.access import is_government_staff, is_system_admin
from accounts.models import Organisation, Role, User

from .models import BriefingIssue, Recipient

EDITOR_ORG_KINDS = (Organisation.Kind.SERVICE_OFFICE, Organisation.Kind.PLATFORM)


def can_read_briefings(user) -> bool:
    return is_government_staff(user)


def can_generate_briefings(user) -> bool:
    """Supervisors, the service office and the city platform make issues on demand."""
    if not can_read_briefings(user):
        return False
    org_kind = getattr(user.organisation, "kind", None)
    return is_system_admin(user) or user.has_role(Role.Code.SUPERVISOR) or org_kind in EDITOR_ORG_KINDS


def require_reader(user) -> None:
    if not can_read_briefings(user):
        raise Http404("No such page.")


def visible_issues(user):
    return BriefingIssue.objects.all() if can_read_briefings(user) else BriefingIssue.objects.none()


def access_issue(user, issue_id: int) -> BriefingIssue:
    """The issue, or the same 404 for "missing" and "not for you"."""
    issue = visible_issues(user).filter(pk=issue_id).first()
    if issue is None:
        raise Http404("No such issue.")
    return issue


def recipients_for(kind: str):
    """The active distribution list entries of a briefing kind (empty kind: both)."""
    return Recipient.objects.filter(Q(kind="") | Q(kind=kind), is_active=True).select_related("organisation", "robot")


def staff_of(organisation) -> list:
    return list(User.objects.filter(organisation=organisation, is_active=True).order_by("pk"))
