"""The enterprise zone (企业码专区): the page a QR code opens, module opens, QR codes and sheets,
module usage, rankings (慈榜) and department appointments (政务码上约)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ScopeKind, scope_of
from enterprises.access import access_enterprise, visible_enterprises
from reference.models import Department, Town

from . import actions, rankings
from .access import can_manage_evaluation, is_staff_viewer, visible_appointments
from .forms import BookingForm, PeriodForm, SlotForm
from .models import ModuleOpen, RankingTable, Round, RoundStatus, ZoneCode, ZoneModule

SHEET_PAGE = 24


def _zone_enterprise(user, token: str):
    """The enterprise of a code, if the user may open its zone (its contact, or staff in scope)."""
    code = get_object_or_404(ZoneCode.objects.select_related("enterprise"), token=token)
    return access_enterprise(user, code.enterprise_id), code


def module_links(user, token: str) -> list[dict]:
    """Active modules in order, with the zone's counting link; a module whose page is not installed,
    or not open to this user, is left out."""
    links = []
    for module in ZoneModule.objects.filter(is_active=True).order_by("sort_order", "code"):
        try:
            reverse(module.url_name)
        except NoReverseMatch:
            continue
        if not _menu_allows(user, module.url_name):
            continue
        links.append({"module": module, "url": reverse("zone-open", args=[token, module.code])})
    return links


def _menu_allows(user, url_name: str) -> bool:
    """The sidebar menu already says who may open which page; a page it does not list is open to all."""
    from core.menu import MENU

    items = [item for item in MENU if item.url_name == url_name]
    return not items or any(item.allowed(user) for item in items)


@login_required
def zone_home(request, token: str):
    """The mobile page an enterprise code opens (after logging in, the login page sends the contact back here)."""
    enterprise, code = _zone_enterprise(request.user, token)
    return render(request, "evaluation/zone.html", {"enterprise": enterprise, "links": module_links(request.user, code.token)})


@login_required
def zone_open(request, token: str, module_code: str):
    """Count one open of the module, then go to its page."""
    _zone_enterprise(request.user, token)
    module = get_object_or_404(ZoneModule, code=module_code, is_active=True)
    try:
        target = reverse(module.url_name)
    except NoReverseMatch:
        raise Http404("This module is not installed.") from None
    if not _menu_allows(request.user, module.url_name):
        raise Http404("This module is not open to you.")
    actions.record_module_open(module)
    return redirect(target)


@login_required
def zone_mine(request):
    scope = scope_of(request.user)
    if scope.kind != ScopeKind.ENTERPRISE:
        raise Http404("No such page.")
    code = actions.ensure_zone_code(access_enterprise(request.user, scope.enterprise_id))
    return redirect("zone-home", token=code.token)


def zone_url(request, code: ZoneCode) -> str:
    return request.build_absolute_uri(reverse("zone-home", args=[code.token]))


def qr_svg(url: str, scale: int = 4) -> str:
    """The QR code of ``url`` as an inline SVG element (segno, error correction M)."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


@login_required
def zone_qr(request, enterprise_id: int):
    """The enterprise code as an SVG file (to print or put in a WeChat message)."""
    enterprise = access_enterprise(request.user, enterprise_id)
    code = actions.ensure_zone_code(enterprise)
    svg = segno.make(zone_url(request, code), error="m")
    response = HttpResponse(content_type="image/svg+xml")
    svg.save(response, kind="svg", scale=6, border=2)
    return response


@login_required
def zone_sheet(request):
    """A printable sheet of enterprise codes for one town (a town window sees its own town only)."""
    if not is_staff_viewer(request.user):
        raise Http404("No such page.")
    enterprises = visible_enterprises(request.user).select_related("town").order_by("name", "id")
    town = Town.objects.filter(code=request.GET.get("town")).first()
    if town is not None:
        enterprises = enterprises.filter(town=town)
    page = Paginator(enterprises, SHEET_PAGE).get_page(request.GET.get("page"))
    cards = [{"enterprise": e, "svg": qr_svg(zone_url(request, actions.ensure_zone_code(e)), scale=3)}
             for e in page.object_list]
    return render(request, "evaluation/zone_sheet.html", {"page": page, "cards": cards, "town": town,
                                                          "towns": Town.objects.all()})


@login_required
def zone_usage(request):
    """Opens per module in a period, so little-used modules can be retired (seed 004)."""
    if not can_manage_evaluation(request.user):
        raise Http404("No such page.")
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    opens = {row["module"]: row for row in ModuleOpen.objects.filter(day__range=(start, end)).values("module")
             .annotate(total=Sum("count"), last=Max("day"))}
    modules = [{"module": m, "total": opens.get(m.pk, {}).get("total") or 0, "last": opens.get(m.pk, {}).get("last")}
               for m in ZoneModule.objects.order_by("sort_order", "code")]
    return render(request, "evaluation/zone_usage.html", {"form": form, "start": start, "end": end,
                                                          "modules": modules})


@login_required
@require_POST
def zone_module_toggle(request, module_id: int):
    if not can_manage_evaluation(request.user):
        raise Http404("No such page.")
    module = get_object_or_404(ZoneModule, pk=module_id)
    actions.do_set_module(module, acting_user=request.user, is_active=not module.is_active)
    return redirect(reverse("zone-usage") + ("?" + request.GET.urlencode() if request.GET else ""))


@login_required
def ranking_list(request):
    """慈榜: every active league table for a year; an enterprise also sees where it stands."""
    years = sorted(set(Round.objects.exclude(status=RoundStatus.DRAFT).values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year - 1))
    except ValueError:
        year = years[0] if years else timezone.localdate().year - 1
    scope = scope_of(request.user)
    mine = access_enterprise(request.user, scope.enterprise_id) if scope.kind == ScopeKind.ENTERPRISE else None
    tables = [{"table": t, "sections": rankings.league(t, year),
               "mine": rankings.position_of(t, year, mine) if mine else None}
              for t in RankingTable.objects.filter(is_active=True)]
    return render(request, "evaluation/rankings.html", {"tables": tables, "year": year, "years": years,
                                                        "mine": mine})


@login_required
def appointment_list(request):
    """An enterprise books and follows its appointments; a department confirms those in its slots."""
    scope = scope_of(request.user)
    if scope.kind == ScopeKind.NONE:
        raise Http404("No such page.")
    appointments = visible_appointments(request.user).select_related("slot__department", "enterprise", "booked_by")
    return render(request, "evaluation/appointments.html", {
        "appointments": appointments.order_by("-slot__starts_at")[:100],
        "form": BookingForm() if scope.kind == ScopeKind.ENTERPRISE else None,
        "slot_form": SlotForm() if _department_of(request.user) else None,
        "is_enterprise": scope.kind == ScopeKind.ENTERPRISE})


def _department_of(user):
    """The reference department a department handler offers slots for (None for anyone else)."""
    scope = scope_of(user)
    if scope.kind != ScopeKind.DEPARTMENT or not scope.department_id:
        return None
    return Department.objects.filter(pk=scope.department_id).first()


@login_required
@require_POST
def slot_offer(request):
    department = _department_of(request.user)
    if department is None:
        raise Http404("No such page.")
    form = SlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("appointments-list")
    starts_at, ends_at = form.times()
    try:
        actions.do_offer_slot(acting_user=request.user, department=department, starts_at=starts_at, ends_at=ends_at,
                              place=form.cleaned_data["place"])
    except actions.SlotTaken as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The slot is offered to enterprises."))
    return redirect("appointments-list")


@login_required
@require_POST
def appointment_book(request):
    scope = scope_of(request.user)
    if scope.kind != ScopeKind.ENTERPRISE:
        raise Http404("No such page.")
    form = BookingForm(request.POST)
    if form.is_valid():
        try:
            actions.do_book_appointment(form.cleaned_data["slot"], acting_user=request.user,
                                        enterprise=access_enterprise(request.user, scope.enterprise_id),
                                        topic=form.cleaned_data["topic"])
        except actions.SlotTaken as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your appointment was requested; the department will confirm it."))
    else:
        messages.error(request, _("Pick a free slot and write the topic."))
    return redirect("appointments-list")


@login_required
@require_POST
def appointment_answer(request, appointment_id: int):
    appointment = get_object_or_404(visible_appointments(request.user).select_related("slot"), pk=appointment_id)
    step = request.POST.get("step")
    try:
        if step == "cancel":
            if scope_of(request.user).kind != ScopeKind.ENTERPRISE:
                raise Http404("No such step.")
            actions.do_cancel_appointment(appointment, acting_user=request.user)
        else:
            actions.do_answer_appointment(appointment, acting_user=request.user, confirm=step == "confirm",
                                          answer=request.POST.get("answer", ""))
    except actions.StepNotAllowed as error:
        messages.error(request, str(error))
    return redirect("appointments-list")

