"""Who may see evaluation results and who takes which side of the workflow.

Results follow the registry's scopes (accounts.access.scope_of): city-wide staff and
departments see every result, a town window its town's, an enterprise contact only its
own, and only once the round has left the draft.
"""

from __future__ import annotations

from django.http import Http404

from accounts.access import ScopeKind, scope_of
from accounts.models import Role

from .models import Appointment, Result, Round, RoundStatus
from .workflow import Side

_MANAGER_ROLES = (Role.Code.SUPERVISOR, Role.Code.SYSTEM_ADMIN, Role.Code.POLICY_ADMIN)


def can_manage_evaluation(user) -> bool:
    """The evaluation office: supervisors, policy and system administrators, city-wide window staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.has_role(*_MANAGER_ROLES):
        return True
    return user.has_role(Role.Code.WINDOW_STAFF) and scope_of(user).kind == ScopeKind.ALL


def is_staff_viewer(user) -> bool:
    return scope_of(user).kind in (ScopeKind.ALL, ScopeKind.TOWN, ScopeKind.DEPARTMENT)


def visible_results(user):
    """Results in the user's scope; lists, exports, figures and rankings start here."""
    scope = scope_of(user)
    qs = Result.objects.all()
    if scope.kind in (ScopeKind.ALL, ScopeKind.DEPARTMENT):
        return qs
    if scope.kind == ScopeKind.TOWN:
        return qs.filter(town_id=scope.town_id)
    if scope.kind == ScopeKind.ENTERPRISE:
        return qs.filter(enterprise_id=scope.enterprise_id).exclude(round__status=RoundStatus.DRAFT)
    return qs.none()


def visible_rounds(user):
    if is_staff_viewer(user):
        return Round.objects.all()
    if scope_of(user).kind == ScopeKind.ENTERPRISE:
        return Round.objects.exclude(status=RoundStatus.DRAFT)
    return Round.objects.none()


def access_result(user, result_id) -> Result:
    """The result, or the same 404 for "missing" and "not yours"."""
    try:
        return visible_results(user).select_related("round__scheme", "enterprise", "town", "industry_group").get(
            pk=result_id)
    except (Result.DoesNotExist, ValueError, TypeError):
        raise Http404("No result matches the given query.") from None


def access_round(user, round_id) -> Round:
    try:
        return visible_rounds(user).select_related("scheme").get(pk=round_id)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404("No round matches the given query.") from None


def sides_of(user, result: Result | None = None) -> set[Side]:
    """The workflow sides this person takes (on one result, or on the round as a whole)."""
    sides: set[Side] = set()
    if can_manage_evaluation(user):
        sides.add(Side.MANAGER)
    if result is None:
        return sides
    scope = scope_of(user)
    if user.has_role(Role.Code.WINDOW_STAFF) and scope.kind == ScopeKind.TOWN and scope.town_id == result.town_id:
        sides.add(Side.TOWN)
    if scope.kind == ScopeKind.ENTERPRISE and scope.enterprise_id == result.enterprise_id:
        sides.add(Side.ENTERPRISE)
    return sides


def visible_appointments(user):
    """An enterprise sees its own appointments; a department those in its slots; the office all."""
    scope = scope_of(user)
    qs = Appointment.objects.all()
    if can_manage_evaluation(user):
        return qs
    if scope.kind == ScopeKind.ENTERPRISE:
        return qs.filter(enterprise_id=scope.enterprise_id)
    if scope.kind == ScopeKind.DEPARTMENT and scope.department_id:
        return qs.filter(slot__department_id=scope.department_id)
    return qs.none()


def can_answer_appointment(user, appointment: Appointment) -> bool:
    """Staff of the slot's department (or the office) confirm or decline."""
    if can_manage_evaluation(user):
        return True
    scope = scope_of(user)
    return scope.kind == ScopeKind.DEPARTMENT and scope.department_id == appointment.slot.department_id
