"""The notification outbox (消息发件箱).

A notification row is written in the same transaction as the change it reports,
so it exists if and only if the change was committed.  The worker delivers it;
a failed delivery is retried with backoff and every attempt is logged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app message")
    EMAIL = "email", _("Email")
    DINGTALK = "dingtalk", _("DingTalk group robot")
    WECOM = "wecom", _("WeCom group robot")
    SMS = "sms", _("SMS")


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed after all retries")

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"),
    )
    address = models.CharField(
        _("address"), max_length=500, blank=True, help_text=_("Email, phone number or robot webhook name.")
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"


class DeliveryAttempt(models.Model):
    """One try to deliver a notification, kept for the administrators."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    succeeded = models.BooleanField(_("succeeded"))
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"{self.notification_id} {'ok' if self.succeeded else 'failed'}"


class RobotWebhook(models.Model):
    """A DingTalk or WeCom group robot (a town WeChat/DingTalk group, a department group)."""

    name = models.SlugField(_("name"), max_length=60, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=[(Channel.DINGTALK, Channel.DINGTALK.label),
                                                                    (Channel.WECOM, Channel.WECOM.label)])
    url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True, help_text=_("DingTalk 加签 secret."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")

    def __str__(self) -> str:
        return self.name
