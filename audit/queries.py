"""Filtering the operation and login logs from query parameters."""

from __future__ import annotations

import datetime as dt
import ipaddress

from auditlog.models import LogEntry
from django.db.models import Q

from accounts.models import LoginLog


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def operation_entries(params):
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    text = params.get("q", "").strip()
    if text:
        qs = qs.filter(Q(object_repr__icontains=text) | Q(changes_text__icontains=text) | Q(object_pk=text))
    if params.get("actor"):
        qs = qs.filter(actor__username=params["actor"].strip())
    if params.get("ip"):
        qs = qs.filter(remote_addr=_ip(params["ip"]))
    if params.get("action", "").isdigit():
        qs = qs.filter(action=int(params["action"]))
    if params.get("model"):
        qs = qs.filter(content_type__model=params["model"].strip().lower())
    qs = _period(qs, "timestamp", params)
    return qs


def login_entries(params):
    qs = LoginLog.objects.select_related("user").order_by("-created_at", "-id")
    text = params.get("q", "").strip()
    if text:
        condition = Q(username__icontains=text)
        if _ip(text):
            condition |= Q(ip_address=_ip(text))
        qs = qs.filter(condition)
    if params.get("event"):
        qs = qs.filter(event=params["event"])
    return _period(qs, "created_at", params)


def _period(qs, field: str, params):
    start, end = _date(params.get("from", "")), _date(params.get("to", ""))
    if start:
        qs = qs.filter(**{f"{field}__date__gte": start})
    if end:
        qs = qs.filter(**{f"{field}__date__lte": end})
    return qs
