"""Visit pages: log a visit on the phone, the visit page, lists of visits and problems, not-visited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.excel import xlsx_response
from enterprises.search import search_enterprises

from .. import actions, figures
from ..access import (
    access_visit,
    can_log_visits,
    can_note_conditions,
    liaison_enterprises,
    visible_visits,
    visit_enterprises,
)
from ..forms import AddProblemForm, PhotoForm, ProblemFormSet, UnvisitedFilterForm, VisitFilterForm, VisitForm
from ..models import VisitEnterprise, VisitPhoto
from ..visiting import interval_days, not_visited, sees_others
from ._common import PAGE_SIZE, error_text, require, require_staff


def _problems_of(formset, visit_form) -> list[actions.ProblemInput]:
    """The filled-in problem forms as action input (an empty enterprise: the first one visited)."""
    enterprises = visit_form.cleaned_data["all_enterprises"]
    problems = []
    for form in formset:
        if not form.has_problem():
            continue
        data = form.cleaned_data
        problems.append(actions.ProblemInput(
            enterprise=data.get("enterprise") or enterprises[0], text=data["text"].strip(),
            appeal_type=data["appeal_type"], category=data.get("category"),
            condition_tags=list(data.get("condition_tags") or []),
        ))
    return problems


def _save_visit(request, form, formset):
    data = form.cleaned_data
    return actions.do_log_visit(
        acting_user=request.user, visited_on=data["visited_on"], enterprises=data["all_enterprises"],
        summary=data["summary"], cadres=list(data["cadres"]), policies=list(data["policies"]),
        problems=_problems_of(formset, form), photos=data["photos"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request):
    """走访登记 on the phone: who went where, what was discussed, problems become demands."""
    require(can_log_visits(request.user))
    preselect = [request.GET["enterprise"]] if request.GET.get("enterprise", "").isdigit() else []
    form = VisitForm(request.POST or None, request.FILES or None, user=request.user, preselect=preselect)
    formset = ProblemFormSet(request.POST or None, prefix="problems",
                             form_kwargs={"allowed": form.allowed, "shown": form.shown})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            visit = _save_visit(request, form, formset)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            count = visit.problems.count()
            messages.success(request, _("Visit recorded; %(count)d problem(s) became demands.") % {"count": count})
            return redirect("liaisons-visit-detail", visit_id=visit.pk)
    return render(request, "liaisons/visit_new.html", {"form": form, "formset": formset})


def _visit_context(request, visit, *, problem_form=None, photo_form=None) -> dict:
    may_add = can_log_visits(request.user) and visit.cadre_rows.filter(cadre=request.user).exists()
    return {
        "visit": visit,
        "enterprises": visit.enterprises.select_related("town"),
        "cadres": visit.cadres.select_related("organisation"),
        "policies": visit.policies.all(),
        "problems": visit.problems.select_related("demand", "enterprise"),
        "photos": visit.photos.all(),
        "may_add": may_add,
        "problem_form": problem_form or (AddProblemForm(visit=visit, prefix="add") if may_add else None),
        "photo_form": photo_form or (PhotoForm() if may_add else None),
    }


@login_required
def visit_detail(request, visit_id: int):
    visit = access_visit(request.user, visit_id)
    return render(request, "liaisons/visit_detail.html", _visit_context(request, visit))


def _own_visit(request, visit_id: int):
    visit = access_visit(request.user, visit_id)
    require(can_log_visits(request.user) and visit.cadre_rows.filter(cadre=request.user).exists())
    return visit


@login_required
@require_POST
def visit_add_problem(request, visit_id: int):
    """One more problem from this visit becomes a demand, linked to it."""
    visit = _own_visit(request, visit_id)
    form = AddProblemForm(request.POST, visit=visit, prefix="add")
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                problem = actions.do_add_problem(visit, actions.ProblemInput(
                    enterprise=data["enterprise"], text=data["text"], appeal_type=data["appeal_type"],
                    category=data.get("category"), condition_tags=list(data.get("condition_tags") or []),
                ), acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Demand %(number)s recorded.") % {"number": problem.demand.number})
            return redirect("liaisons-visit-detail", visit_id=visit.pk)
    return render(request, "liaisons/visit_detail.html", _visit_context(request, visit, problem_form=form),
                  status=400)


@login_required
@require_POST
def visit_add_photos(request, visit_id: int):
    visit = _own_visit(request, visit_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                for upload in form.cleaned_data["photos"]:
                    actions.do_add_photo(visit, upload, acting_user=request.user)
        except ValidationError as error:
            form.add_error("photos", error_text(error))
        else:
            return redirect("liaisons-visit-detail", visit_id=visit.pk)
    return render(request, "liaisons/visit_detail.html", _visit_context(request, visit, photo_form=form),
                  status=400)


@login_required
def photo_view(request, photo_id: int):
    try:
        photo = VisitPhoto.objects.get(pk=photo_id, visit__in=visible_visits(request.user))
    except VisitPhoto.DoesNotExist:
        raise Http404("No such photo.") from None
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
def enterprise_search(request):
    """Enterprises a visit or a condition item may name, for the pickers (JSON, ten at most)."""
    require(can_log_visits(request.user) or can_note_conditions(request.user))
    text = request.GET.get("q", "").strip()[:100]
    found = search_enterprises(visit_enterprises(request.user), text).select_related("town")[:10] if text else []
    return JsonResponse({"results": [
        {"id": e.pk, "name": e.name, "credit_code": e.credit_code, "town": e.town.name} for e in found
    ]})


# --- lists -------------------------------------------------------------------------------------


def _visits(request):
    form = VisitFilterForm(request.GET or None)
    qs = visible_visits(request.user)
    if request.GET and not form.is_valid():
        return form, qs.none()
    qs = figures.filter_visits(qs, **form.filters()) if request.GET else qs
    text = form.cleaned_data.get("q", "").strip() if request.GET else ""
    if text:
        named = VisitEnterprise.objects.filter(visit=OuterRef("pk"), enterprise__name__contains=text)
        qs = qs.filter(Q(summary__contains=text) | Q(Exists(named)))
    return form, qs


def _list_related(qs):
    return qs.select_related("recorded_by").prefetch_related(
        Prefetch("enterprises"), Prefetch("cadres"), "problems"
    ).order_by("-visited_on", "-id")


@login_required
def visit_list(request):
    require_staff(request.user)
    form, qs = _visits(request)
    page = Paginator(_list_related(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "liaisons/visit_list.html", {"form": form, "page": page,
                                                        "can_log": can_log_visits(request.user)})


@login_required
def visit_export(request):
    require_staff(request.user)
    _form, qs = _visits(request)
    headers = [_("Visit date"), _("Enterprises"), _("Cadres who went"), _("Person-trips"), _("What was discussed"),
               _("Problems found"), _("Recorded by")]
    rows = (
        [v.visited_on, "、".join(e.name for e in v.enterprises.all()), "、".join(str(c) for c in v.cadres.all()),
         len(v.cadres.all()), v.summary, len(v.problems.all()), str(v.recorded_by)]
        for v in _list_related(qs)[: settings.QIFU_EXPORT_MAX_ROWS]
    )
    return xlsx_response(_("visits"), headers, rows)


def _visited(request):
    form = VisitFilterForm(request.GET or None)
    visits = visible_visits(request.user)
    if request.GET and not form.is_valid():
        visits = visits.none()
    filters = form.filters() if request.GET and form.is_valid() else {}
    return form, figures.visited_enterprises(visits, **filters).select_related("town").order_by("name", "id")


@login_required
def visited_list(request):
    """The enterprises visited in a period (the records behind that figure), with their visits."""
    require_staff(request.user)
    form, qs = _visited(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "liaisons/visited_list.html", {"form": form, "page": page})


@login_required
def visited_export(request):
    require_staff(request.user)
    _form, qs = _visited(request)
    headers = [_("Enterprise"), _("Unified social credit code"), _("Town"), _("Visits (count)"), _("Last visit")]
    rows = ([e.name, e.credit_code, e.town.name, e.visit_count, e.last_visit]
            for e in qs[: settings.QIFU_EXPORT_MAX_ROWS])
    return xlsx_response(_("visited-enterprises"), headers, rows)


def _problems(request):
    form = VisitFilterForm(request.GET or None)
    visits = visible_visits(request.user)
    if request.GET and not form.is_valid():
        return form, figures.filter_problems(visits.none())
    data = form.cleaned_data if request.GET else {}
    problems = figures.filter_problems(visits, resolved=data.get("resolved"), **(form.filters() if request.GET else {}))
    return form, problems.select_related("demand", "enterprise", "visit").order_by("-visit__visited_on", "-id")


@login_required
def problem_list(request):
    """Problems found on visits, each with its demand (the records behind the problem figures)."""
    require_staff(request.user)
    form, qs = _problems(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "liaisons/problem_list.html", {"form": form, "page": page})


@login_required
def problem_export(request):
    require_staff(request.user)
    _form, qs = _problems(request)
    headers = [_("Visit date"), _("Enterprise"), _("Demand"), _("Title"), _("Status")]
    rows = ([p.visit.visited_on, p.enterprise.name, p.demand.number, p.demand.title, p.demand.get_status_display()]
            for p in qs[: settings.QIFU_EXPORT_MAX_ROWS])
    return xlsx_response(_("visit-problems"), headers, rows)


# --- not visited within the interval -----------------------------------------------------------


def _unvisited(request):
    form = UnvisitedFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    days = data.get("days") or interval_days()
    qs = not_visited(request.user, days=days, cadre=data.get("cadre"))
    if data.get("town"):
        qs = qs.filter(enterprise__town=data["town"])
    if data.get("level"):
        qs = qs.filter(level=data["level"])
    if data.get("q"):
        qs = qs.filter(enterprise__in=search_enterprises(liaison_enterprises(request.user), data["q"]))
    return form, days, qs.order_by(*_unvisited_order())


def _unvisited_order():
    return [F("last_visit").asc(nulls_first=True), "enterprise__name", "id"]


@login_required
def unvisited_list(request):
    """走访提醒: my enterprises not visited within the interval (phone first)."""
    require_staff(request.user)
    form, days, qs = _unvisited(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for row in page:
        row.days_since = (today - row.last_visit).days if row.last_visit else None
    return render(request, "liaisons/unvisited.html", {
        "form": form, "page": page, "days": days, "sees_others": sees_others(request.user),
        "can_log": can_log_visits(request.user),
    })


@login_required
def unvisited_export(request):
    require_staff(request.user)
    _form, _days, qs = _unvisited(request)
    headers = [_("Enterprise"), _("Unified social credit code"), _("Town"), _("Liaison cadre"), _("Level"),
               _("Last visit")]
    rows = ([a.enterprise.name, a.enterprise.credit_code, a.enterprise.town.name, str(a.cadre),
             a.get_level_display(), a.last_visit or ""] for a in qs[: settings.QIFU_EXPORT_MAX_ROWS])
    return xlsx_response(_("not-visited"), headers, rows)

