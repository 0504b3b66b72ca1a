"""Searching and exporting the operation log (操作日志) and the login log (登录日志)."""

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.models import LoginLog
from core.excel import xlsx_response

from . import queries
from .access import require_log_reader

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


@login_required
def operations(request):
    require_log_reader(request.user)
    page = Paginator(queries.operation_entries(request.GET), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/operations.html", {"page": page, "actions": LogEntry.Action.choices})


@login_required
def operations_export(request):
    require_log_reader(request.user)
    entries = queries.operation_entries(request.GET)[:EXPORT_LIMIT]
    headers = [_("Time"), _("User"), _("IP address"), _("Action"), _("Type"), _("Record"), _("Changes (before → after)")]
    rows = (
        [e.timestamp, e.actor.username if e.actor else "", e.remote_addr or "", e.get_action_display(),
         e.content_type.model if e.content_type else "", e.object_repr, _changes_text(e.changes)]
        for e in entries.iterator(chunk_size=2000)
    )
    return xlsx_response(_("operation-log"), headers, rows)


def _changes_text(changes) -> str:
    if not changes:
        return ""
    return "; ".join(f"{field}: {pair[0]} → {pair[1]}" if isinstance(pair, list) and len(pair) == 2
                     else f"{field}: {pair}" for field, pair in changes.items())


@login_required
def logins(request):
    require_log_reader(request.user)
    page = Paginator(queries.login_entries(request.GET), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/logins.html", {"page": page, "events": LoginLog.Event.choices})


@login_required
def logins_export(request):
    require_log_reader(request.user)
    entries = queries.login_entries(request.GET)[:EXPORT_LIMIT]
    headers = [_("Time"), _("User name"), _("Event"), _("IP address"), _("Browser")]
    rows = ([e.created_at, e.username, e.get_event_display(), e.ip_address or "", e.user_agent]
            for e in entries.iterator(chunk_size=2000))
    return xlsx_response(_("login-log"), headers, rows)
