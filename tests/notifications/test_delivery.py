"""The notification outbox: written with the change, delivered by the worker, retried with
backoff, every attempt logged, never dropped."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications.actions import do_retry_now, notify
from notifications.models import Channel, DeliveryAttempt, Notification, RobotWebhook
from notifications.senders import dingtalk_signed_url
from notifications.tasks import backoff, deliver_due_notifications

from ..factories import make_user

pytestmark = pytest.mark.django_db

SECRET = "SEC0123456789abcdef+/="  # the characters base64 and URLs disagree about


def deliver() -> int:
    return deliver_due_notifications.call()


def make_due(notification: Notification) -> None:
    """Pretend the backoff has passed."""
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def attempts_of(notification: Notification) -> list[bool]:
    return list(DeliveryAttempt.objects.filter(notification=notification).values_list("succeeded", flat=True))


@pytest.fixture
def zhouxiang_group(robot_server) -> RobotWebhook:
    """The 周巷 window's DingTalk group robot, signing with a secret (加签)."""
    return RobotWebhook.objects.create(name="zhouxiang-window", channel=Channel.DINGTALK,
                                       url=f"{robot_server.url}/robot/send?access_token=tok123", secret=SECRET)


@pytest.fixture
def kjj_wecom_group(robot_server) -> RobotWebhook:
    return RobotWebhook.objects.create(name="kjj-wecom", channel=Channel.WECOM,
                                       url=f"{robot_server.url}/cgi-bin/webhook/send?key=k-kjj")


def test_backoff_doubles_from_thirty_seconds_up_to_six_hours():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(20) == timedelta(hours=6)


# --- DingTalk: retries, backoff, the attempt log and the signature --------------------------


def test_a_dingtalk_notice_is_retried_with_backoff_until_the_robot_takes_it(robot_server, zhouxiang_group):
    # Given the robot server answers HTTP 500 twice before it recovers
    robot_server.fail_next(2)
    notification = notify(channel=Channel.DINGTALK, address="zhouxiang-window", subject="新诉求 SQ20260000001",
                          body="宏达电器：厂区电压不稳")

    # When the worker runs, the first attempt fails
    before = timezone.now()
    assert deliver() == 1
    after = timezone.now()

    # Then the notice waits for backoff(1), with the failure logged
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.PENDING, 1)
    assert before + backoff(1) <= notification.next_attempt_at <= after + backoff(1)
    assert "500" in notification.last_error
    assert attempts_of(notification) == [False]

    # and a run before the backoff has passed does not try again
    assert deliver() == 0
    assert len(robot_server.requests) == 1

    # When the backoff has passed, the second attempt fails and waits twice as long
    make_due(notification)
    before = timezone.now()
    deliver()
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert notification.next_attempt_at >= before + backoff(2)

    # and the third attempt gets through
    make_due(notification)
    deliver()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (
        Notification.Status.SENT, 3, "")
    assert notification.sent_at is not None
    assert attempts_of(notification) == [False, False, True]
    assert len(robot_server.requests) == 3


def test_the_dingtalk_request_is_signed_with_the_robots_secret(robot_server, zhouxiang_group):
    notify(channel=Channel.DINGTALK, address="zhouxiang-window", subject="督办提醒", body="SQ20260000001 已逾期")

    sent_from = int(time.time() * 1000)
    deliver()
    sent_until = int(time.time() * 1000)

    # The robot saw its token, a millisecond timestamp and a signature we compute ourselves
    request = robot_server.requests[-1]
    assert request.path == "/robot/send"
    assert request.query["access_token"] == ["tok123"]
    timestamp = request.query["timestamp"][0]
    assert sent_from <= int(timestamp) <= sent_until
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert request.query["sign"] == [expected]
    # and a markdown message with the subject and the body
    assert request.payload == {
        "msgtype": "markdown",
        "markdown": {"title": "督办提醒", "text": "### 督办提醒\n\nSQ20260000001 已逾期"},
    }


def test_the_signed_url_matches_dingtalks_published_recipe():
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECxyz", 1700000000000)
    digest = hmac.new(b"SECxyz", b"1700000000000\nSECxyz", hashlib.sha256).digest()
    quoted = base64.b64encode(digest).decode().replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    assert url == f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign={quoted}"


def test_after_the_last_attempt_the_notice_is_failed_and_kept(robot_server, zhouxiang_group, settings, caplog):
    # Given at most three attempts, and a robot that keeps failing
    settings.QIFU_NOTIFICATION_MAX_ATTEMPTS = 3
    robot_server.fail_next(100)
    notification = notify(channel=Channel.DINGTALK, address="zhouxiang-window", subject="新诉求", body="…")

    # When the worker tries three times
    with caplog.at_level(logging.ERROR, logger="notifications.tasks"):
        for _ in range(3):
            make_due(notification)
            deliver()

    # Then the notice is marked failed, not deleted, with its three attempts for the administrators
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.FAILED, 3)
    assert attempts_of(notification) == [False, False, False]
    assert "500" in notification.last_error
    assert any("failed for good" in r.getMessage() for r in caplog.records)

    # and the worker leaves it alone from then on
    make_due(notification)
    assert deliver() == 0
    assert len(robot_server.requests) == 3
    assert Notification.objects.filter(pk=notification.pk).exists()


def test_an_administrator_can_retry_a_failed_notice(robot_server, zhouxiang_group, settings,
                                                     django_capture_on_commit_callbacks):
    settings.QIFU_NOTIFICATION_MAX_ATTEMPTS = 1
    robot_server.fail_next(1)
    notification = notify(channel=Channel.DINGTALK, address="zhouxiang-window", subject="新诉求", body="…")
    deliver()
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED

    # When the administrator presses "retry now" (the wake-up runs the worker once committed)
    with django_capture_on_commit_callbacks(execute=True):
        do_retry_now(notification)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert attempts_of(notification) == [False, True]


def test_a_robot_error_code_is_a_failed_attempt(robot_server, zhouxiang_group):
    robot_server.reply = {"errcode": 310000, "errmsg": "sign not match"}
    notification = notify(channel=Channel.DINGTALK, address="zhouxiang-window", subject="新诉求", body="…")

    deliver()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.PENDING, 1)
    assert notification.deliveries.get().detail == "DingTalk errcode 310000: sign not match"


@pytest.mark.parametrize("address", ["no-such-group", "retired-group"])
def test_a_notice_for_a_missing_or_retired_robot_fails_without_a_request(address, robot_server):
    RobotWebhook.objects.create(name="retired-group", channel=Channel.DINGTALK, url=robot_server.url,
                                is_active=False)
    notification = notify(channel=Channel.DINGTALK, address=address, subject="新诉求", body="…")

    deliver()

    assert notification.deliveries.get().detail == f"no active robot named {address!r}"
    assert robot_server.requests == []


@pytest.mark.parametrize("answer", [
    pytest.param(b"garbage\r\n\r\n", id="not-http"),
    pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]", id="json-but-not-an-object"),
])
def test_a_robot_answering_nonsense_fails_its_notice_and_not_the_worker(answer, robot_server, zhouxiang_group):
    # Given a broken robot server, and an SMS queued after the robot's notice
    robot_server.raw_reply = answer
    broken = notify(channel=Channel.DINGTALK, address="zhouxiang-window", subject="新诉求", body="…")
    sms = notify(channel=Channel.SMS, address="13812345678", subject="诉求已答复", body="…")

    # When the worker runs
    deliver()

    # Then the robot's notice has a failed attempt and waits, and the SMS went out all the same
    broken.refresh_from_db()
    assert (broken.status, attempts_of(broken)) == (Notification.Status.PENDING, [False])
    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENT


# --- WeCom, SMS, email, in-app ----------------------------------------------------------


def test_a_wecom_notice_is_a_markdown_message_to_the_groups_key(robot_server, kjj_wecom_group):
    notification = notify(channel=Channel.WECOM, address="kjj-wecom", subject="诉求已流转", body="SQ20260000001")

    deliver()

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    [request] = robot_server.requests
    assert (request.path, request.query) == ("/cgi-bin/webhook/send", {"key": ["k-kjj"]})
    assert request.payload == {"msgtype": "markdown", "markdown": {"content": "**诉求已流转**\nSQ20260000001"}}


class RecordingSms:
    """An SMS gateway that keeps what it was asked to send."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> str:
        self.sent.append((phone, text))
        return f"gateway accepted {phone}"


def test_an_sms_goes_through_the_configured_provider(settings, monkeypatch):
    monkeypatch.setattr(RecordingSms, "sent", [])
    settings.QIFU_SMS_PROVIDER = f"{__name__}.RecordingSms"
    notification = notify(channel=Channel.SMS, address="13812345678", subject="诉求已答复", body="请登录查看")

    deliver()

    assert RecordingSms.sent == [("13812345678", "诉求已答复：请登录查看")]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.deliveries.get().detail == "gateway accepted 13812345678"


def test_by_default_an_sms_is_only_logged():
    wang = make_user("hongda_wang", phone="13812345678")
    notification = notify(channel=Channel.SMS, recipient=wang, subject="诉求已答复", body="请登录查看")

    deliver()

    assert notification.deliveries.get().detail == "logged SMS to 13812345678"


def test_an_sms_without_a_phone_number_fails():
    nobody = make_user("no_phone")
    notification = notify(channel=Channel.SMS, recipient=nobody, subject="诉求已答复", body="…")

    deliver()

    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == (Notification.Status.PENDING, "no phone number")


def test_an_email_is_sent_to_the_recipients_address():
    chen = make_user("boss_chen", email="chen@cixi.gov.cn")
    notification = notify(channel=Channel.EMAIL, recipient=chen, subject="本周逾期诉求", body="共 3 件逾期")

    deliver()

    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [("本周逾期诉求", "共 3 件逾期", ["chen@cixi.gov.cn"])]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.deliveries.get().detail == "mailed chen@cixi.gov.cn"


def test_an_in_app_message_is_delivered_at_once_without_waking_the_worker(django_capture_on_commit_callbacks):
    chen = make_user("boss_chen")
    with django_capture_on_commit_callbacks() as wake_ups:
        notification = notify(channel=Channel.IN_APP, recipient=chen, subject="诉求逾期", body="…")

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 1)
    assert wake_ups == []
    assert deliver() == 0


def test_the_worker_delivers_the_oldest_first_and_at_most_its_limit(robot_server, kjj_wecom_group):
    first = notify(channel=Channel.WECOM, address="kjj-wecom", subject="第一条", body="…")
    second = notify(channel=Channel.WECOM, address="kjj-wecom", subject="第二条", body="…")

    assert deliver_due_notifications.call(limit=1) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Notification.Status.SENT, Notification.Status.PENDING)


# --- The outbox shares the fate of its transaction ----------------------------------------


def test_a_notice_written_in_a_transaction_that_rolls_back_does_not_exist(robot_server, zhouxiang_group,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as wake_ups:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(channel=Channel.DINGTALK, address="zhouxiang-window", subject="不会发出", body="…")
            raise RuntimeError("the change failed")

    assert not Notification.objects.exists()
    assert wake_ups == []
    assert deliver() == 0
    assert robot_server.requests == []


def test_a_committed_notice_wakes_the_worker_and_goes_out_at_once(robot_server, zhouxiang_group,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as wake_ups:
        with transaction.atomic():
            notification = notify(channel=Channel.DINGTALK, address="zhouxiang-window", subject="新诉求", body="…")
        assert robot_server.requests == []  # nothing is sent before the commit

    assert len(wake_ups) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(robot_server.requests) == 1
