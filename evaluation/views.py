"""Evaluation pages: rounds (staff), results with their calculation, figures, the enterprise's own page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ScopeKind, scope_of
from core.excel import xlsx_response

from . import actions, figures
from .access import access_result, access_round, can_manage_evaluation, is_staff_viewer, sides_of, visible_results
from .forms import GROUP_LABELS, ResultFilterForm, TextForm
from .models import Objection, Round, RoundStatus, Scheme
from .workflow import StepNotAllowed, allowed_steps

PAGE_SIZE = 25
ROUND_STEPS = ("recompute", "open_confirmation", "start_notice", "finalise")


def _require_staff(user) -> None:
    if not is_staff_viewer(user):
        raise Http404("No such page.")


@login_required
def evaluation_home(request):
    """Rounds and schemes; the office starts a round from a scheme version."""
    _require_staff(request.user)
    rounds = Round.objects.select_related("scheme").order_by("-year", "-id")
    return render(request, "evaluation/home.html", {
        "rounds": rounds, "schemes": Scheme.objects.all(), "can_manage": can_manage_evaluation(request.user)})


@login_required
@require_POST
def round_start(request, scheme_id: int):
    if not can_manage_evaluation(request.user):
        raise Http404("No such page.")
    round_ = actions.do_start_round(get_object_or_404(Scheme, pk=scheme_id), acting_user=request.user,
                                    background=True)
    messages.success(request, _("The round is being computed; this page shows the results when it is done."))
    return redirect("evaluation-round", round_id=round_.pk)


@login_required
def round_detail(request, round_id: int):
    _require_staff(request.user)
    round_ = access_round(request.user, round_id)
    results = visible_results(request.user).filter(round=round_)
    return render(request, "evaluation/round.html", {
        "round": round_, "by_group": _by_group(results), "steps": allowed_steps(
            round_.status, sides_of(request.user), ROUND_STEPS) if round_.computed_at else [],
        "disputed": results.filter(confirmation="disputed").select_related("enterprise")[:50],
        "objections": Objection.objects.filter(result__in=results, status=Objection.Status.OPEN)
        .select_related("result__enterprise")[:50],
        "events": round_.events.select_related("actor", "result__enterprise")[:30],
        "confirmed": results.filter(confirmation__in=("confirmed", "resolved")).count(), "total": results.count(),
        "measures": [(k, figures.measure_rows(round_.scheme.parsed().measures_for(k))) for k in figures.CLASSES],
    })


def _by_group(results) -> list[dict]:
    from django.db.models import Count, Q

    rows = results.values("group").annotate(total=Count("id"), **{
        k: Count("id", filter=Q(klass=k)) for k in figures.CLASSES}).order_by("group")
    return [{"code": r["group"], "label": GROUP_LABELS.get(r["group"], r["group"]), "total": r["total"],
             "classes": [r[k] for k in figures.CLASSES]} for r in rows]


@login_required
@require_POST
def round_step(request, round_id: int):
    round_ = access_round(request.user, round_id)
    step = request.POST.get("step")
    do = {"recompute": actions.do_recompute, "open_confirmation": actions.do_open_confirmation,
          "start_notice": actions.do_start_notice, "finalise": actions.do_finalise}.get(step)
    if do is None:
        raise Http404("No such step.")
    try:
        do(round_, acting_user=request.user)
    except StepNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done: the round is “%(status)s”.") % {"status": round_.get_status_display()})
    return redirect("evaluation-round", round_id=round_.pk)


def _filtered(request, round_):
    groups = [g.code for g in round_.scheme.parsed().groups]
    form = ResultFilterForm(request.GET or None, groups=groups)
    qs = form.apply(visible_results(request.user).filter(round=round_))
    return form, qs.select_related("enterprise", "town", "industry_group").order_by("group", "rank", "id")


@login_required
def result_list(request, round_id: int):
    _require_staff(request.user)
    round_ = access_round(request.user, round_id)
    form, qs = _filtered(request, round_)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluation/results.html", {"round": round_, "form": form, "page": page,
                                                       "group_labels": GROUP_LABELS})


@login_required
def result_export(request, round_id: int):
    _require_staff(request.user)
    round_ = access_round(request.user, round_id)
    _form, qs = _filtered(request, round_)
    headers = [_("Credit code"), _("Enterprise"), _("Town"), _("Industry group"), _("Evaluation group"), _("Score"),
               _("Rank in group"), _("Class"), _("Tax per mu (10,000 yuan)"), _("Low efficiency"),
               _("Data confirmation")]
    rows = ((r.enterprise.credit_code, r.enterprise.name, r.town.name, r.industry_group.name if r.industry_group else "",
             str(GROUP_LABELS.get(r.group, r.group)), float(r.score), r.rank, r.klass,
             None if r.tax_per_mu_wan is None else float(r.tax_per_mu_wan), _("yes") if r.is_low_efficiency else "",
             r.get_confirmation_display()) for r in qs.iterator(chunk_size=2000))
    return xlsx_response(_("per-mu-evaluation-%(year)d") % {"year": round_.year}, headers, rows)


@login_required
def result_detail(request, result_id: int):
    result = access_result(request.user, result_id)
    scheme = result.round.scheme.parsed()
    sides = sides_of(request.user, result)
    return render(request, "evaluation/result.html", {
        "result": result, "calc": result.calculation, "group_label": GROUP_LABELS.get(result.group, result.group),
        "measures": figures.measure_rows(scheme.measures_for(result.klass)),
        "history": figures.enterprise_history(visible_results(request.user), result.enterprise_id),
        "steps": allowed_steps(result.round.status, sides, ("confirm_data", "dispute_data", "resolve_dispute",
                                                             "raise_objection")),
        "handle": "handle_objection" in allowed_steps(result.round.status, sides, ("handle_objection",)),
        "objections": result.objections.select_related("raised_by", "handled_by"),
        "events": result.events.select_related("actor")[:20], "form": TextForm(),
        "is_staff": is_staff_viewer(request.user),
    })


@login_required
@require_POST
def result_step(request, result_id: int):
    """Confirm, dispute, answer a dispute, raise an objection: one form, the step says which."""
    result = access_result(request.user, result_id)
    step, form = request.POST.get("step"), TextForm(request.POST)
    text = form.data.get("text", "")
    try:
        if step == "confirm_data":
            actions.do_confirm_data(result, acting_user=request.user)
        elif step == "dispute_data":
            actions.do_dispute_data(result, acting_user=request.user, text=text)
        elif step == "resolve_dispute":
            actions.do_resolve_dispute(result, acting_user=request.user, text=text)
        elif step == "raise_objection":
            actions.do_raise_objection(result, acting_user=request.user, text=text)
        else:
            raise Http404("No such step.")
    except StepNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("evaluation-result", result_id=result.pk)


@login_required
@require_POST
def objection_handle(request, objection_id: int):
    objection = get_object_or_404(Objection.objects.select_related("result"), pk=objection_id)
    access_result(request.user, objection.result_id)
    try:
        actions.do_handle_objection(objection, acting_user=request.user, upheld=request.POST.get("decision") == "upheld",
                                    response=request.POST.get("text", ""))
    except StepNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The objection was answered."))
    return redirect("evaluation-result", result_id=objection.result_id)


@login_required
def summary(request, round_id: int):
    """By town and by industry group (with a chart), and year over year."""
    _require_staff(request.user)
    round_ = access_round(request.user, round_id)
    visible = visible_results(request.user)
    results = visible.filter(round=round_)
    towns, groups = figures.by_dimension(results, "town"), figures.by_dimension(results, "industry_group")
    return render(request, "evaluation/summary.html", {
        "round": round_, "towns": towns, "groups": groups, "chart": figures.chart_data(towns),
        "years": figures.year_over_year(visible), "classes": figures.CLASSES})


@login_required
def my_evaluation(request):
    """The enterprise contact's latest result (the zone's “my evaluation”), or a page saying there is none."""
    scope = scope_of(request.user)
    if scope.kind != ScopeKind.ENTERPRISE:
        raise Http404("No such page.")
    latest = visible_results(request.user).order_by("-round__year", "-round_id").first()
    if latest is not None:
        return redirect("evaluation-result", result_id=latest.pk)
    return render(request, "evaluation/none.html")


@login_required
def low_efficiency(request):
    """The low-efficiency list of the latest round (tax per mu below the scheme's threshold)."""
    _require_staff(request.user)
    latest = Round.objects.exclude(status=RoundStatus.DRAFT).order_by("-year", "-id").first() or \
        Round.objects.order_by("-year", "-id").first()
    if latest is None:
        return render(request, "evaluation/none.html")
    return redirect(reverse("evaluation-results", args=[latest.pk]) + "?low=on")
