"""Who sees which listing and match in the markets, decided in one place.

* Government staff see the listings of their scope (a town window its town).
* An enterprise contact sees its own needs and listings, and the offers matched to them.
* Bank staff see only the financing needs matched (currently) to their organisation's
  products, and the enterprise's contact details only once both sides agreed.
"""

from __future__ import annotations

from django.http import Http404

from accounts.access import ScopeKind, is_government_staff, scope_of
from accounts.models import Role

from .models import FinancialProduct, FinancingNeed, Market, Match, SpaceListing
from .workflow import Side


def is_enterprise(user) -> bool:
    return scope_of(user).kind == ScopeKind.ENTERPRISE


def is_bank(user) -> bool:
    return scope_of(user).kind == ScopeKind.BANK


def can_run_markets(user) -> bool:
    """Window staff and supervisors run the markets: financing days, parks, products."""
    return is_government_staff(user) and user.has_role(Role.Code.WINDOW_STAFF, Role.Code.SUPERVISOR,
                                                       Role.Code.SYSTEM_ADMIN) or bool(user.is_superuser)


def bank_products(user):
    scope = scope_of(user)
    if scope.kind == ScopeKind.BANK:
        return FinancialProduct.objects.filter(organisation_id=scope.organisation_id)
    if scope.kind == ScopeKind.ALL:
        return FinancialProduct.objects.all()
    return FinancialProduct.objects.none()


def visible_needs(user):
    """Financing needs in the user's scope: lists, exports and figures start here."""
    scope = scope_of(user)
    qs = FinancingNeed.objects.all()
    if scope.kind == ScopeKind.ALL:
        return qs
    if scope.kind == ScopeKind.TOWN:
        return qs.filter(enterprise__town_id=scope.town_id)
    if scope.kind == ScopeKind.ENTERPRISE:
        return qs.filter(enterprise_id=scope.enterprise_id)
    if scope.kind == ScopeKind.BANK:
        offers = FinancialProduct.objects.filter(organisation_id=scope.organisation_id).values("pk")
        matched = Match.objects.filter(market=Market.FINANCE, is_current=True, offer_id__in=offers)
        return qs.filter(pk__in=matched.values("need_id")) | qs.filter(bank_id=scope.organisation_id)
    return qs.none()


def access_need(user, need_id) -> FinancingNeed:
    """The need, or the same 404 for "missing" and "not yours"."""
    try:
        return visible_needs(user).select_related("enterprise", "enterprise__town", "bank", "product").get(pk=need_id)
    except (FinancingNeed.DoesNotExist, ValueError, TypeError):
        raise Http404("No financing need matches the given query.") from None


def sides_of(user, need: FinancingNeed) -> set[Side]:
    scope = scope_of(user)
    sides: set[Side] = set()
    if scope.kind == ScopeKind.ENTERPRISE and scope.enterprise_id == need.enterprise_id:
        sides.add(Side.ENTERPRISE)
    if scope.kind == ScopeKind.BANK and (
        need.bank_id == scope.organisation_id
        or (need.bank_id is None and need_matches_bank(need, scope.organisation_id))
    ):
        sides.add(Side.BANK)  # once a bank took the need up, the other banks only watch
    if user.has_role(Role.Code.WINDOW_STAFF) and scope.kind in (ScopeKind.ALL, ScopeKind.TOWN):
        if scope.kind == ScopeKind.ALL or scope.town_id == need.enterprise.town_id:
            sides.add(Side.STAFF)
    return sides


def need_matches_bank(need: FinancingNeed, organisation_id: int) -> bool:
    offers = FinancialProduct.objects.filter(organisation_id=organisation_id).values("pk")
    return Match.objects.filter(market=Market.FINANCE, need_id=need.pk, is_current=True, offer_id__in=offers).exists()


def need_matches(user, need: FinancingNeed):
    """The matches of a need this person may see (a bank only those of its products)."""
    qs = Match.objects.filter(market=Market.FINANCE, need_id=need.pk, is_current=True)
    if is_bank(user):
        qs = qs.filter(offer_id__in=bank_products(user).values("pk"))
    return qs


def can_consent_need_side(user, need: FinancingNeed) -> bool:
    return Side.ENTERPRISE in sides_of(user, need)


def can_consent_offer_side(user, match: Match) -> bool:
    return is_bank(user) and bank_products(user).filter(pk=match.offer_id).exists()


# --- Factory space ------------------------------------------------------------------------


def visible_space(user):
    """Space listings: staff their scope, an enterprise its own plus every open supply."""
    scope = scope_of(user)
    qs = SpaceListing.objects.all()
    if scope.kind == ScopeKind.ALL:
        return qs
    if scope.kind == ScopeKind.TOWN:
        return qs.filter(town_id=scope.town_id) | qs.filter(enterprise__town_id=scope.town_id)
    if scope.kind == ScopeKind.ENTERPRISE:
        return qs.filter(enterprise_id=scope.enterprise_id)
    return qs.none()


def access_space(user, listing_id) -> SpaceListing:
    try:
        return visible_space(user).select_related("town", "park", "enterprise").get(pk=listing_id)
    except (SpaceListing.DoesNotExist, ValueError, TypeError):
        raise Http404("No listing matches the given query.") from None


def owns_listing(user, listing: SpaceListing) -> bool:
    scope = scope_of(user)
    return scope.kind == ScopeKind.ENTERPRISE and listing.enterprise_id == scope.enterprise_id


def can_manage_space(user, listing: SpaceListing) -> bool:
    return owns_listing(user, listing) or (is_government_staff(user) and visible_space(user).filter(
        pk=listing.pk).exists())
