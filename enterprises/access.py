"""Who may see which enterprise.  Lists, search, exports and pages all come through here."""

from __future__ import annotations

from django.http import Http404

from accounts.access import ScopeKind, scope_of

from .models import Enterprise


def visible_enterprises(user):
    """The enterprises in the user's scope.

    A department handler sees the whole registry (departments look enterprises up
    to handle what is routed to them) but contact phones stay masked for them; see
    accounts.access.can_see_contact_phones.
    """
    scope = scope_of(user)
    qs = Enterprise.objects.all()
    if scope.kind in (ScopeKind.ALL, ScopeKind.DEPARTMENT):
        return qs
    if scope.kind == ScopeKind.TOWN:
        return qs.filter(town_id=scope.town_id)
    if scope.kind == ScopeKind.ENTERPRISE:
        return qs.filter(pk=scope.enterprise_id)
    return qs.none()


def access_enterprise(user, enterprise_id) -> Enterprise:
    """The enterprise, or the same 404 for "missing" and "not in your scope"."""
    try:
        return visible_enterprises(user).select_related("town", "park", "industry_group").get(pk=enterprise_id)
    except (Enterprise.DoesNotExist, ValueError, TypeError):
        raise Http404("No enterprise matches the given query.") from None
