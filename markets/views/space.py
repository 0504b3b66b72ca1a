"""Factory space pages (厂房码上租) and the small-micro park directory (小微企业园)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import is_government_staff
from core.excel import xlsx_response

from .. import actions
from ..access import access_space, can_manage_space, is_bank, is_enterprise, owns_listing, visible_space
from ..forms import SpaceForm
from ..models import ListingStatus, Market, Match, MicroPark, SpaceListing
from ..workflow import TransitionNotAllowed
from .common import PAGE_SIZE, error_text, explain, require, require_staff


@login_required
def markets_home(request):
    """The three markets, each with the entry that fits the person."""
    return render(request, "markets/home.html", {"is_enterprise": is_enterprise(request.user),
                                                 "is_bank": is_bank(request.user),
                                                 "is_staff": is_government_staff(request.user)})


def _filtered(request):
    qs = visible_space(request.user).select_related("town", "park", "enterprise")
    get = request.GET
    if get.get("side") in SpaceListing.Side.values:
        qs = qs.filter(side=get["side"])
    if get.get("deal") in SpaceListing.Deal.values:
        qs = qs.filter(deal=get["deal"])
    if get.get("status") in ListingStatus.values:
        qs = qs.filter(status=get["status"])
    if get.get("town"):
        qs = qs.filter(town__code=get["town"])
    if get.get("q", "").strip():
        text = get["q"].strip()[:100]
        qs = qs.filter(Q(number__icontains=text) | Q(title__icontains=text) | Q(enterprise__name__icontains=text))
    return qs.order_by("-created_at", "-id")


@login_required
def space_home(request):
    require(is_enterprise(request.user) or is_government_staff(request.user))
    page = Paginator(_filtered(request), PAGE_SIZE).get_page(request.GET.get("page"))
    from reference.models import Town

    return render(request, "markets/space_list.html", {
        "page": page, "towns": Town.objects.all(), "sides": SpaceListing.Side, "deals": SpaceListing.Deal,
        "statuses": ListingStatus, "is_enterprise": is_enterprise(request.user)})


@login_required
def space_export(request):
    require_staff(request.user)
    rows = _filtered(request)[: settings.QIFU_EXPORT_MAX_ROWS]
    headers = [_("Number"), _("Side"), _("Rent or sale"), _("Title"), _("Town"), _("Park"), _("Area from (m²)"),
               _("Area to (m²)"), _("Price from (yuan/m²)"), _("Status"), _("Expires on")]
    return xlsx_response(_("factory-space"), headers, (
        [s.number, s.get_side_display(), s.get_deal_display(), s.title, s.town.name if s.town else "",
         s.park.name if s.park else "", s.area_min_m2, s.area_max_m2,
         None if s.price_min_fen is None else s.price_min_fen / 100, s.get_status_display(), s.expires_on]
        for s in rows))


@login_required
@require_http_methods(["GET", "POST"])
def space_post(request):
    require(is_enterprise(request.user) or is_government_staff(request.user))
    initial = {"contact_name": request.user.display_name, "contact_phone": request.user.phone}
    if is_enterprise(request.user):
        initial["town"] = request.user.enterprise.town
    form = SpaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        enterprise = request.user.enterprise if is_enterprise(request.user) else None
        try:
            listing = actions.do_post_space(acting_user=request.user, enterprise=enterprise, **form.action_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Listing %(number)s posted.") % {"number": listing.number})
            return redirect("markets-space-detail", listing_id=listing.pk)
    return render(request, "markets/space_post.html", {"form": form})


def _space_matches(listing):
    side, other = ("need_id", "offer_id") if listing.side == SpaceListing.Side.DEMAND else ("offer_id", "need_id")
    matches = list(Match.objects.filter(market=Market.SPACE, is_current=True, **{side: listing.pk})
                   .order_by("-score", "id")[:20])
    others = SpaceListing.objects.select_related("town", "park").in_bulk([getattr(m, other) for m in matches])
    mine_field = "need_consent_at" if side == "need_id" else "offer_consent_at"
    return [{"match": m, "other": others.get(getattr(m, other)), "criteria": explain(m),
             "mine_agreed": getattr(m, mine_field) is not None} for m in matches if getattr(m, other) in others]


@login_required
def space_detail(request, listing_id):
    listing = access_space(request.user, listing_id)
    return render(request, "markets/space_detail.html", {
        "listing": listing, "matches": _space_matches(listing), "can_manage": can_manage_space(request.user, listing),
        "is_staff": is_government_staff(request.user), "owner": owns_listing(request.user, listing),
        "statuses": ListingStatus})


@login_required
@require_POST
def space_status(request, listing_id):
    listing = access_space(request.user, listing_id)
    require(can_manage_space(request.user, listing))
    try:
        actions.do_set_space_status(listing, acting_user=request.user, status=request.POST.get("status", ""))
    except (TransitionNotAllowed, ValueError) as error:
        messages.error(request, error_text(error))
    return redirect("markets-space-detail", listing_id=listing.pk)


@login_required
@require_POST
def space_publish(request, listing_id):
    listing = access_space(request.user, listing_id)
    require_staff(request.user)
    sent = actions.do_publish_space(listing, acting_user=request.user)
    if sent:
        messages.success(request, _("Sent to %(count)d town groups.") % {"count": sent})
    else:
        messages.warning(request, _("No group robot is set up for this town; nothing was sent."))
    return redirect("markets-space-detail", listing_id=listing.pk)


@login_required
@require_POST
def space_consent(request, match_id):
    match = get_object_or_404(Match, pk=match_id, market=Market.SPACE)
    need, offer = (SpaceListing.objects.filter(pk=pk).first() for pk in (match.need_id, match.offer_id))
    if need and owns_listing(request.user, need):
        actions.do_consent(match, acting_user=request.user, offer_side=False)
        listing = need
    elif offer and owns_listing(request.user, offer):
        actions.do_consent(match, acting_user=request.user, offer_side=True)
        listing = offer
    else:
        require(False)
    messages.success(request, _("You agreed to share contact details."))
    return redirect("markets-space-detail", listing_id=listing.pk)


@login_required
def park_list(request):
    """The directory of small-micro enterprise parks, with the totals per stage."""
    rank = {stage: i for i, stage in enumerate(MicroPark.Stage.values)}  # built, under construction, planned
    parks = MicroPark.objects.select_related("town")
    if request.GET.get("stage") in MicroPark.Stage.values:
        parks = parks.filter(stage=request.GET["stage"])
    parks = sorted(parks, key=lambda p: (rank[p.stage], p.town.sort_order, p.name))
    totals = MicroPark.objects.values("stage").annotate(
        parks=Count("id"), land=Sum("land_area_mu"), floor=Sum("floor_area_m2"), enterprises=Sum("enterprises"))
    labels = dict(MicroPark.Stage.choices)
    totals = sorted(totals, key=lambda t: rank[t["stage"]])
    return render(request, "markets/parks.html", {
        "parks": parks, "stages": MicroPark.Stage,
        "totals": [{**t, "label": labels[t["stage"]]} for t in totals]})
