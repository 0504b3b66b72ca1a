"""Generate now, the archive, distribution, the dashboard, the schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from briefings import periods, tasks
from briefings.actions import do_add_recipient, do_request_issue
from briefings.models import BriefingIssue, IssueStatus, Kind
from config.schedule import SCHEDULE
from notifications.models import Channel, Notification, RobotWebhook

from .conftest import WEEK_START

pytestmark = pytest.mark.django_db


def test_generate_now_queues_the_issue_and_the_worker_makes_it(client, supervisor, week,
                                                              django_capture_on_commit_callbacks):
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("briefings-generate"), {"kind": "weekly", "day": "2026-03-04"})
    issue = BriefingIssue.objects.get()
    assert response.status_code == 302 and response.url == reverse("briefings-issue", args=[issue.pk])
    assert (issue.status, issue.period_start, issue.requested_by) == (IssueStatus.READY, WEEK_START, supervisor)
    status = client.get(reverse("briefings-status", args=[issue.pk])).json()
    assert status["status"] == "ready"


def test_a_queued_issue_shows_its_progress(client, supervisor, week):
    client.force_login(supervisor)
    client.post(reverse("briefings-generate"), {"kind": "monthly", "day": "2026-03-04"})  # no commit: stays queued
    issue = BriefingIssue.objects.get()
    assert issue.status == IssueStatus.QUEUED
    page = client.get(reverse("briefings-issue", args=[issue.pk])).content.decode()
    assert f'data-status-url="{reverse("briefings-status", args=[issue.pk])}"' in page
    assert client.get(reverse("briefings-word", args=[issue.pk])).status_code == 404


def test_only_editors_may_generate(client, department_handler, week):
    client.force_login(department_handler)
    assert client.get(reverse("briefings-archive")).status_code == 200
    assert client.post(reverse("briefings-generate"), {"kind": "weekly", "day": "2026-03-04"}).status_code == 404
    assert not BriefingIssue.objects.exists()


def test_a_future_period_cannot_be_generated(client, supervisor, week):
    client.force_login(supervisor)
    client.post(reverse("briefings-generate"), {"kind": "weekly", "day": "2026-12-31"})
    assert not BriefingIssue.objects.exists()


def test_archive_filters_by_kind_and_year(client, supervisor, week):
    weekly = do_request_issue(periods.period_of(Kind.WEEKLY, WEEK_START), background=False)
    monthly = do_request_issue(periods.period_of(Kind.MONTHLY, WEEK_START), background=False)
    old = do_request_issue(periods.period_of(Kind.WEEKLY, dt.date(2025, 12, 1)), background=False)
    client.force_login(supervisor)

    def listed(**query):
        return {i.pk for i in client.get(reverse("briefings-archive"), query).context["page"]}

    assert listed() == {weekly.pk, monthly.pk, old.pk}
    assert listed(kind="weekly") == {weekly.pk, old.pk}
    assert listed(kind="weekly", year="2026") == {weekly.pk}
    assert (old.year, old.sequence, weekly.sequence) == (2025, 1, 1)


def test_distribution_tells_the_listed_organisation_and_robot_once(supervisor, week, system_admin):
    robot = RobotWebhook.objects.create(name="leaders-group", channel=Channel.DINGTALK, url="http://127.0.0.1:9/r")
    do_add_recipient(acting_user=system_admin, organisation=supervisor.organisation)
    do_add_recipient(acting_user=system_admin, robot=robot, kind=Kind.WEEKLY)
    do_add_recipient(acting_user=system_admin, robot=robot, kind=Kind.MONTHLY)  # not for the weekly
    issue = do_request_issue(periods.period_of(Kind.WEEKLY, WEEK_START), background=False)
    link = reverse("briefings-issue", args=[issue.pk])
    in_app = Notification.objects.filter(channel=Channel.IN_APP, recipient=supervisor)
    robot_posts = Notification.objects.filter(channel=Channel.DINGTALK, address="leaders-group")
    assert in_app.count() == 1 and in_app.get().link == link
    assert robot_posts.count() == 1 and link in robot_posts.get().body
    do_request_issue(periods.period_of(Kind.WEEKLY, WEEK_START), background=False)  # made again: not sent again
    assert Notification.objects.filter(link=link).count() == 2


def test_the_schedule_makes_last_week_and_last_month(week, clock):
    clock.set(dt.date(2026, 4, 1), hour=8)
    assert ("make-weekly-briefing", "0 8 * * mon", "briefings.tasks.make_weekly_briefing") in SCHEDULE
    assert ("make-monthly-briefing", "30 8 1 * *", "briefings.tasks.make_monthly_briefing") in SCHEDULE
    weekly = BriefingIssue.objects.get(pk=tasks.make_weekly_briefing.call())
    monthly = BriefingIssue.objects.get(pk=tasks.make_monthly_briefing.call())
    assert (weekly.period_start, weekly.period_end) == (dt.date(2026, 3, 23), dt.date(2026, 3, 29))
    assert (monthly.period_start, monthly.period_end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert weekly.status == monthly.status == IssueStatus.READY


def test_make_briefing_command(week):
    from django.core.management import call_command

    call_command("make_briefing", "--kind", "monthly", "--period", "2026-03")
    issue = BriefingIssue.objects.get()
    headline = next(s for s in issue.sections if s["key"] == "headline")
    # March: every demand of the fixture but the two of February.
    assert next(f["value"] for f in headline["figures"] if f["key"] == "new") == 3


def test_dashboard_shows_live_figures_by_town_and_unit(client, supervisor, week):
    client.force_login(supervisor)
    response = client.get(reverse("briefings-dashboard"), {"period": "2026-03"})
    assert response.status_code == 200
    assert response.context["live"]["overall"]["total"] == 3
    assert response.context["live"]["overdue"] == 1
    other_town = client.get(reverse("briefings-dashboard"), {"period": "2026-03", "town": "longshan"})
    assert other_town.context["live"]["overall"]["total"] == 0
    both = client.get(reverse("briefings-dashboard"), {"period": "2026-03", "town": "zhouxiang", "unit": "dept_kjj"})
    assert both.context["live"]["overall"]["total"] == 2  # the one not yet routed has no lead unit
    screen = client.get(reverse("briefings-dashboard"), {"period": "2026-03", "screen": "1"}).content.decode()
    assert 'data-theme="dark"' in screen and 'data-refresh="300"' in screen


def test_seed_briefings_makes_four_weeks_and_two_months_once(week, supervisor):
    from django.core.management import call_command

    from briefings.models import Recipient

    call_command("seed_briefings")
    call_command("seed_briefings")
    assert BriefingIssue.objects.filter(kind=Kind.WEEKLY).count() == 4
    assert BriefingIssue.objects.filter(kind=Kind.MONTHLY).count() == 2
    assert set(BriefingIssue.objects.values_list("status", flat=True)) == {IssueStatus.READY}
    assert Recipient.objects.filter(organisation=supervisor.organisation).count() == 1
    # Distributed once per issue, to the service office's staff.
    assert Notification.objects.filter(recipient=supervisor, link__startswith="/briefings/").count() == 6


def test_a_failed_generation_is_shown_and_can_be_queued_again(client, supervisor, week, monkeypatch):
    def broken(ctx, period=None):
        raise RuntimeError("the figures are not available")

    with monkeypatch.context() as patched, pytest.raises(RuntimeError):
        patched.setattr("briefings.sections.demand_sections.demand_rows", broken)
        do_request_issue(periods.period_of(Kind.WEEKLY, WEEK_START), background=False)
    issue = BriefingIssue.objects.get()
    assert issue.status == IssueStatus.FAILED and "not available" in issue.error
    client.force_login(supervisor)
    assert "not available" in client.get(reverse("briefings-issue", args=[issue.pk])).content.decode()
    assert do_request_issue(periods.period_of(Kind.WEEKLY, WEEK_START), background=False).status == IssueStatus.READY


def test_archive_and_record_pages_query_a_fixed_number_of_times(client, supervisor, week,
                                                                django_assert_max_num_queries):
    weekly = do_request_issue(periods.period_of(Kind.WEEKLY, WEEK_START), background=False)
    for offset in range(1, 6):
        do_request_issue(periods.period_of(Kind.WEEKLY, WEEK_START - dt.timedelta(weeks=offset)), background=False)
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("briefings-archive")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("briefings-records", args=[weekly.pk, "demands-all"])).status_code == 200
