"""Delivering the outbox: due rows, retries with exponential backoff, a log of every try."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import DeliveryAttempt, Notification
from .senders import SENDERS, DeliveryError

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … doubling, at most 6 hours."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


@task()
def deliver_due_notifications(limit: int = 200) -> int:
    """Deliver up to ``limit`` due notifications; returns how many were tried.

    Each row is claimed under a row lock (skip_locked on PostgreSQL) so several
    workers never send the same message twice.
    """
    tried = 0
    for _ in range(limit):
        if not _deliver_one():
            break
        tried += 1
    return tried


def _deliver_one() -> bool:
    with transaction.atomic():
        qs = Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now())
        notification = qs.select_for_update(skip_locked=True).order_by("next_attempt_at", "id").first()
        if notification is None:
            return False
        notification.attempts += 1
        try:
            detail = SENDERS[notification.channel](notification)
        except (DeliveryError, NotImplementedError) as error:
            _failed(notification, str(error))
        except Exception as error:  # a sender bug must not block the queue: log it as a failed try
            logger.exception("sender for notification %s crashed", notification.pk)
            _failed(notification, f"{type(error).__name__}: {error}")
        else:
            notification.status, notification.sent_at, notification.last_error = (
                Notification.Status.SENT, timezone.now(), "")
            DeliveryAttempt.objects.create(notification=notification, succeeded=True, detail=detail[:1000])
        notification.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
    return True


def _failed(notification: Notification, error: str) -> None:
    DeliveryAttempt.objects.create(notification=notification, succeeded=False, detail=error[:1000])
    notification.last_error = error[:1000]
    if notification.attempts >= settings.QIFU_NOTIFICATION_MAX_ATTEMPTS:
        notification.status = Notification.Status.FAILED
        logger.error("notification %s failed for good: %s", notification.pk, error)
    else:
        notification.next_attempt_at = timezone.now() + backoff(notification.attempts)
