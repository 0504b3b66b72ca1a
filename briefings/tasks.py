"""Worker jobs: generate a requested issue; make last week's and last month's issues on schedule."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task

from .models import BriefingIssue, Kind
from .periods import last_finished


@task()
def generate_briefing(issue_id: int) -> int:
    from .actions import do_generate_issue

    issue = BriefingIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        do_generate_issue(issue)
    return issue.pk


def _make_last(kind: str) -> int:
    from .actions import do_request_issue

    with translation.override(settings.LANGUAGE_CODE):
        return do_request_issue(last_finished(kind, timezone.localdate()), background=False).pk


@task()
def make_weekly_briefing() -> int:
    """Monday 08:00: the 企情快报 of the Monday–Sunday week that just ended."""
    return _make_last(Kind.WEEKLY)


@task()
def make_monthly_briefing() -> int:
    """The 1st, 08:30: the 企服简报 of the month that just ended."""
    return _make_last(Kind.MONTHLY)
