"""Liaison assignments: by hand on a filtered list, by tier rule, by Excel import; history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.excel import XLSX
from enterprises.access import access_enterprise
from enterprises.forms import EnterpriseFilterForm
from enterprises.importing import ImportFileError

from .. import actions, importing, tiers
from ..access import assignable_enterprises, assignable_levels, can_assign, current_assignments, liaison_enterprises
from ..forms import AssignForm, AssignmentImportForm, RuleAssignForm
from ..models import Assignment
from ._common import PAGE_SIZE, error_text, require, require_staff


def _board_queryset(request):
    form = EnterpriseFilterForm(request.GET or None)
    qs = assignable_enterprises(request.user)
    if request.GET:
        qs = form.apply(qs)
    tier = request.GET.get("tier", "")
    if tier in tiers.tiers():
        qs = tiers.enterprises_in_tier(tier, qs)
    if request.GET.get("liaison") == "none":
        qs = qs.exclude(pk__in=current_assignments().values("enterprise_id"))
    current = Prefetch("liaison_assignments", queryset=current_assignments().select_related("cadre"), to_attr="current")
    return form, tier, qs.select_related("town").prefetch_related(current).order_by("name", "id")


@login_required
def assignment_board(request):
    """The filtered enterprise list with each one's liaisons; tick enterprises to assign a cadre."""
    require(can_assign(request.user))
    form, tier, qs = _board_queryset(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "liaisons/assignments.html", {
        "form": form, "page": page, "tier": tier, "tiers": tiers.tier_choices(),
        "assign_form": AssignForm(user=request.user), "rule_form": RuleAssignForm(user=request.user),
        "liaison_filter": request.GET.get("liaison", ""), "back": request.get_full_path(),
    })


def _back(request) -> str:
    target = request.POST.get("back", "")
    return target if target.startswith("/liaisons/") else reverse("liaisons-assignments")


@login_required
@require_POST
def assign_by_hand(request):
    require(can_assign(request.user))
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid() or not form.cleaned_data["enterprises"]:
        messages.error(request, _("Tick at least one enterprise and choose a cadre and a level."))
        return redirect(_back(request))
    data = form.cleaned_data
    try:
        changed = actions.do_assign_many([(e, data["cadre"], data["level"]) for e in data["enterprises"]],
                                         acting_user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(count)d assignment(s) made.") % {"count": changed})
    return redirect(_back(request))


@login_required
@require_POST
def assign_by_rule(request):
    require(can_assign(request.user))
    form = RuleAssignForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "; ".join(form.flat_errors()))
        return redirect(_back(request))
    data = form.cleaned_data
    scope = assignable_enterprises(request.user)
    if data["town"]:
        scope = scope.filter(town=data["town"])
    try:
        changed = actions.do_assign_by_rule(acting_user=request.user, tier=data["tier"], cadre=data["cadre"],
                                            level=data["level"], enterprises=scope,
                                            only_unassigned=data["only_unassigned"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(count)d assignment(s) made.") % {"count": changed})
    return redirect(_back(request))


@login_required
@require_http_methods(["GET", "POST"])
def assignment_import(request):
    """Excel list of liaisons; every bad row reported; all-or-nothing or the good rows only."""
    require(can_assign(request.user))
    form = AssignmentImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = importing.import_assignments(
                form.cleaned_data["file"].read(), acting_user=request.user, mode=form.cleaned_data["mode"],
                enterprises=assignable_enterprises(request.user), levels=assignable_levels(request.user),
            )
        except (ImportFileError, ValidationError) as error:
            form.add_error("file", error_text(error))
    status = 400 if form.errors else 200
    return render(request, "liaisons/import.html", {"form": form, "report": report}, status=status)


@login_required
def import_template(request):
    require(can_assign(request.user))
    response = HttpResponse(importing.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="qifu-liaisons-template.xlsx"'
    return response


@login_required
def enterprise_history(request, enterprise_id: int):
    """Who was this enterprise's liaison when (企服责任人变更记录)."""
    require_staff(request.user)
    enterprise = access_enterprise(request.user, enterprise_id)
    require(liaison_enterprises(request.user).filter(pk=enterprise.pk).exists() or can_assign(request.user))
    history = Assignment.objects.filter(enterprise=enterprise).select_related("cadre__organisation", "assigned_by",
                                                                               "ended_by")
    return render(request, "liaisons/history.html", {
        "enterprise": enterprise, "history": history, "tiers": tiers.tiers_of(enterprise),
        "may_end": can_assign(request.user) and assignable_enterprises(request.user).filter(pk=enterprise.pk).exists(),
    })


@login_required
@require_POST
def assignment_end(request, assignment_id: int):
    require(can_assign(request.user))
    assignment = get_object_or_404(Assignment, pk=assignment_id,
                                   enterprise__in=assignable_enterprises(request.user),
                                   level__in=assignable_levels(request.user))
    actions.do_end_assignment(assignment, acting_user=request.user)
    return redirect("liaisons-history", enterprise_id=assignment.enterprise_id)
