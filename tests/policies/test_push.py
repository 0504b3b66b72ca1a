"""The weekly "opening next week" push (下周申报): digest, outbox messages, once a week, the preview page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from notifications.models import Channel, Notification
from policies import actions
from policies.matching import refresh_matches
from policies.models import Policy, PolicyPush
from policies.push import next_week, send_weekly_push, weekly_digest

from .conftest import YEAR

FRIDAY = date(2026, 12, 4)  # next week is Monday 7 to Sunday 13 December


@pytest.fixture
def windows(seeded, hongda_line, longteng, policy_admin):
    """Loan interest (宏达 eligible) opens next Wednesday; leasing opens the week after; the table is fresh."""
    loan = actions.do_update_policy(Policy.objects.get(code="cixi-loan-interest"), acting_user=policy_admin,
                                    application_opens_on=date(2026, 12, 9), application_closes_on=date(2026, 12, 31))
    leasing = actions.do_update_policy(Policy.objects.get(code="cixi-leasing"), acting_user=policy_admin,
                                       application_opens_on=date(2026, 12, 14))
    refresh_matches(YEAR)
    return loan, leasing


def test_next_week_runs_from_the_coming_monday_to_sunday():
    assert next_week(FRIDAY) == (date(2026, 12, 7), date(2026, 12, 13))
    assert next_week(date(2026, 12, 7)) == (date(2026, 12, 14), date(2026, 12, 20))


def test_the_digest_lists_a_policy_opening_next_week_and_not_one_opening_later(windows, hongda):
    loan, _leasing = windows
    digest = {d.enterprise.pk: d for d in weekly_digest(FRIDAY)}[hongda.pk]
    assert [(i.policy.code, i.status, i.amount_fen, i.opens_on, i.closes_on) for i in digest.items] == [
        ("cixi-loan-interest", "eligible", 12_345_678, date(2026, 12, 9), date(2026, 12, 31))
    ]


def test_an_enterprise_that_might_qualify_is_in_the_digest_as_unknown(windows, longteng):
    digest = {d.enterprise.pk: d for d in weekly_digest(FRIDAY)}[longteng.pk]
    assert [(i.policy.code, i.status, i.amount_fen) for i in digest.items] == [("cixi-loan-interest", "unknown", None)]


def test_the_push_writes_an_in_app_outbox_message_for_the_enterprise_contact(windows, hongda, hongda_contact):
    pushes = send_weekly_push(FRIDAY)
    message = Notification.objects.get(recipient=hongda_contact)
    assert message.channel == Channel.IN_APP
    assert "慈溪市企业贷款贴息" in message.body and "2026-12-09" in message.body
    push = PolicyPush.objects.get(enterprise=hongda)
    assert push in pushes and list(push.notifications.all()) == [message]
    assert push.week_start == date(2026, 12, 7)
    assert [p["code"] for p in push.policies] == ["cixi-loan-interest"]


def test_sending_twice_in_a_week_sends_once(windows, hongda, hongda_contact, longteng):
    first = send_weekly_push(FRIDAY)
    second = send_weekly_push(date(2026, 12, 5))
    assert len(first) == 2 and second == []
    assert Notification.objects.filter(recipient=hongda_contact).count() == 1
    assert PolicyPush.objects.filter(week_start=date(2026, 12, 7)).count() == 2


def test_the_preview_page_is_not_found_for_anyone_but_policy_admins(client, windows, outsider, zhouxiang_clerk,
                                                                     hongda_contact):
    for user in (outsider, zhouxiang_clerk, hongda_contact):
        client.force_login(user)
        assert client.get(reverse("policies-push")).status_code == 404
        assert client.post(reverse("policies-push")).status_code == 404
    assert not PolicyPush.objects.exists()


def test_a_policy_admin_previews_sends_and_reads_the_log(client, windows, hongda, hongda_contact, policy_admin,
                                                         monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr("policies.views.timezone.localdate", lambda: FRIDAY)
    client.force_login(policy_admin)
    page = client.get(reverse("policies-push"))
    assert page.status_code == 200
    assert hongda.name in page.content.decode() and 'data-policy="cixi-loan-interest"' in page.content.decode()
    assert client.post(reverse("policies-push")).status_code == 302
    assert PolicyPush.objects.get(enterprise=hongda).sent_by == policy_admin
    with django_assert_max_num_queries(12):
        log = client.get(reverse("policies-push")).content.decode()
    assert f'data-push="{PolicyPush.objects.get(enterprise=hongda).pk}"' in log


def test_a_push_is_in_the_operation_log_with_who_sent_it(windows, hongda, hongda_contact, policy_admin):
    from auditlog.models import LogEntry

    push = send_weekly_push(FRIDAY, acting_user=policy_admin)[0]
    entry = LogEntry.objects.get_for_object(push).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, policy_admin)
