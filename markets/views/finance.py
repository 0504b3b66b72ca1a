"""Financing pages (帮企贷): the enterprise's phone pages, the bank's matched needs, the staff
list and export, financing days and the figures."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import is_government_staff
from core.excel import xlsx_response
from core.money import fen_to_wan

from .. import actions, figures
from ..access import (
    access_need,
    bank_products,
    can_consent_need_side,
    can_consent_offer_side,
    can_run_markets,
    is_bank,
    is_enterprise,
    need_matches,
    sides_of,
    visible_needs,
)
from ..forms import AmountForm, NeedFilterForm, NeedForm, ProductForm
from ..models import FinancialProduct, Market, MarketEvent, Match, NeedStatus, Registration
from ..workflow import Side, TransitionNotAllowed, allowed_actions
from .common import PAGE_SIZE, error_text, explain, require, require_enterprise, require_staff

EDITABLE = (NeedStatus.POSTED, NeedStatus.MATCHED)  # before a bank responded


@login_required
def finance_home(request):
    """Each person's way in: the enterprise its needs, a bank its matched needs, staff the list."""
    if is_enterprise(request.user):
        return my_needs(request)
    if is_bank(request.user):
        return bank_needs(request)
    require_staff(request.user)
    return need_list(request)


def my_needs(request):
    needs = visible_needs(request.user).order_by("-created_at", "-id")
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "markets/finance_mine.html", {"page": page})


def bank_needs(request):
    qs = NeedFilterForm(request.GET or None)
    needs = qs.apply(visible_needs(request.user)).select_related("enterprise", "enterprise__town")
    page = Paginator(needs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "markets/finance_bank.html", {"page": page, "form": qs})


def _staff_needs(request):
    form = NeedFilterForm(request.GET or None)
    return form, form.apply(visible_needs(request.user)).select_related("enterprise", "enterprise__town", "bank")


def need_list(request):
    form, needs = _staff_needs(request)
    page = Paginator(needs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "markets/finance_list.html", {"page": page, "form": form})


@login_required
def need_export(request):
    require_staff(request.user)
    _form, needs = _staff_needs(request)
    needs = needs.order_by("-created_at", "-id")[: settings.QIFU_EXPORT_MAX_ROWS]
    headers = [_("Number"), _("Enterprise"), _("Town"), _("Amount needed (10,000 yuan)"), _("Term (months)"),
               _("Purpose"), _("Collateral or guarantee"), _("Status"), _("Bank"),
               _("Intended amount (10,000 yuan)"), _("Amount granted (10,000 yuan)"), _("Posted on")]
    rows = ([n.number, n.enterprise.name, n.enterprise.town.name, fen_to_wan(n.amount_fen), n.term_months,
             n.get_purpose_display(), n.get_collateral_display(), n.get_status_display(),
             n.bank.name if n.bank else "", fen_to_wan(n.intended_amount_fen), fen_to_wan(n.granted_amount_fen),
             n.created_at] for n in needs)
    return xlsx_response(_("financing-needs"), headers, rows)


@login_required
@require_http_methods(["GET", "POST"])
def need_post(request):
    require_enterprise(request.user)
    enterprise = request.user.enterprise
    initial = {"contact_name": request.user.display_name, "contact_phone": request.user.phone}
    form = NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            need = actions.do_post_need(acting_user=request.user, enterprise=enterprise, **form.action_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Financing need %(number)s posted.") % {"number": need.number})
            return redirect("markets-finance-need", need_id=need.pk)
    return render(request, "markets/finance_post.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request, need_id):
    """The enterprise changes what it asks for while no bank has taken the need up."""
    need = access_need(request.user, need_id)
    require(can_consent_need_side(request.user, need) and need.status in EDITABLE)
    initial = {"amount_wan": fen_to_wan(need.amount_fen), "term_months": need.term_months, "purpose": need.purpose,
               "collateral": need.collateral, "urgency": need.urgency, "description": need.description,
               "contact_name": need.contact_name, "contact_phone": need.contact_phone}
    form = NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            fields = form.action_fields()
            fields.pop("finance_day")  # signing up for a day is a new need's choice only
            actions.do_update_need(need, acting_user=request.user, **fields)
        except (TransitionNotAllowed, ValidationError) as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Financing need %(number)s changed.") % {"number": need.number})
            return redirect("markets-finance-need", need_id=need.pk)
    return render(request, "markets/finance_post.html", {"form": form, "need": need})


def _match_rows(user, need):
    matches = list(need_matches(user, need).order_by("-score", "id"))
    products = FinancialProduct.objects.select_related("organisation").in_bulk([m.offer_id for m in matches])
    own = set(bank_products(user).values_list("pk", flat=True)) if is_bank(user) else set()
    return [{"match": m, "product": products.get(m.offer_id), "criteria": explain(m), "own": m.offer_id in own,
             "can_consent": (m.need_consent_at is None and can_consent_need_side(user, need))
             or (m.offer_id in own and m.offer_consent_at is None)}
            for m in matches if m.offer_id in products]


@login_required
def need_detail(request, need_id):
    need = access_need(request.user, need_id)
    sides = sides_of(request.user, need)
    context = {
        "need": need,
        "matches": _match_rows(request.user, need),
        "actions": allowed_actions(need.status, sides),
        "amount_form": AmountForm(),
        "events": need.events.select_related("actor"),
        "is_enterprise": is_enterprise(request.user),
        "is_bank": is_bank(request.user),
        "can_edit": Side.ENTERPRISE in sides and need.status in EDITABLE,
        "contact_visible": _contact_visible(request.user, need),
    }
    return render(request, "markets/finance_need.html", context)


def _contact_visible(user, need) -> bool:
    """Staff and the enterprise itself see the contact; a bank only once both sides agreed."""
    if is_government_staff(user) or is_enterprise(user):
        return True
    return need_matches(user, need).filter(need_consent_at__isnull=False, offer_consent_at__isnull=False).exists()


@login_required
@require_POST
def need_act(request, need_id, action):
    need = access_need(request.user, need_id)
    form = AmountForm(request.POST)
    note = request.POST.get("note", "")[:500]
    try:
        if action == "respond":
            actions.do_respond(need, acting_user=request.user, product_id=int(request.POST.get("product", 0)),
                               note=note)
        elif action in ("intend", "grant"):
            if not form.is_valid():
                raise ValidationError(_("Please give the amount."))
            step = actions.do_record_intention if action == "intend" else actions.do_grant
            fen = int(form.cleaned_data["amount_wan"] * 1_000_000)
            step(need, acting_user=request.user, amount_fen=fen, note=note)
        elif action == "decline":
            actions.do_decline(need, acting_user=request.user, note=note)
        elif action == "withdraw":
            actions.do_withdraw_need(need, acting_user=request.user, note=note)
        else:
            require(False)
    except (TransitionNotAllowed, ValidationError, ValueError) as error:
        messages.error(request, error_text(error))
    return redirect("markets-finance-need", need_id=need.pk)


@login_required
@require_POST
def match_consent(request, match_id):
    """Either side agrees to share its contact details on one financing match."""
    match = get_object_or_404(Match, pk=match_id, market=Market.FINANCE)
    need = access_need(request.user, match.need_id)
    if can_consent_need_side(request.user, need):
        actions.do_consent(match, acting_user=request.user, offer_side=False)
    elif can_consent_offer_side(request.user, match):
        actions.do_consent(match, acting_user=request.user, offer_side=True)
    else:
        require(False)
    messages.success(request, _("You agreed to share contact details."))
    return redirect("markets-finance-need", need_id=need.pk)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, product_id=None):
    """A bank's staff list and change their own products; every need is matched again."""
    require(is_bank(request.user))
    product = get_object_or_404(bank_products(request.user), pk=product_id) if product_id else None
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            product = actions.do_save_product(acting_user=request.user, product=product,
                                              organisation=request.user.organisation, **form.action_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Product %(name)s saved.") % {"name": product.name})
            return redirect("markets-finance-products")
    return render(request, "markets/finance_product_form.html", {"form": form, "product": product})


@login_required
def product_list(request):
    require(is_bank(request.user) or is_government_staff(request.user) or is_enterprise(request.user))
    products = FinancialProduct.objects.filter(is_active=True).select_related("organisation")
    if is_bank(request.user):
        products = bank_products(request.user)
    return render(request, "markets/finance_products.html",
                  {"products": products, "is_bank": is_bank(request.user)})


# --- Financing days (每月9号融资服务日) ---------------------------------------------------


@login_required
def day_list(request):
    require(is_enterprise(request.user) or is_government_staff(request.user))
    days = MarketEvent.objects.filter(kind=MarketEvent.Kind.FINANCE_DAY)
    page = Paginator(days, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = set()
    if is_enterprise(request.user):
        mine = set(Registration.objects.filter(enterprise_id=request.user.enterprise_id).values_list("event_id",
                                                                                                      flat=True))
    return render(request, "markets/finance_days.html", {"page": page, "mine": mine,
                                                          "can_run": can_run_markets(request.user)})


@login_required
def day_detail(request, event_id):
    require_staff(request.user)
    day = get_object_or_404(MarketEvent, pk=event_id, kind=MarketEvent.Kind.FINANCE_DAY)
    registrations = day.registrations.select_related("enterprise", "enterprise__town")
    return render(request, "markets/finance_day.html", {"day": day, "registrations": registrations,
                                                         "figures": figures.day_figures(day),
                                                         "can_run": can_run_markets(request.user)})


@login_required
@require_POST
def day_register(request, event_id):
    require_enterprise(request.user)
    day = get_object_or_404(MarketEvent, pk=event_id, kind=MarketEvent.Kind.FINANCE_DAY)
    try:
        actions.do_register(day, acting_user=request.user, enterprise=request.user.enterprise)
        messages.success(request, _("You are signed up for %(event)s.") % {"event": day.title})
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("markets-finance-days")


@login_required
@require_POST
def day_attendance(request, event_id, registration_id):
    require(can_run_markets(request.user))
    registration = get_object_or_404(Registration, pk=registration_id, event_id=event_id)
    actions.do_record_attendance(registration, acting_user=request.user, attended=request.POST.get("attended") == "1",
                                 outcome=request.POST.get("outcome", ""))
    return redirect(reverse("markets-finance-day", args=[event_id]))


@login_required
def finance_figures(request):
    require_staff(request.user)
    needs = visible_needs(request.user)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    if year:
        needs = needs.filter(created_at__year=year)
    years = sorted({d.year for d in visible_needs(request.user).dates("created_at", "year")}, reverse=True)
    context = {"overall": figures.finance_figures(needs, year), "chart": figures.finance_chart(needs),
               "funnel": figures.status_counts(needs), "year": year, "years": years}
    return render(request, "markets/finance_figures.html", context)
