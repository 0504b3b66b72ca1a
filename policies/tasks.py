"""Scheduled policy jobs: the nightly match refresh and the weekly "opening next week" push."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .matching import refresh_matches
from .push import send_weekly_push


@task()
def refresh_policy_matches() -> dict:
    """Re-evaluate the match table where facts or published versions changed."""
    return refresh_matches()


@task()
def send_weekly_policy_push() -> int:
    """Tell each enterprise about the policies whose application window opens next week."""
    return len(send_weekly_push(timezone.localdate()))
