"""Who hears about what in the markets.  Called inside the action's transaction (outbox)."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from notifications.actions import notify, notify_users
from notifications.models import RobotWebhook

from .models import FinancialProduct, FinancingNeed, Investor, Market, SpaceListing


def enterprise_users(enterprise_ids):
    """Active enterprise contacts of those enterprises (None: of every enterprise)."""
    qs = User.objects.filter(is_active=True, enterprise__isnull=False, roles__code=Role.Code.ENTERPRISE_CONTACT)
    return (qs if enterprise_ids is None else qs.filter(enterprise_id__in=enterprise_ids)).distinct()


def bank_users(organisation_ids):
    """Active bank staff of those organisations (None: of every bank)."""
    qs = User.objects.filter(is_active=True, organisation__isnull=False, roles__code=Role.Code.BANK_STAFF)
    return (qs if organisation_ids is None else qs.filter(organisation_id__in=organisation_ids)).distinct()


def _by_enterprise(users) -> dict[int, list]:
    grouped = defaultdict(list)
    for user in users:
        grouped[user.enterprise_id].append(user)
    return grouped


def _by_organisation(users) -> dict[int, list]:
    grouped = defaultdict(list)
    for user in users:
        grouped[user.organisation_id].append(user)
    return grouped


FEW = 1000  # up to this many new matches, owners are looked up by id; beyond, by who has a login


def _owner_map(market: str, side: str, ids, owners=None) -> dict[int, int | None]:
    """need or offer id → its owner: an enterprise id, or for financial products the bank's
    organisation id.  With ``owners`` given, only the rows of those owners are read."""
    if market == Market.FINANCE:
        model, owner = (FinancingNeed, "enterprise_id") if side == "need" else (FinancialProduct, "organisation_id")
    elif market == Market.SPACE:
        model, owner = SpaceListing, "enterprise_id"
    elif side == "need":
        return {}  # talent projects have no login of their own: staff follow them
    else:
        model, owner = Investor, "enterprise_id"
    qs = model.objects.all()
    qs = qs.filter(pk__in=ids) if owners is None else qs.filter(**{f"{owner}__in": owners})
    return dict(qs.values_list("pk", owner))


def tell_new_matches(market: str, matches) -> int:
    """One in-app message per person on either side, however many matches they got."""
    if not matches:
        return 0
    need_people = _by_enterprise(enterprise_users(None)) if len(matches) > FEW else None
    if market == Market.FINANCE:
        offer_people = _by_organisation(bank_users(None)) if len(matches) > FEW else None
    else:
        offer_people = need_people
    if len(matches) <= FEW:
        need_owner = _owner_map(market, "need", {m.need_id for m in matches})
        offer_owner = _owner_map(market, "offer", {m.offer_id for m in matches})
        need_people = _by_enterprise(enterprise_users({e for e in need_owner.values() if e}))
        offer_people = (_by_organisation(bank_users(set(offer_owner.values()))) if market == Market.FINANCE
                        else _by_enterprise(enterprise_users({e for e in offer_owner.values() if e})))
    else:
        need_owner = _owner_map(market, "need", None, owners=list(need_people))
        offer_owner = _owner_map(market, "offer", None, owners=list(offer_people))
    counts: dict[int, int] = defaultdict(int)
    people: dict[int, object] = {}
    for match in matches:
        for user in need_people.get(need_owner.get(match.need_id), []) + offer_people.get(
                offer_owner.get(match.offer_id), []):
            counts[user.pk] += 1
            people[user.pk] = user
    # Talent matches are followed by staff; an investor's contact lands on the markets' home.
    link = reverse("markets-home" if market == Market.TALENT else f"markets-{market}-home")
    for pk, count in counts.items():
        notify_users([people[pk]], subject=_("New matches in the market: %(count)d") % {"count": count},
                     body=_("%(market)s: %(count)d new matches are waiting for you.")
                     % {"market": Market(market).label, "count": count}, link=link)
    return len(counts)


def tell_enterprise(need: FinancingNeed, subject: str, body: str = "") -> None:
    notify_users(enterprise_users([need.enterprise_id]), subject=subject, body=body or subject,
                 link=reverse("markets-finance-need", args=[need.pk]))


def tell_bank(need: FinancingNeed, organisation_id: int, subject: str) -> None:
    notify_users(bank_users([organisation_id]), subject=subject, body=subject,
                 link=reverse("markets-finance-need", args=[need.pk]))


def publish_to_town_groups(listing: SpaceListing) -> int:
    """Post the listing to every active group robot of its town (robots named ``<town code>-…``)."""
    if listing.town is None:
        return 0
    robots = RobotWebhook.objects.filter(name__startswith=f"{listing.town.code}-", is_active=True)
    subject = _("Factory space %(side)s: %(title)s") % {"side": listing.get_side_display(), "title": listing.title}
    body = _("%(town)s · %(area_min)s–%(area_max)s m² · %(deal)s · listing %(number)s") % {
        "town": listing.town.name, "area_min": listing.area_min_m2, "area_max": listing.area_max_m2,
        "deal": listing.get_deal_display(), "number": listing.number}
    for robot in robots:
        notify(channel=robot.channel, address=robot.name, subject=subject, body=body,
               link=reverse("markets-space-detail", args=[listing.pk]))
    return len(robots)
