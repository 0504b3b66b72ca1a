"""Who may see and do what with liaisons, visits and condition items.

* the city (supervisors, the service office, the city platform, administrators) sees everything;
* a town window sees the visits to its town's enterprises and the condition items of its town;
* a liaison cadre sees the enterprises assigned to them and the visits they went on or recorded.

Scopes come from ``accounts.access.scope_of``; nothing else here interprets roles for visibility.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.access import ScopeKind, is_government_staff, is_system_admin, scope_of
from accounts.models import Organisation, Role, User
from enterprises.access import visible_enterprises
from enterprises.models import Enterprise

from .models import Assignment, ConditionItem, Level, Visit, VisitCadre, VisitEnterprise

CITY_ORG_KINDS = {Organisation.Kind.SERVICE_OFFICE, Organisation.Kind.PLATFORM, Organisation.Kind.DEPARTMENT}
TOWN_ORG_KINDS = {Organisation.Kind.TOWN_WINDOW, Organisation.Kind.PARK}


def _sees_city(user) -> bool:
    return scope_of(user).kind == ScopeKind.ALL


def _town_window(user) -> int | None:
    """The town of a town window clerk (not of a liaison: a cadre sees their own enterprises)."""
    scope = scope_of(user)
    if scope.kind == ScopeKind.TOWN and user.has_role(Role.Code.WINDOW_STAFF):
        return scope.town_id
    return None


def current_assignments():
    return Assignment.objects.filter(ended_on__isnull=True)


def my_enterprises(user):
    """The enterprises the user is the current liaison of."""
    return Enterprise.objects.filter(
        Exists(current_assignments().filter(enterprise=OuterRef("pk"), cadre_id=user.pk))
    )


def liaison_enterprises(user):
    """The enterprises whose liaisons the user may list: city all, a town window its town, a cadre theirs."""
    if _sees_city(user):
        return Enterprise.objects.all()
    town_id = _town_window(user)
    if town_id is not None:
        return Enterprise.objects.filter(town_id=town_id)
    if user.has_role(Role.Code.LIAISON):
        return my_enterprises(user)
    return Enterprise.objects.none()


def visible_visits(user):
    """Visits in the user's scope: lists, exports and figures start here."""
    qs = Visit.objects.all()
    if _sees_city(user):
        return qs
    town_id = _town_window(user)
    own = Q(Exists(VisitCadre.objects.filter(visit=OuterRef("pk"), cadre_id=user.pk))) | Q(recorded_by_id=user.pk)
    if town_id is not None:
        in_town = Exists(VisitEnterprise.objects.filter(visit=OuterRef("pk"), enterprise__town_id=town_id))
        return qs.filter(Q(in_town) | own)
    if is_government_staff(user):
        return qs.filter(own)
    return qs.none()


def access_visit(user, visit_id) -> Visit:
    """The visit, or the same 404 for "missing" and "not yours"."""
    try:
        return visible_visits(user).select_related("recorded_by").get(pk=visit_id)
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise Http404("No visit matches the given query.") from None


def can_log_visits(user) -> bool:
    """Liaison cadres log their visits; window clerks may log the visits they join."""
    return is_government_staff(user) and user.has_role(Role.Code.LIAISON, Role.Code.WINDOW_STAFF)


def visit_enterprises(user):
    """The enterprises a visit recorded by this user may name: those in their scope and their own."""
    return Enterprise.objects.filter(Q(pk__in=visible_enterprises(user).values("pk")) | Q(pk__in=my_enterprises(user)))


def can_note_conditions(user) -> bool:
    """Any staff member of the service network notes enterprise conditions (每日企情)."""
    return is_government_staff(user)


def visible_condition_items(user):
    if _sees_city(user):
        return ConditionItem.objects.all()
    scope = scope_of(user)
    if scope.kind == ScopeKind.TOWN:
        return ConditionItem.objects.filter(Q(town_id=scope.town_id) | Q(author_id=user.pk))
    if is_government_staff(user):
        return ConditionItem.objects.filter(author_id=user.pk)
    return ConditionItem.objects.none()


# --- assignments ---------------------------------------------------------------------------


def can_assign(user) -> bool:
    """City-wide window staff, supervisors and administrators assign; a town window its town's town level."""
    if is_system_admin(user):
        return True
    if not user.has_role(Role.Code.WINDOW_STAFF, Role.Code.SUPERVISOR):
        return False
    return scope_of(user).kind in (ScopeKind.ALL, ScopeKind.TOWN)


def assignable_levels(user) -> list[str]:
    if not can_assign(user):
        return []
    return [Level.CITY, Level.TOWN] if _sees_city(user) or is_system_admin(user) else [Level.TOWN]


def assignable_enterprises(user):
    if _sees_city(user) or is_system_admin(user):
        return Enterprise.objects.all()
    scope = scope_of(user)
    if can_assign(user) and scope.kind == ScopeKind.TOWN:
        return Enterprise.objects.filter(town_id=scope.town_id)
    return Enterprise.objects.none()


def cadres():
    """Everyone who can be a liaison: active users with the liaison role and an organisation."""
    return (
        User.objects.filter(is_active=True, roles__code=Role.Code.LIAISON, organisation__isnull=False)
        .select_related("organisation")
        .distinct()
        .order_by("organisation__sort_order", "display_name", "username")
    )


def cadre_problem(cadre, level: str, enterprise) -> str | None:
    """Why this person cannot be this enterprise's liaison at this level (None when they can)."""
    from django.utils.translation import gettext as _

    if not cadre.is_active or not cadre.has_role(Role.Code.LIAISON) or cadre.organisation is None:
        return _("%(name)s is not a liaison cadre.") % {"name": cadre}
    org = cadre.organisation
    if level == Level.CITY and org.kind not in CITY_ORG_KINDS:
        return _("%(name)s works for %(org)s, not a city unit.") % {"name": cadre, "org": org.name}
    if level == Level.TOWN and (org.kind not in TOWN_ORG_KINDS or org.town_id != enterprise.town_id):
        return _("%(name)s does not work for the town of %(enterprise)s.") % {"name": cadre, "enterprise": enterprise}
    return None
