"""Briefing pages: the archive, an issue (web, Word, PDF), the records behind a figure,
"generate now" with its progress, and the leader dashboard."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from demands.forms import parse_period

from . import access, actions, dashboard, records
from .forms import ArchiveFilterForm, DashboardForm, GenerateForm
from .models import IssueStatus, RecordSet

PAGE_SIZE = 20
RECORDS_PAGE_SIZE = 50
DASHBOARD_REFRESH_SECONDS = 300


@login_required
def archive(request):
    """Past issues, newest period first, by kind and year (seed 004: 48 weekly and 12 monthly a year)."""
    access.require_reader(request.user)
    form = ArchiveFilterForm(request.GET or None)
    issues = access.visible_issues(request.user).select_related("requested_by")
    if form.is_valid():
        if form.cleaned_data["kind"]:
            issues = issues.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["year"]:
            issues = issues.filter(year=form.cleaned_data["year"])
    page = Paginator(issues.defer("sections"), PAGE_SIZE).get_page(request.GET.get("page"))
    can_generate = access.can_generate_briefings(request.user)
    return render(request, "briefings/archive.html", {
        "form": form, "page": page, "can_generate": can_generate,
        "generate_form": GenerateForm(initial={"day": timezone.localdate()}) if can_generate else None,
    })


@login_required
@require_POST
def generate(request):
    """Generate now: queue the issue of the chosen period and show its page while the worker works."""
    if not access.can_generate_briefings(request.user):
        raise Http404("No such page.")
    form = GenerateForm(request.POST)
    if not form.is_valid():
        for error in form.flat_errors():
            messages.error(request, error)
        return redirect("briefings-archive")
    issue = actions.do_request_issue(form.period(), acting_user=request.user)
    return redirect("briefings-issue", issue.pk)


@login_required
def issue_page(request, issue_id: int):
    issue = access.access_issue(request.user, issue_id)
    return render(request, "briefings/issue.html", {
        "issue": issue, "sections": issue.sections, "can_generate": access.can_generate_briefings(request.user),
        "pending": issue.status in (IssueStatus.QUEUED, IssueStatus.GENERATING), "charts": _charts(issue),
        "generate_form": GenerateForm(initial={"kind": issue.kind, "day": issue.period_start}),
    })


def _charts(issue) -> list[dict]:
    """The issue's charts for ECharts, their labels in the reader's language."""
    return [{"id": f"chart-{section['key']}-{chart['key']}", "type": chart["type"], "title": _(chart["title"]),
             "categories": chart["categories"],
             "series": [{"name": _(s["name"]), "data": s["data"]} for s in chart["series"]]}
            for section in issue.sections for chart in section["charts"]]


@login_required
def issue_status(request, issue_id: int):
    """The issue's status for the page that waits for it (polled every few seconds)."""
    issue = access.access_issue(request.user, issue_id)
    return JsonResponse({"status": issue.status, "label": issue.get_status_display(), "error": issue.error,
                         "generated_at": issue.generated_at.isoformat() if issue.generated_at else None})


def _download(issue, field, extension: str, content_type: str):
    if not issue.is_ready or not field:
        raise Http404("No such file.")
    name = f"{issue.get_kind_display()}-{issue.number}.{extension}"
    return FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type=content_type)


@login_required
def issue_word(request, issue_id: int):
    issue = access.access_issue(request.user, issue_id)
    return _download(issue, issue.word_file, "docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@login_required
def issue_pdf(request, issue_id: int):
    issue = access.access_issue(request.user, issue_id)
    return _download(issue, issue.pdf_file, "pdf", "application/pdf")


@login_required
def record_list(request, issue_id: int, key: str):
    """Exactly the records a figure of the issue counted (ids frozen with the issue), in the reader's scope."""
    issue = access.access_issue(request.user, issue_id)
    record_set = RecordSet.objects.filter(issue=issue, key=key).first()
    if record_set is None:
        raise Http404("No such figure.")
    page = Paginator(record_set.ids, RECORDS_PAGE_SIZE).get_page(request.GET.get("page"))
    kind = records.KINDS[record_set.model]
    rows = kind.rows(request.user, list(page.object_list))
    return render(request, "briefings/records.html", {
        "issue": issue, "record_set": record_set, "page": page, "rows": rows, "kind": kind,
        "hidden": sum(1 for r in rows if r is None),
    })


@login_required
def dashboard_page(request):
    """领导驾驶舱: the same figures live; ``?screen=1`` is the full-screen dark layout."""
    access.require_reader(request.user)
    form = DashboardForm(request.GET or None)
    chosen = form.chosen()
    start, end = parse_period(chosen["period"])
    live = dashboard.live_figures(request.user, start, end, chosen["town"], chosen["unit"], timezone.localdate())
    query = {"period": chosen["period"], "queue": "all"}
    if chosen["town"]:
        query["town"] = chosen["town"].code
    if chosen["unit"]:
        query["unit"] = chosen["unit"].code
    screen = request.GET.get("screen") == "1"
    live["charts"]["list_url"] = reverse("demands-list")
    live["charts"]["labels"] = {"new": _("New demands"), "closed": _("Demands closed"), "total": _("Demands"),
                                "completion_rate": _("Completion rate"), "on_time_rate": _("On-time rate"),
                                "satisfaction_rate": _("Satisfaction rate")}
    return render(request, "briefings/dashboard_screen.html" if screen else "briefings/dashboard.html", {
        "form": form, "chosen": chosen, "live": live, "charts": live["charts"], "screen": screen,
        "query": urlencode(query), "refresh_seconds": DASHBOARD_REFRESH_SECONDS,
        "screen_query": urlencode({**{k: v for k, v in request.GET.items() if k != "screen"}, "screen": "1"}),
        "latest": access.visible_issues(request.user).filter(status=IssueStatus.READY).defer("sections")[:4],
    })
