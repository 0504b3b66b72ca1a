"""Demand pages: the staff workbench and demand page, intake, the enterprise's phone pages,
the monthly lists and the figures dashboard.

Every list starts from ``visible_demands(user)`` and every page from ``access_demand``;
every change goes through one action in demands/actions.py.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import ScopeKind, can_see_contact_phones, is_government_staff, scope_of
from accounts.models import Role
from core.excel import xlsx_response
from core.pagination import DeferredJoinPaginator
from enterprises.access import visible_enterprises
from enterprises.models import Contact
from enterprises.search import search_enterprises

from . import actions, cube, exports, figures
from . import forms as demand_forms
from .access import access_demand, can_record_demands, figures_scope, scope_branches, sides_of, visible_demands
from .attachments import ALLOWED, INLINE_TYPES
from .models import Attachment, Demand, Satisfaction, Status, SupervisionOrder
from .workflow import OPEN, EditConflict, TransitionNotAllowed, action_label, allowed_actions

PAGE_SIZE = 20
# The "all" tab counts at most this many demands (then says "more than"): years of closed
# demands need not be counted on every page; the figures dashboard counts them by period.
ALL_COUNT_CAP = 10_000
SEARCH_COUNT_CAP = 1000  # the same for a text search
LIST_RELATED = ("enterprise", "town", "lead_unit", "category", "channel")


# --- Who may do what (candidates for demands/access.py) ------------------------------------


def _is_enterprise(user) -> bool:
    return scope_of(user).kind == ScopeKind.ENTERPRISE


def _require_staff(user) -> None:
    if not is_government_staff(user):
        raise Http404("No such page.")


def _require_enterprise(user) -> None:
    if not _is_enterprise(user):
        raise Http404("No such page.")


# --- Staff workbench --------------------------------------------------------------------------


def _queues_for(user) -> list[str]:
    """Handling units see the handling queues; windows and supervisors see every step."""
    names = list(figures.QUEUE_LABELS)
    if scope_of(user).kind == ScopeKind.DEPARTMENT:
        names = [n for n in names if n not in figures.WINDOW_ONLY_QUEUES]
    return names


def _workbench(request):
    """(filter form, queue name, queue names, counts per queue, demands of the queue, its parts).

    The parts are the queue split by ``access.scope_branches`` (None without a scope limit):
    counted and paged one by one, each through its own index.
    """
    form = demand_forms.DemandFilterForm(request.GET or None)
    scoped = visible_demands(request.user)
    filtered = form.apply(scoped) if request.GET else scoped
    today = timezone.localdate()
    horizon = figures.due_horizon(today)
    conditions = figures.queue_conditions(today, horizon)
    names = _queues_for(request.user)
    asked = request.GET.get("queue")
    queue = asked if asked in names else ("all" if form.is_bound and form.has_changed() else names[0])
    branches = scope_branches(request.user)
    unscoped = form.apply(Demand.objects.all()) if request.GET else Demand.objects.all()
    parts = None if branches is None else [unscoped.filter(branch) for branch in branches]
    counts = _summed_counts(parts or [filtered], conditions, names, _count_cap(request))
    due_first = queue in ("due_soon", "overdue", "in_progress")
    ordering = ("answer_due_on", "id") if due_first else ("-received_at", "-id")
    qs = filtered.filter(conditions[queue]).order_by(*ordering)
    if parts is not None:
        parts = [part.filter(conditions[queue]).order_by(*ordering) for part in parts]
    return form, queue, names, counts, figures.with_due_state(qs, today, horizon), parts


def _summed_counts(parts, conditions, names, cap) -> dict[str, int]:
    counts = dict.fromkeys(names, 0)
    for part in parts:
        for name, count in figures.queue_counts(part, conditions, names, cap=cap).items():
            counts[name] += count
    return counts


def _count_cap(request) -> int:
    return SEARCH_COUNT_CAP if request.GET.get("q", "").strip() else ALL_COUNT_CAP


@login_required
def demand_list(request):
    _require_staff(request.user)
    form, queue, names, counts, qs, parts = _workbench(request)
    paginator = DeferredJoinPaginator(qs.select_related(*LIST_RELATED), PAGE_SIZE, parts=parts)
    paginator.count = counts[queue]  # the tab's count is the list's count: no second COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    bulk = queue == "to_route" and request.user.has_role(Role.Code.WINDOW_STAFF)
    cap = _count_cap(request)
    tabs = [{"name": n, "label": figures.QUEUE_LABELS[n], "count": counts[n], "capped": counts[n] > cap}
            for n in names]
    context = {
        "capped": queue == "all" and counts["all"] > cap,
        "cap": cap,
        "form": form,
        "page": page,
        "queue": queue,
        "tabs": tabs,
        "can_record": can_record_demands(request.user),
        "bulk_form": demand_forms.BulkRouteForm() if bulk else None,
    }
    return render(request, "demands/list.html", context)


@login_required
def demand_export(request):
    _require_staff(request.user)
    _form, _queue, _names, _counts, qs, _parts = _workbench(request)
    total = qs.count()
    if total > settings.QIFU_EXPORT_MAX_ROWS:
        messages.error(
            request,
            _("%(count)d demands match; narrow the filter to at most %(limit)d to export.")
            % {"count": total, "limit": settings.QIFU_EXPORT_MAX_ROWS},
        )
        return redirect(f"{reverse('demands-list')}?{request.GET.urlencode()}")
    headers, rows = exports.demand_rows(qs)
    return xlsx_response(_("demands"), headers, rows)


@login_required
@require_POST
def demand_bulk_route(request):
    """Route several accepted demands to one unit; each demand succeeds or fails on its own."""
    _require_staff(request.user)
    form = demand_forms.BulkRouteForm(request.POST)
    if not form.is_valid():
        for error in form.flat_errors():
            messages.error(request, error)
        return redirect(f"{reverse('demands-list')}?queue=to_route")
    routed, unit = [], form.cleaned_data["lead_unit"]
    for demand_id, version in form.cleaned_data["selected"]:
        try:
            demand = access_demand(request.user, demand_id)
            routed.append(actions.do_route(demand, acting_user=request.user, version=version, lead_unit=unit).number)
        except Http404:
            messages.error(request, _("Demand #%(id)d is not in your area.") % {"id": demand_id})
        except (EditConflict, TransitionNotAllowed, ValidationError) as error:
            messages.error(request, _("%(number)s: %(error)s") % {"number": demand.number, "error": _text(error)})
    if routed:
        messages.success(
            request, _("Routed to %(unit)s: %(numbers)s.") % {"unit": unit.name, "numbers": ", ".join(routed)}
        )
    return redirect(f"{reverse('demands-list')}?queue=to_route")


def _text(error: Exception) -> str:
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)


# --- Intake -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def demand_new(request):
    """接件 by staff: hotline, front desk, WeChat group, visit."""
    if not can_record_demands(request.user):
        raise Http404("No such page.")
    form = demand_forms.StaffIntakeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            demand = form.save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Demand %(number)s recorded.") % {"number": demand.number})
            return redirect("demands-detail", demand_id=demand.pk)
    return render(request, "demands/new.html", {"form": form})


@login_required
def enterprise_search(request):
    """Enterprises of the user's scope for the intake autocomplete (JSON, ten at most)."""
    if not can_record_demands(request.user):
        raise Http404("No such page.")
    text = request.GET.get("q", "").strip()[:100]
    found = (
        list(search_enterprises(visible_enterprises(request.user), text).select_related("town")[:10]) if text else []
    )
    contacts: dict[int, Contact] = {}
    for contact in Contact.objects.filter(enterprise__in=found).order_by("-is_primary", "id"):
        contacts.setdefault(contact.enterprise_id, contact)  # the primary contact, else the first one
    show_phone = can_see_contact_phones(request.user)
    results = [
        {
            "id": e.pk,
            "name": e.name,
            "credit_code": e.credit_code,
            "town": e.town.name,
            "contact_name": getattr(contacts.get(e.pk), "name", ""),
            "contact_phone": getattr(contacts.get(e.pk), "phone", "") if show_phone else "",
        }
        for e in found
    ]
    return JsonResponse({"results": results})


@login_required
@require_http_methods(["GET", "POST"])
def demand_submit(request):
    """An enterprise contact submits a demand (from the portal, or the enterprise code with ?via=code)."""
    _require_enterprise(request.user)
    form = demand_forms.EnterpriseSubmitForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            demand = form.save(via_code=request.GET.get("via") == "code")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you. Your demand %(number)s has been received.") % {"number": demand.number}
            )
            return redirect("demands-detail", demand_id=demand.pk)
    return render(request, "demands/submit.html", {"form": form})


# --- The enterprise's own list ------------------------------------------------------------

MINE_TABS = {
    "all": (gettext_lazy("All"), Q()),
    "action": (gettext_lazy("Needs your reply"), Q(status__in=(Status.WAITING_INFO, Status.FEEDBACK_GIVEN))),
    "open": (gettext_lazy("Being handled"), Q(status__in=OPEN | {Status.ANSWERED}) & ~Q(status=Status.WAITING_INFO)),
    "done": (gettext_lazy("Finished"), Q(status__in=(Status.RATED, Status.CLOSED, Status.MERGED, Status.WITHDRAWN))),
}


@login_required
def my_demands(request):
    _require_enterprise(request.user)
    tab = request.GET.get("show") if request.GET.get("show") in MINE_TABS else "all"
    mine = visible_demands(request.user)
    counts = mine.aggregate(
        **{name: Count("pk", filter=condition) for name, (_l, condition) in MINE_TABS.items() if name != "all"},
        all=Count("pk"),
    )
    page = Paginator(mine.filter(MINE_TABS[tab][1]), PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [{"name": n, "label": label, "count": counts[n]} for n, (label, _c) in MINE_TABS.items()]
    return render(request, "demands/mine.html", {"page": page, "tab": tab, "tabs": tabs})


# --- The demand page ------------------------------------------------------------------------

EVENT_LABELS = {
    "demand_received": gettext_lazy("Received"),
    "demand_accepted": gettext_lazy("Accepted"),
    "demand_routed": gettext_lazy("Routed"),
    "demand_transferred": gettext_lazy("Transferred"),
    "demand_sent_back": gettext_lazy("Sent back to the window"),
    "demand_started": gettext_lazy("Handling started"),
    "demand_info_requested": gettext_lazy("Information asked from the enterprise"),
    "demand_info_supplied": gettext_lazy("Information supplied"),
    "demand_extension_requested": gettext_lazy("Extension requested"),
    "demand_extension_decided": gettext_lazy("Extension decided"),
    "demand_answered": gettext_lazy("Answered by the unit"),
    "demand_feedback_given": gettext_lazy("Answer given to the enterprise"),
    "demand_rated": gettext_lazy("Rated"),
    "demand_reopened": gettext_lazy("Reopened"),
    "demand_closed": gettext_lazy("Closed out"),
    "demand_closed_unrated": gettext_lazy("Closed without a rating"),
    "demand_merged": gettext_lazy("Merged into another demand"),
    "demand_duplicate_merged": gettext_lazy("A duplicate was merged into this demand"),
    "demand_withdrawn": gettext_lazy("Withdrawn"),
    "demand_supervised": gettext_lazy("Supervision order issued"),
    "demand_noted": gettext_lazy("Note"),
    "demand_attachment_added": gettext_lazy("File added"),
    "demand_due_reminder": gettext_lazy("Due-date reminder sent"),
}


def _event_detail(event) -> str:
    """One line of what the event's data says, in words."""
    data = event.data or {}
    if "satisfaction" in data:
        solved = _("solved") if data.get("solved") else _("not solved")
        return f"{Satisfaction(data['satisfaction']).label} · {solved}"
    if event.kind in ("demand_routed", "demand_transferred") and event.unit:
        return _("To %(unit)s") % {"unit": event.unit.name}
    if "approved" in data:
        return (
            _("Approved: %(days)d more working days") % {"days": data["working_days"]}
            if data["approved"]
            else _("Refused")
        )
    if "working_days" in data:
        return _("%(days)d more working days") % {"days": data["working_days"]}
    for key in ("merged_into", "duplicate", "name"):
        if key in data:
            return str(data[key])
    return ""


def _who(event, viewer, enterprise_view: bool) -> str:
    """The enterprise sees units, not the names of individual civil servants."""
    actor = event.actor
    if actor is None:
        return _("System")
    if actor.pk == viewer.pk:
        return _("You")
    organisation = actor.organisation.name if actor.organisation_id else ""
    if enterprise_view:
        return organisation or str(actor)
    return f"{actor} · {organisation}" if organisation else str(actor)


def _timeline(events, viewer, enterprise_view: bool) -> list:
    timeline = list(events)
    for event in timeline:
        event.label = EVENT_LABELS.get(event.kind, event.kind)
        event.detail, event.who = _event_detail(event), _who(event, viewer, enterprise_view)
    return timeline


def _due_state(due, running: bool, today, horizon) -> str:
    if not running or due is None:
        return ""
    return "overdue" if due < today else "due_soon" if due <= horizon else ""


def _action_forms(demand, user, sides, bound=None) -> list:
    """One form per action this person may take now (workflow.allowed_actions), in table order."""
    result = []
    for name in allowed_actions(demand.status, sides):
        form_class = demand_forms.ACTION_FORMS.get(name)
        if form_class is None:
            continue
        form = (
            bound if bound is not None and bound.action == name else form_class(demand=demand, user=user, sides=sides)
        )
        if name == "decide_extension" and not form.pending().exists():
            continue
        result.append(form)
    return result


def _open_action(action_forms, bound) -> str:
    """The form shown unfolded: the one with errors, else the first next step (a primary button)."""
    if bound is not None:
        return bound.action
    return next((f.action for f in action_forms if f.button == "primary"), "")


def _page_context(user, demand, *, bound=None, attach_form=None) -> dict:
    enterprise_view = _is_enterprise(user)
    sides = sides_of(user, demand)
    events = demand.events.select_related("actor__organisation", "unit")
    files = demand.attachments.all()
    if enterprise_view:
        events, files = events.filter(is_internal=False), files.filter(is_internal=False)
    today = timezone.localdate()
    horizon = figures.due_horizon(today)
    timeline = _timeline(events, user, enterprise_view)
    forms_ = _action_forms(demand, user, sides, bound)
    asked = [e.note for e in timeline if e.kind == "demand_info_requested"]
    return {
        "demand": demand,
        "sides": {s.value for s in sides},
        "attachments": files,
        "events": timeline,
        "info_question": asked[-1] if asked else "",
        "action_forms": forms_,
        "open_action": _open_action(forms_, bound),
        "accept_due": _due_state(demand.accept_due_on, demand.status == Status.RECEIVED, today, horizon),
        "answer_due": _due_state(demand.answer_due_on, demand.status in figures.ANSWERING, today, horizon),
        "attach_form": attach_form or (demand_forms.AttachForm() if sides and not enterprise_view else None),
        "show_phones": can_see_contact_phones(user),
        "enterprise_view": enterprise_view,
        "answer_visible": demand.status in (Status.FEEDBACK_GIVEN, Status.RATED, Status.CLOSED),
        "template": "demands/detail_enterprise.html" if enterprise_view else "demands/detail.html",
    }


def _source_of(demand) -> dict | None:
    """Where the demand came from (来源): a visit or a proposal, as a label and a link."""
    from liaisons.models import visit_of  # liaisons builds on demands, so looked up when asked
    from proposals.models import Proposal

    visit = visit_of(demand)
    if visit is not None:
        return {"label": _("Found on the visit of %(day)s") % {"day": visit.visited_on.isoformat()},
                "url": reverse("liaisons-visit-detail", args=[visit.pk]), "id": "source-visit"}
    proposal = Proposal.objects.filter(demand=demand).first()
    if proposal is not None:
        return {"label": _("Proposal %(title)s") % {"title": proposal.title},
                "url": reverse("proposals-detail", args=[proposal.pk]), "id": "source-proposal"}
    return None


def _staff_extras(demand) -> dict:
    return {
        "source": _source_of(demand),
        "co_handlers": demand.co_handlers.all(),
        "tags": demand.condition_tags.all(),
        "extensions": demand.extension_requests.select_related("requested_by", "decided_by"),
        "supervision_orders": SupervisionOrder.objects.filter(demand=demand).select_related("unit", "issued_by"),
        "merged_demands": demand.merged_demands.all(),
    }


def _render_demand(request, demand, *, status=200, **overrides):
    context = _page_context(request.user, demand, **overrides)
    if not context["enterprise_view"]:
        context.update(_staff_extras(demand))
    return render(request, context.pop("template"), context, status=status)


@login_required
def demand_detail(request, demand_id: int):
    demand = access_demand(request.user, demand_id)
    return _render_demand(request, demand)


@login_required
@require_POST
def demand_act(request, demand_id: int, action: str):
    """Take one workflow action; conflicts and refusals are explained, typed text is kept."""
    demand = access_demand(request.user, demand_id)
    form_class = demand_forms.ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404("No such action.")
    sides = sides_of(request.user, demand)
    form = form_class(request.POST, request.FILES, demand=demand, user=request.user, sides=sides)
    if action not in allowed_actions(demand.status, sides):
        return _not_possible_now(request, demand, form)
    if form.is_valid():
        try:
            form.save()
        except EditConflict as error:
            return _conflict(request, demand, form, str(error))
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
            return redirect("demands-detail", demand_id=demand.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": capfirst(action_label(action))})
            return redirect("demands-detail", demand_id=demand.pk)
    return _render_demand(request, demand, bound=form)


def _not_possible_now(request, demand, form):
    """The page was stale (someone moved the demand on) or the action is not this person's."""
    if form.data.get(form.add_prefix("version")) != str(demand.version):
        return _conflict(
            request,
            demand,
            form,
            _(
                "Someone else changed demand %(number)s while you were looking at it. "
                "Reload the page to see the change; nothing of yours was saved."
            )
            % {"number": demand.number},
        )
    messages.error(request, _("“%(action)s” is not possible on this demand now.") % {"action": form.label})
    return redirect("demands-detail", demand_id=demand.pk)


def _conflict(request, demand, form, error: str):
    """HTTP 409 with the message, the current demand and what the person typed (to copy it)."""
    typed = [
        (field.label, form.data.get(field.html_name))
        for field in form
        if not field.is_hidden
        and isinstance(form.data.get(field.html_name), str)
        and form.data.get(field.html_name).strip()
        and field.widget_type in ("textarea", "text")
    ]
    demand.refresh_from_db(fields=["status", "version"])
    context = {"demand": demand, "error": error, "typed": typed, "action": form.label}
    return render(request, "demands/conflict.html", context, status=409)


@login_required
@require_POST
def demand_attach(request, demand_id: int):
    """Staff add files to a demand; internal files stay hidden from the enterprise."""
    demand = access_demand(request.user, demand_id)
    if _is_enterprise(request.user) or not sides_of(request.user, demand):
        raise PermissionDenied
    form = demand_forms.AttachForm(request.POST, request.FILES)
    if form.is_valid():
        demand_forms.attach_all(
            demand, form.cleaned_data["files"], user=request.user, internal=form.cleaned_data["internal"]
        )
        messages.success(request, _("%(count)d file(s) added.") % {"count": len(form.cleaned_data["files"])})
        return redirect("demands-detail", demand_id=demand.pk)
    return _render_demand(request, demand, attach_form=form)


@login_required
def attachment_download(request, attachment_id: int):
    """A file of a visible demand; internal files are not the enterprise's to see."""
    attachment = get_object_or_404(
        Attachment.objects.filter(demand__in=visible_demands(request.user)), pk=attachment_id
    )
    if attachment.is_internal and _is_enterprise(request.user):
        raise Http404("No such file.")
    # Only the checked types are served as themselves; anything else (never HTML or SVG) is bytes.
    content_type = (
        attachment.content_type if attachment.content_type in ALLOWED.values() else "application/octet-stream"
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(
        handle,
        as_attachment=content_type not in INLINE_TYPES,
        filename=attachment.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response


# --- Monthly lists -------------------------------------------------------------------------


def _month_form(request):
    this_month = timezone.localdate().strftime("%Y-%m")
    return demand_forms.MonthForm(request.GET if request.GET.get("month") else {"month": this_month})


def _month_of(form) -> str:
    return form.range()[0].strftime("%Y-%m")


def _tracking(request):
    """跟踪服务问题清单: demands open at any time during the month."""
    form = _month_form(request)
    start, end = form.range()
    qs = (
        visible_demands(request.user)
        .filter(received_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    )
    return form, qs


def _closeout(request):
    """销号清单: demands closed out during the month."""
    form = _month_form(request)
    start, end = form.range()
    return form, visible_demands(request.user).filter(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end)


@login_required
def tracking_list(request):
    _require_staff(request.user)
    form, qs = _tracking(request)
    qs = exports.with_progress_note(qs.select_related(*LIST_RELATED)).order_by("received_at", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "demands/tracking.html", {"form": form, "page": page})


@login_required
def tracking_export(request):
    _require_staff(request.user)
    form, qs = _tracking(request)
    headers, rows = exports.tracking_rows(qs)
    return xlsx_response(_("tracking-list-%(month)s") % {"month": _month_of(form)}, headers, rows)


@login_required
def closeout_list(request):
    _require_staff(request.user)
    form, qs = _closeout(request)
    page = Paginator(qs.select_related(*LIST_RELATED).order_by("closed_at", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "demands/closeout.html", {"form": form, "page": page})


@login_required
def closeout_export(request):
    _require_staff(request.user)
    form, qs = _closeout(request)
    headers, rows = exports.closeout_rows(qs)
    return xlsx_response(_("close-out-list-%(month)s") % {"month": _month_of(form)}, headers, rows)


# --- Figures -------------------------------------------------------------------------------


def _linked(rows, param: str, base: dict) -> list[dict]:
    """Give each row the workbench query string of the demands behind it."""
    for row in rows:
        row["query"] = urlencode({**base, param: row["code"] or "none"})
    return rows


def _chart(rows, limit: int = 15) -> dict:
    rows = rows[:limit]
    return {
        "names": [r["name"] or _("(not set)") for r in rows],
        "queries": [r["query"] for r in rows],
        **{
            key: [r[key] for r in rows]
            for key in ("total", "answered", "completion_rate", "on_time_rate", "satisfaction_rate")
        },
    }


def _period_presets() -> list[str]:
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    return [
        str(today.year),
        f"{today.year}-Q{(today.month - 1) // 3 + 1}",
        today.strftime("%Y-%m"),
        last_month.strftime("%Y-%m"),
        str(today.year - 1),
    ]


@login_required
def figures_dashboard(request):
    """办结率, 按时办结率, 满意率, handling days and reopen rate, each linked to its demands."""
    _require_staff(request.user)
    form = demand_forms.FiguresForm(request.GET or None)
    period = form.chosen()
    start, end = demand_forms.parse_period(period)
    base = {"period": period, "queue": "all"}
    rows = cube.rows_by_dimension(figures_scope(request.user), start, end)
    tables = [
        {"key": key, "label": label, "param": param, "rows": _linked(figures.breakdown(rows[key], key), param, base)}
        for key, (label, _fk, param) in figures.DIMENSIONS.items()
    ]
    charts = {t["key"]: _chart(t["rows"]) for t in tables}
    charts["list_url"] = reverse("demands-list")
    charts["labels"] = {key: str(label) for key, (label, _n, _d) in figures.RATES.items()} | {
        "total": _("Demands"),
        "answered": _("Answered"),
    }
    context = {
        "form": form,
        "period": period,
        "overall": figures.overall(rows["category"]),
        "tables": tables,
        "charts": charts,
        "base_query": urlencode(base),
        "presets": _period_presets(),
    }
    return render(request, "demands/figures.html", context)
