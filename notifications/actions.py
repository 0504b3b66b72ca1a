"""Writing notifications into the outbox.  Call inside the transaction of the change."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Channel, Notification


def notify(*, channel: str, subject: str, body: str, recipient=None, address: str = "", link: str = "") -> Notification:
    """Queue one notification; the worker is woken after commit.

    The row itself is written in the caller's transaction (outbox pattern): if the
    change rolls back, so does the notification, and if it commits, the row will be
    delivered even if the wake-up is lost (the scheduled sweep finds it).
    """
    notification = Notification.objects.create(
        channel=channel, recipient=recipient, address=address, subject=subject[:200], body=body, link=link,
        next_attempt_at=timezone.now(),
    )
    if channel != Channel.IN_APP:
        transaction.on_commit(_wake_worker)
    else:
        Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.SENT,
                                                               sent_at=timezone.now(), attempts=1)
    return notification


def notify_users(users, *, subject: str, body: str, link: str = "") -> None:
    """An in-app message to each user."""
    for user in users:
        notify(channel=Channel.IN_APP, recipient=user, subject=subject, body=body, link=link)


def _wake_worker() -> None:
    from .tasks import deliver_due_notifications

    deliver_due_notifications.enqueue()


def do_retry_now(notification: Notification) -> None:
    """An administrator asks for another try of a failed notification."""
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.PENDING, next_attempt_at=timezone.now()
    )
    transaction.on_commit(_wake_worker)


def do_mark_read(messages) -> int:
    """Mark the given in-app messages (a queryset of the reader's own inbox) read."""
    return messages.filter(read_at__isnull=True).update(read_at=timezone.now())
