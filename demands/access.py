"""Who may see a demand, and on which side of it a person stands."""

from __future__ import annotations

from dataclasses import dataclass, replace

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


def scope_branches(user) -> list[Q] | None:
    """:func:`visible_demands` as disjoint conditions, each served by one index; None: no limit.

    An OR of "town or lead unit or co-handled" cannot be read in date order from any index,
    so a town clerk's newest-first page sorted the whole town's demands.  Each branch here
    can be; the workbench counts and pages them separately and adds them up (they never
    overlap).  Their union is exactly :func:`visible_demands` (tested).
    """
    scope = scope_of(user)
    if scope.kind == ScopeKind.ALL:
        return None
    if scope.kind == ScopeKind.TOWN:
        town = Q(town_id=scope.town_id)
        return [town, *_routed_branches(user.organisation_id, besides=town)]
    if scope.kind == ScopeKind.DEPARTMENT:
        return _routed_branches(scope.organisation_id, besides=None)
    if scope.kind == ScopeKind.ENTERPRISE:
        return [Q(enterprise_id=scope.enterprise_id)]
    return []


def _routed_branches(organisation_id, besides: Q | None) -> list[Q]:
    """Led by the organisation, and co-handled but not led, each outside ``besides``."""
    if organisation_id is None:
        return []
    led = Q(lead_unit_id=organisation_id)
    taken = led if besides is None else besides | led
    co_handled = Demand.co_handlers.through.objects.filter(organisation_id=organisation_id).values_list(
        "demand_id", flat=True
    )
    ids = list(co_handled[: CO_HANDLED_LIST_MAX + 1])
    co = Q(pk__in=ids if len(ids) <= CO_HANDLED_LIST_MAX else co_handled)
    return [led if besides is None else led & ~besides, co & ~taken]


@dataclass(frozen=True)
class FiguresScope:
    """The same scope as :func:`visible_demands`, for the dashboard's monthly figures.

    A prepared row (``MonthFigures``) or a live rollup row knows its town and lead unit, so
    the scope is "every row", or "rows of this town or led by this unit" (:meth:`condition`
    in SQL, :meth:`keeps` in Python), plus ``extra``: the visible demands no row can single
    out (co-handled ones), counted from the demands.  ``live_only``: no row fits this scope
    (an enterprise's own demands), count everything from ``visible``.
    """

    visible: QuerySet
    whole: bool = False
    town_id: int | None = None
    lead_unit_id: int | None = None
    extra: QuerySet | None = None
    live_only: bool = False

    def condition(self) -> Q:
        if self.whole:
            return Q()
        mine = Q(pk__in=[])
        if self.town_id is not None:
            mine |= Q(town_id=self.town_id)
        if self.lead_unit_id is not None:
            mine |= Q(lead_unit_id=self.lead_unit_id)
        return mine

    def keeps(self, row: dict) -> bool:
        return self.whole or (self.town_id is not None and row["town_id"] == self.town_id) or (
            self.lead_unit_id is not None and row["lead_unit_id"] == self.lead_unit_id)


def figures_scope(user) -> FiguresScope:
    scope = scope_of(user)
    visible = visible_demands(user)
    if scope.kind == ScopeKind.ALL:
        return FiguresScope(visible, whole=True)
    if scope.kind in (ScopeKind.TOWN, ScopeKind.DEPARTMENT):
        town_id = scope.town_id if scope.kind == ScopeKind.TOWN else None
        unit_id = user.organisation_id if scope.kind == ScopeKind.TOWN else scope.organisation_id
        base = FiguresScope(visible, town_id=town_id, lead_unit_id=unit_id)
        return replace(base, extra=_co_handled(unit_id).exclude(base.condition()))
    return FiguresScope(visible, live_only=True)


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
