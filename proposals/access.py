"""Who may see a proposal, register one, and write or issue its reply letter.

A proposal is seen by city-wide staff and by the units its demand is routed to (the
lead unit and the co-handlers), exactly as demands.access decides for the demand.
"""

from __future__ import annotations

from django.http import Http404

from accounts.access import ScopeKind, is_government_staff, scope_of
from accounts.models import Role
from demands.access import sides_of, visible_demands
from demands.workflow import Side

from .models import Proposal


def visible_proposals(user):
    """Proposals in the user's scope: the list, the search and the export start here."""
    scope = scope_of(user)
    qs = Proposal.objects.all()
    if scope.kind == ScopeKind.ALL:
        return qs
    if not is_government_staff(user):
        return qs.none()
    return qs.filter(demand__in=visible_demands(user).values("pk"))


def access_proposal(user, proposal_id) -> Proposal:
    """The proposal, or the same 404 for "missing" and "not yours"."""
    try:
        return visible_proposals(user).select_related("demand", "demand__lead_unit", "reply_letter").get(
            pk=proposal_id
        )
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404("No proposal matches the given query.") from None


def can_list_proposals(user) -> bool:
    return is_government_staff(user)


def can_register_proposals(user) -> bool:
    """City-wide window staff and supervisors register proposals (and route them as windows)."""
    return scope_of(user).kind == ScopeKind.ALL and user.has_role(Role.Code.WINDOW_STAFF, Role.Code.SUPERVISOR)


def can_write_letter(user, proposal: Proposal) -> bool:
    """The lead unit drafts the reply; supervisors may correct a draft."""
    return bool(sides_of(user, proposal.demand) & {Side.HANDLER, Side.SUPERVISOR})


def can_issue_letter(user, proposal: Proposal) -> bool:
    """Only the lead unit issues: issuing is its answer to the demand."""
    return Side.HANDLER in sides_of(user, proposal.demand)
