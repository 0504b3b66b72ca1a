"""Data scopes (数据权限), decided in one place.

Every app asks :func:`scope_of` what a user may see and filters its own querysets
with it; nothing else in the code base interprets roles for visibility.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .models import Organisation, Role


class ScopeKind(Enum):
    ALL = "all"  # supervisors, the service office, the city platform, administrators
    TOWN = "town"  # a town window or a town liaison: one town
    DEPARTMENT = "department"  # a handling unit (department, market provider): what was routed to it
    ENTERPRISE = "enterprise"  # an enterprise contact: that enterprise only
    BANK = "bank"  # bank staff: what the markets match to their organisation (markets/access.py)
    NONE = "none"  # anyone else


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    town_id: int | None = None
    department_id: int | None = None
    organisation_id: int | None = None
    enterprise_id: int | None = None


NO_SCOPE = Scope(ScopeKind.NONE)
_CITY_WIDE_ORGS = {Organisation.Kind.SERVICE_OFFICE, Organisation.Kind.PLATFORM}
_CITY_WIDE_ROLES = {Role.Code.SUPERVISOR, Role.Code.SYSTEM_ADMIN, Role.Code.POLICY_ADMIN}
_STAFF_ROLES = {Role.Code.WINDOW_STAFF, Role.Code.LIAISON, Role.Code.DEPARTMENT_HANDLER}


def scope_of(user) -> Scope:
    """The widest scope the user's roles and organisation give."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    if user.is_superuser or user.has_role(*_CITY_WIDE_ROLES):
        return Scope(ScopeKind.ALL)
    org = user.organisation
    if user.has_role(*_STAFF_ROLES) and org is not None:
        return _staff_scope(user, org)
    if user.has_role(Role.Code.BANK_STAFF) and org is not None and org.kind == Organisation.Kind.BANK:
        return Scope(ScopeKind.BANK, organisation_id=org.pk)
    if user.has_role(Role.Code.ENTERPRISE_CONTACT) and user.enterprise_id:
        return Scope(ScopeKind.ENTERPRISE, enterprise_id=user.enterprise_id)
    return NO_SCOPE


def _staff_scope(user, org: Organisation) -> Scope:
    if org.kind in _CITY_WIDE_ORGS:
        return Scope(ScopeKind.ALL)
    if org.kind in (Organisation.Kind.TOWN_WINDOW, Organisation.Kind.PARK) and org.town_id:
        return Scope(ScopeKind.TOWN, town_id=org.town_id)
    if org.kind in (Organisation.Kind.DEPARTMENT, Organisation.Kind.MARKET_PROVIDER):
        # A handling unit: it sees what was routed to it (its organisation).
        return Scope(ScopeKind.DEPARTMENT, department_id=org.department_id, organisation_id=org.pk)
    return NO_SCOPE


def is_government_staff(user) -> bool:
    """Staff of the service network (not enterprise contacts, not outsiders)."""
    return scope_of(user).kind in (ScopeKind.ALL, ScopeKind.TOWN, ScopeKind.DEPARTMENT)


def is_system_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.has_role(Role.Code.SYSTEM_ADMIN)
    )


def can_import_enterprises(user) -> bool:
    """City-wide staff, town windows and administrators maintain the registry."""
    if is_system_admin(user):
        return True
    return user.has_role(Role.Code.WINDOW_STAFF, Role.Code.SUPERVISOR) and scope_of(user).kind in (
        ScopeKind.ALL,
        ScopeKind.TOWN,
    )


def can_see_contact_phones(user) -> bool:
    """Phone numbers are shown in full only to roles that call enterprises."""
    if is_system_admin(user):
        return True
    return user.has_role(
        Role.Code.WINDOW_STAFF, Role.Code.LIAISON, Role.Code.SUPERVISOR, Role.Code.ENTERPRISE_CONTACT
    )
