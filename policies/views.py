"""Policy pages: the library (staff), the check-up (an enterprise, or staff in scope) and the calculator."""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access as account_access
from core.excel import xlsx_response
from enterprises.access import access_enterprise

from . import actions
from .access import (
    access_payout_batch,
    can_edit_policies,
    can_review_payouts,
    review_department_id,
    visible_payout_batches,
)
from .checkup import ENTERPRISE_KEY, Checkup, calculator, calculator_facts, checkup_for
from .facts_io import FactsImportError
from .forms import (
    FactsForm,
    FactsUploadForm,
    PayoutDecisionForm,
    PayoutLineFilterForm,
    PolicyFilterForm,
    VersionForm,
    field_name,
)
from .models import PayoutBatch, Policy, PolicyPush, PolicyVersion
from .payouts import batch_totals, payout_versions
from .push import next_week, send_weekly_push, weekly_digest
from .rules import RuleError
from .simulation import default_year, simulate

PAGE_SIZE = 20
SECTION_LIMIT = 20


def _require_staff(user) -> None:
    if not account_access.is_government_staff(user):
        raise Http404("No such page.")


@login_required
def policy_list(request):
    _require_staff(request.user)
    form = PolicyFilterForm(request.GET or None)
    qs = form.apply(Policy.objects.all()).prefetch_related("versions").order_by("sort_order", "code")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "policies/list.html", {"form": form, "page": page})


@login_required
def policy_detail(request, code: str):
    _require_staff(request.user)
    policy = get_object_or_404(Policy, code=code)
    versions = list(policy.versions.select_related("published_by").order_by("-number"))
    published = next((v for v in versions if v.status == PolicyVersion.Status.PUBLISHED), None)
    cases = list(published.test_cases.all()) if published else []
    return render(
        request,
        "policies/detail.html",
        {"policy": policy, "published": published, "versions": versions, "cases": cases,
         "can_edit": can_edit_policies(request.user)},
    )


def _editable_policy(user, code: str) -> Policy:
    if not can_edit_policies(user):
        raise Http404("No such page.")
    return get_object_or_404(Policy, code=code)


@login_required
@require_http_methods(["GET", "POST"])
def version_new(request, code: str):
    """A new draft version of the rule; the latest version's test cases come along."""
    policy = _editable_policy(request.user, code)
    latest = policy.versions.order_by("-number").first()
    form = VersionForm(request.POST or None, initial=VersionForm.initial_from(latest) if latest else None)
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.do_create_version(policy, acting_user=request.user, **form.cleaned_data)
        except RuleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft version %(number)d saved.") % {"number": version.number})
            return redirect("policies-detail", code=policy.code)
    return render(request, "policies/version_form.html", {"policy": policy, "form": form})


@login_required
@require_POST
def version_publish(request, code: str, number: int):
    """Publish a draft: refused, with the failing test cases, unless every case passes."""
    policy = _editable_policy(request.user, code)
    version = get_object_or_404(policy.versions, number=number)
    try:
        actions.publish_version(version, acting_user=request.user)
    except actions.PublishRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Version %(number)d is now in force.") % {"number": version.number})
    return redirect("policies-detail", code=policy.code)


@login_required
def my_checkup(request):
    """An enterprise contact's check-up of its own enterprise."""
    scope = account_access.scope_of(request.user)
    if scope.kind != account_access.ScopeKind.ENTERPRISE:
        raise Http404("No such page.")
    return _checkup_page(request, access_enterprise(request.user, scope.enterprise_id))


@login_required
def enterprise_checkup(request, enterprise_id: int):
    """Staff (or the enterprise itself) look at one enterprise in scope; otherwise the same 404."""
    return _checkup_page(request, access_enterprise(request.user, enterprise_id))


def _facts_data(request):
    """The what-if values of the query string (``show=all`` is not one of them)."""
    data = request.GET.copy()
    data.pop("show", None)
    return data or None


def _section_limit(request) -> dict:
    """Each section of a check-up shows its first SECTION_LIMIT results unless ``?show=all``
    (with 1,000 policies a full page is 1.5 MB); the total always counts every result."""
    if request.GET.get("show") == "all":
        return {"limit": None, "shown": ""}
    query = request.GET.copy()
    query["show"] = "all"
    return {"limit": SECTION_LIMIT, "shown": f":{SECTION_LIMIT}", "show_all_query": query.urlencode()}


def _checkup_page(request, enterprise):
    base = checkup_for(enterprise)
    form = FactsForm(_facts_data(request), fields=base.missing_fields())
    checkup = base
    if form.is_bound and form.is_valid():
        checkup = checkup_for(enterprise, form.extra_facts())
        # Facts asked for only once others are known get a field too; typed values stay in place.
        form = FactsForm(_facts_data(request),
                         fields=list(dict.fromkeys(base.missing_fields() + checkup.missing_fields())))
        form.is_valid()
    labels = {f.subject_key: f.subject_label for f in base.eligible + base.unknown + base.ineligible}
    labels.setdefault(ENTERPRISE_KEY, enterprise.name)
    return render(
        request,
        "policies/checkup.html",
        {
            "enterprise": enterprise,
            "checkup": checkup,
            "form": form,
            "groups": _groups(form, labels),
            "what_if": form.is_bound and form.is_valid() and bool(form.extra_facts()),
            "is_staff": account_access.is_government_staff(request.user),
            **_section_limit(request),
        },
    )


def _groups(form: FactsForm, labels: dict[str, str]) -> list[tuple[str, list]]:
    """The form's fields grouped by the subject they belong to (the enterprise, then each project)."""
    groups: dict[str, list] = {}
    for name, (key, _fact) in form.facts.items():
        groups.setdefault(key, []).append(form[name])
    return [(labels.get(key, key), fields) for key, fields in groups.items()]


@login_required
def policy_calculator(request):
    if account_access.scope_of(request.user).kind == account_access.ScopeKind.NONE:
        raise Http404("No such page.")
    facts = calculator_facts()
    form = FactsForm(_facts_data(request), fields=[("project", fact) for fact in facts])
    result: Checkup | None = None
    if form.is_bound and form.is_valid():
        result = calculator(form.extra_facts().get("project", {}))
    return render(
        request,
        "policies/calculator.html",
        {
            "form": form,
            "checkup": result,
            "fields": [form[field_name("project", fact)] for fact in facts],
            "is_staff": account_access.is_government_staff(request.user),
            **_section_limit(request),
        },
    )


@login_required
def budget_simulation(request, code: str):
    """What the version in force (and, with ?against=N, another version) would pay, against the budget."""
    _require_staff(request.user)
    policy = get_object_or_404(Policy, code=code)
    versions = list(policy.versions.order_by("-number"))
    chosen = [v for v in versions if v.status == PolicyVersion.Status.PUBLISHED][:1]
    other = next((v for v in versions if str(v.number) == request.GET.get("against")), None)
    if other is not None and other not in chosen:
        chosen.append(other)
    year = _year(request)
    runs = [simulate(version, year) for version in chosen] if year else []
    chart = {"names": [str(run.version) for run in runs], "totals": [run.total_fen for run in runs],
             "budget": policy.budget_fen}
    return render(request, "policies/simulation.html", {
        "policy": policy, "versions": versions, "runs": runs, "year": year, "chart": chart,
        "against": other.number if other else None,
    })


def _year(request) -> int | None:
    try:
        return int(request.GET["year"])
    except (KeyError, ValueError):
        return default_year()


@login_required
@require_http_methods(["GET", "POST"])
def weekly_push(request):
    """Policy administrators preview next week's "opening next week" push, send it now, and read the log."""
    if not can_edit_policies(request.user):
        raise Http404("No such page.")
    today = timezone.localdate()
    if request.method == "POST":
        pushes = send_weekly_push(today, acting_user=request.user)
        messages.success(request, _("%(count)d enterprises were sent next week's policies.") % {"count": len(pushes)})
        return redirect("policies-push")
    monday, sunday = next_week(today)
    log = PolicyPush.objects.select_related("enterprise", "sent_by").prefetch_related("notifications")
    return render(request, "policies/push.html", {
        "digests": weekly_digest(today), "monday": monday, "sunday": sunday,
        "pushed": set(log.filter(week_start=monday).values_list("enterprise_id", flat=True)),
        "page": Paginator(log, PAGE_SIZE).get_page(request.GET.get("page")),
    })


# --- Payouts without application (免申即享): the department's review.


@login_required
def payout_list(request):
    """The payout lists of the policies of the reviewer's department, and the policies that make them."""
    if not can_review_payouts(request.user):
        raise Http404("No such page.")
    batches = visible_payout_batches(request.user).select_related("version__policy", "approved_by")
    department_id = review_department_id(request.user)
    policies = [v for v in payout_versions() if v.policy.department_id == department_id]
    return render(request, "policies/payouts/list.html", {
        "page": Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page")), "versions": policies,
    })


@login_required
@require_POST
def payout_generate(request, code: str):
    """Make a payout list now from the match table (the nightly job does the same after its refresh)."""
    policy = get_object_or_404(Policy, code=code, auto_payout=True)
    if not can_review_payouts(request.user, policy) or policy.published_version() is None:
        raise Http404("No such page.")
    batch = actions.do_generate_payouts(policy.published_version(), acting_user=request.user)
    if batch is None:
        messages.info(request, _("No new eligible enterprise: no payout list was made."))
        return redirect("policies-payouts")
    return redirect("policies-payout-batch", batch_id=batch.pk)


def _batch_lines(request, batch):
    form = PayoutLineFilterForm(request.GET or None)
    lines = form.apply(batch.lines.select_related("enterprise__town", "project", "decided_by"))
    return form, lines.order_by("-amount_fen", "id")


@login_required
def payout_batch(request, batch_id: int):
    batch = access_payout_batch(request.user, batch_id)
    form, lines = _batch_lines(request, batch)
    return render(request, "policies/payouts/batch.html", {
        "batch": batch, "policy": batch.version.policy, "form": form, "totals": batch_totals(batch),
        "page": Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page")), "query": request.GET.urlencode(),
        "open": batch.status == PayoutBatch.Status.UNDER_REVIEW,
    })


@login_required
def payout_export(request, batch_id: int):
    batch = access_payout_batch(request.user, batch_id)
    _form, lines = _batch_lines(request, batch)
    headers = [_("Credit code"), _("Enterprise"), _("Town"), _("Project"), _("Amount (yuan)"), _("Decision"),
               _("Reason"), _("Facts used")]
    rows = ([line.enterprise.credit_code, line.enterprise.name, str(line.enterprise.town), getattr(line.project, "name", ""),
             Decimal(line.amount_fen) / 100, line.get_status_display(), line.reason,
             json.dumps(line.facts, ensure_ascii=False, sort_keys=True)] for line in lines.iterator(chunk_size=2000))
    return xlsx_response(_("payouts-%(code)s") % {"code": batch.version.policy.code}, headers, rows)


@login_required
@require_POST
def payout_approve(request, batch_id: int):
    """Approve every pending line, close the list and tell the enterprises; a second approval is refused."""
    batch = access_payout_batch(request.user, batch_id)
    try:
        actions.do_approve_payout_batch(batch, acting_user=request.user)
    except actions.PayoutRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The payout list was approved; the enterprises have been told."))
    return redirect("policies-payout-batch", batch_id=batch.pk)


@login_required
@require_POST
def payout_decide(request, batch_id: int, line_id: int):
    batch = access_payout_batch(request.user, batch_id)
    line = get_object_or_404(batch.lines, pk=line_id)
    form = PayoutDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
    else:
        try:
            actions.do_decide_payout_line(line, acting_user=request.user, reason=form.cleaned_data["reason"],
                                          approve=form.cleaned_data["decision"] == "approve")
        except actions.PayoutRefused as refusal:
            messages.error(request, str(refusal))
    back = request.POST.get("next", "")
    return redirect(f"{reverse('policies-payout-batch', args=[batch.pk])}?{back}" if back else
                    reverse("policies-payout-batch", args=[batch.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def facts_import(request):
    """Policy administrators upload a facts file; every bad row is reported with its column and reason."""
    if not can_edit_policies(request.user):
        raise Http404("No such page.")
    form = FactsUploadForm(request.POST or None, request.FILES or None)
    report, error = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"facts{Path(upload.name).suffix.lower()}"
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                report = actions.do_import_facts(path, acting_user=request.user, mode=form.cleaned_data["mode"],
                                                 year=form.cleaned_data["year"])
            except FactsImportError as refusal:
                error = str(refusal)
    return render(request, "policies/facts_import.html", {"form": form, "report": report, "error": error})
