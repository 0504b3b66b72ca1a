"""One sender per channel.  A sender returns a detail string or raises DeliveryError."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .models import Channel, Notification, RobotWebhook


class DeliveryError(Exception):
    pass


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """DingTalk custom robot signing: HMAC-SHA256 of "timestamp\\nsecret", base64, URL-encoded."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={sign}"


def _post_json(url: str, payload: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.QIFU_WEBHOOK_TIMEOUT) as response:
            body = response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:  # URLError, HTTPError, timeouts, bad status lines
        raise DeliveryError(f"{type(error).__name__}: {error}") from None
    try:
        reply = json.loads(body or "{}")
    except ValueError:
        raise DeliveryError(f"not JSON: {body[:200]}") from None
    if not isinstance(reply, dict):
        raise DeliveryError(f"unexpected reply: {body[:200]}")
    return reply


def _robot(notification: Notification) -> RobotWebhook:
    try:
        return RobotWebhook.objects.get(name=notification.address, is_active=True)
    except RobotWebhook.DoesNotExist:
        raise DeliveryError(f"no active robot named {notification.address!r}") from None


def send_dingtalk(notification: Notification) -> str:
    robot = _robot(notification)
    url = dingtalk_signed_url(robot.url, robot.secret) if robot.secret else robot.url
    text = f"### {notification.subject}\n\n{notification.body}"
    reply = _post_json(url, {"msgtype": "markdown", "markdown": {"title": notification.subject, "text": text}})
    if reply.get("errcode", 0) != 0:
        raise DeliveryError(f"DingTalk errcode {reply.get('errcode')}: {reply.get('errmsg')}")
    return "ok"


def send_wecom(notification: Notification) -> str:
    robot = _robot(notification)
    text = f"**{notification.subject}**\n{notification.body}"
    reply = _post_json(robot.url, {"msgtype": "markdown", "markdown": {"content": text}})
    if reply.get("errcode", 0) != 0:
        raise DeliveryError(f"WeCom errcode {reply.get('errcode')}: {reply.get('errmsg')}")
    return "ok"


def send_email(notification: Notification) -> str:
    address = notification.address or (notification.recipient.email if notification.recipient else "")
    if not address:
        raise DeliveryError("no email address")
    try:
        send_mail(notification.subject, notification.body, None, [address])
    except OSError as error:
        raise DeliveryError(str(error)) from None
    return f"mailed {address}"


class SmsProvider:
    """Interface for an SMS gateway; configure QIFU_SMS_PROVIDER with a dotted path."""

    def send(self, phone: str, text: str) -> str:
        raise NotImplementedError


class LogSmsProvider(SmsProvider):
    """The default: records the message instead of sending (no gateway on the demo)."""

    def send(self, phone: str, text: str) -> str:
        return f"logged SMS to {phone}"


def send_sms(notification: Notification) -> str:
    phone = notification.address or (notification.recipient.phone if notification.recipient else "")
    if not phone:
        raise DeliveryError("no phone number")
    provider = import_string(settings.QIFU_SMS_PROVIDER)()
    return provider.send(phone, f"{notification.subject}：{notification.body}"[:300])


def send_in_app(notification: Notification) -> str:
    return "stored in the inbox"


SENDERS = {
    Channel.IN_APP: send_in_app,
    Channel.EMAIL: send_email,
    Channel.DINGTALK: send_dingtalk,
    Channel.WECOM: send_wecom,
    Channel.SMS: send_sms,
}
