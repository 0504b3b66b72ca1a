"""Enterprise registry pages: list, page, export and Excel import."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import access as account_access
from core.excel import XLSX, xlsx_response
from core.pagination import CappedPaginator

from . import actions, exports, importing
from .access import access_enterprise, visible_enterprises
from .forms import EnterpriseFilterForm, ImportForm
from .models import ImportJob

PAGE_SIZE = 20


def _require_staff(user) -> None:
    if not account_access.is_government_staff(user):
        raise Http404("No such page.")


def _filtered(request):
    form = EnterpriseFilterForm(request.GET or None)
    qs = visible_enterprises(request.user)
    return form, (form.apply(qs) if request.GET else qs)


@login_required
def enterprise_list(request):
    _require_staff(request.user)
    form, qs = _filtered(request)
    qs = qs.select_related("town", "industry_group").order_by("name", "id")
    # A text search may match tens of thousands of rows: count only the first 1,000.
    paginator = CappedPaginator(qs, PAGE_SIZE) if request.GET.get("q", "").strip() else Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "enterprises/list.html", {"form": form, "page": page})


@login_required
def enterprise_export(request):
    _require_staff(request.user)
    _form, qs = _filtered(request)
    total = qs.count()
    if total > settings.QIFU_EXPORT_MAX_ROWS:
        messages.error(request, _("%(count)d enterprises match; narrow the filter to at most %(limit)d to export.")
                       % {"count": total, "limit": settings.QIFU_EXPORT_MAX_ROWS})
        return redirect(f"{request.path.replace('export/', '')}?{request.GET.urlencode()}")
    headers, rows = exports.enterprise_rows(qs, show_phones=account_access.can_see_contact_phones(request.user))
    return xlsx_response(_("enterprises"), headers, rows)


@login_required
def enterprise_detail(request, enterprise_id: int):
    enterprise = access_enterprise(request.user, enterprise_id)
    context = {
        "enterprise": enterprise,
        "tags": enterprise.tags.all(),
        "contacts": enterprise.contacts.all(),
        "figures": list(enterprise.year_figures.all()),
        "projects": enterprise.projects.all(),
        "show_phones": account_access.can_see_contact_phones(request.user),
    }
    context["chart"] = exports.figures_chart(context["figures"])
    context.update(_demand_context(request.user, enterprise))
    return render(request, "enterprises/detail.html", context)


def _demand_context(user, enterprise) -> dict:
    """The enterprise's demands as far as the viewer may see them (the page gathers them)."""
    from demands.access import visible_demands

    demands = visible_demands(user).filter(enterprise=enterprise).select_related("lead_unit")
    own = account_access.scope_of(user).kind == account_access.ScopeKind.ENTERPRISE
    return {"recent_demands": demands.order_by("-received_at")[:8], "demand_count": demands.count(), "is_own": own}


@login_required
def my_enterprise(request):
    """An enterprise contact's own page (also reached from the enterprise code later)."""
    scope = account_access.scope_of(request.user)
    if scope.kind != account_access.ScopeKind.ENTERPRISE:
        raise Http404("No such page.")
    return enterprise_detail(request, scope.enterprise_id)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    if not account_access.can_import_enterprises(request.user):
        raise Http404("No such page.")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = actions.do_queue_import(
            acting_user=request.user,
            kind=form.cleaned_data["kind"],
            mode=form.cleaned_data["mode"],
            uploaded_file=form.cleaned_data["file"],
        )
        return redirect("enterprises-import-job", job_id=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "enterprises/import.html", {"form": form, "jobs": jobs})


def _own_job(request, job_id: int) -> ImportJob:
    if not account_access.can_import_enterprises(request.user):
        raise Http404("No such page.")
    try:
        return ImportJob.objects.get(pk=job_id, created_by=request.user)
    except ImportJob.DoesNotExist:
        raise Http404("No such import.") from None


@login_required
def import_job(request, job_id: int):
    job = _own_job(request, job_id)
    return render(request, "enterprises/import_job.html", {"job": job, "errors": job.errors[:200]})


@login_required
def import_job_status(request, job_id: int):
    job = _own_job(request, job_id)
    return JsonResponse(
        {"status": job.status, "status_label": job.get_status_display(), "progress": job.progress,
         "finished": job.finished, "total_rows": job.total_rows, "error_count": job.error_count}
    )


@login_required
def import_job_report(request, job_id: int):
    job = _own_job(request, job_id)
    return xlsx_response(_("import-errors"), [_("Row"), _("Column"), _("Problem")], job.errors)


@login_required
def import_template(request, kind: str):
    if kind not in importing.COLUMNS or not account_access.can_import_enterprises(request.user):
        raise Http404("No such template.")
    response = HttpResponse(importing.template_workbook(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="qifu-{kind}-template.xlsx"'
    return response


