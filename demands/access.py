"""Who may see a demand, and on which side of it a person stands."""

from __future__ import annotations

from django.http import Http404

from accounts.access import ScopeKind, scope_of
from accounts.models import Role

from .models import Demand
from .workflow import Side


def visible_demands(user):
    """Demands in the user's scope: lists, search, exports and figures start here."""
    scope = scope_of(user)
    qs = Demand.objects.all()
    if scope.kind == ScopeKind.ALL:
        return qs
    if scope.kind == ScopeKind.TOWN:
        town = _ids(town_id=scope.town_id)
        return qs.filter(pk__in=_ids_routed_to(user.organisation_id).union(town) if user.organisation_id else town)
    if scope.kind == ScopeKind.DEPARTMENT:
        return qs.filter(pk__in=_ids_routed_to(scope.organisation_id))
    if scope.kind == ScopeKind.ENTERPRISE:
        return qs.filter(enterprise_id=scope.enterprise_id)
    return qs.none()


# The scope is one subquery of ids, a UNION of index lookups: an OR of the same
# conditions would make the database read every demand to decide (a million of them).


def _ids(**condition):
    return Demand.objects.filter(**condition).order_by().values("pk")


def _ids_routed_to(organisation_id):
    """Ids of the demands led or co-handled by the organisation (never None: that would mean "unrouted")."""
    co_handled = Demand.co_handlers.through.objects.filter(organisation_id=organisation_id)
    return _ids(lead_unit_id=organisation_id).union(co_handled.order_by().values("demand_id"))


def access_demand(user, demand_id) -> Demand:
    """The demand, or the same 404 for "missing" and "not yours"."""
    try:
        return visible_demands(user).select_related("enterprise", "town", "channel", "category", "lead_unit").get(
            pk=demand_id
        )
    except (Demand.DoesNotExist, ValueError, TypeError):
        raise Http404("No demand matches the given query.") from None


def sides_of(user, demand: Demand) -> set[Side]:
    """The workflow sides this person takes on this demand (see workflow.Side)."""
    scope = scope_of(user)
    sides: set[Side] = set()
    if user.has_role(Role.Code.WINDOW_STAFF) and (
        scope.kind == ScopeKind.ALL or (scope.kind == ScopeKind.TOWN and scope.town_id == demand.town_id)
    ):
        sides.add(Side.WINDOW)
    if demand.lead_unit_id and user.organisation_id == demand.lead_unit_id and user.has_role(
        Role.Code.DEPARTMENT_HANDLER, Role.Code.WINDOW_STAFF
    ):
        sides.add(Side.HANDLER)
    elif is_co_handler(user, demand):
        sides.add(Side.CO_HANDLER)
    if scope.kind == ScopeKind.ENTERPRISE and scope.enterprise_id == demand.enterprise_id:
        sides.add(Side.ENTERPRISE)
    if user.has_role(Role.Code.SUPERVISOR):
        sides.add(Side.SUPERVISOR)
    return sides


def is_co_handler(user, demand: Demand) -> bool:
    return bool(user.organisation_id) and demand.co_handlers.filter(pk=user.organisation_id).exists()


def can_record_demands(user) -> bool:
    """Window clerks and liaisons record demands for the enterprises of their scope."""
    return user.has_role(Role.Code.WINDOW_STAFF, Role.Code.LIAISON) and scope_of(user).kind in (
        ScopeKind.ALL,
        ScopeKind.TOWN,
    )
