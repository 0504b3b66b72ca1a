"""Who may see a demand, and on which side of it a person stands."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
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
        return qs.filter(Q(town_id=scope.town_id) | _routed_to(user.organisation_id))
    if scope.kind == ScopeKind.DEPARTMENT:
        return qs.filter(_routed_to(scope.organisation_id))
    if scope.kind == ScopeKind.ENTERPRISE:
        return qs.filter(enterprise_id=scope.enterprise_id)
    return qs.none()


@dataclass(frozen=True)
class FiguresScope:
    """The same scope as :func:`visible_demands`, for the prepared monthly figures.

    ``prepared`` selects the ``MonthFigures`` rows the user may add up; ``extra`` holds the
    visible demands those rows cannot single out (co-handled ones: a row knows only the lead
    unit) and are counted from the demands; ``visible`` is :func:`visible_demands`.
    """

    visible: QuerySet
    prepared: Q | None  # None: nothing prepared fits this scope, count everything from the demands
    extra: QuerySet | None = None


def figures_scope(user) -> FiguresScope:
    scope = scope_of(user)
    visible = visible_demands(user)
    if scope.kind == ScopeKind.ALL:
        return FiguresScope(visible, Q())
    if scope.kind == ScopeKind.TOWN:
        mine = Q(town_id=scope.town_id) | _led_by(user.organisation_id)
        return FiguresScope(visible, mine, _co_handled(user.organisation_id).exclude(mine))
    if scope.kind == ScopeKind.DEPARTMENT:
        mine = _led_by(scope.organisation_id)
        return FiguresScope(visible, mine, _co_handled(scope.organisation_id).exclude(mine))
    return FiguresScope(visible, None)


def _led_by(organisation_id) -> Q:
    return Q(lead_unit_id=organisation_id) if organisation_id is not None else Q(pk__in=[])


def _co_handled(organisation_id) -> QuerySet:
    if organisation_id is None:
        return Demand.objects.none()
    return Demand.objects.filter(co_handlers__id=organisation_id)


# Above this many co-handled demands the ids stay a subquery instead of a list.
CO_HANDLED_LIST_MAX = 5000


def _routed_to(organisation_id) -> Q:
    """Led or co-handled by the organisation; nothing without one (None would mean "unrouted").

    The co-handled ids (few: most demands have no co-handler) are read first and given as
    a list, so each term of the OR is an index lookup the database can combine; with a
    subquery in the OR, PostgreSQL and SQLite read every demand to decide (a million of them).
    """
    if organisation_id is None:
        return Q(pk__in=[])
    co_handled = Demand.co_handlers.through.objects.filter(organisation_id=organisation_id).values_list(
        "demand_id", flat=True
    )
    ids = list(co_handled[: CO_HANDLED_LIST_MAX + 1])
    return Q(lead_unit_id=organisation_id) | Q(pk__in=ids if len(ids) <= CO_HANDLED_LIST_MAX else co_handled)


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
