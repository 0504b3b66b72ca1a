"""The in-app inbox: a person's own in-app notifications, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .actions import do_mark_read
from .models import Channel, Notification

PAGE_SIZE = 20


def inbox_of(user):
    """The in-app notifications addressed to this person (never anyone else's)."""
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP)


def unread_count(user) -> int:
    return inbox_of(user).filter(read_at__isnull=True).count()


@login_required
def inbox(request):
    messages = inbox_of(request.user)
    unread_only = request.GET.get("show") == "unread"
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "unread": unread_count(request.user)}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def notification_open(request, notification_id: int):
    """Mark one message read and go to the page it is about (only a link inside this site)."""
    notification = get_object_or_404(inbox_of(request.user), pk=notification_id)
    do_mark_read(inbox_of(request.user).filter(pk=notification.pk))
    link = notification.link
    if link and link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications-inbox")


@login_required
@require_POST
def notification_read_all(request):
    do_mark_read(inbox_of(request.user))
    return redirect("notifications-inbox")


