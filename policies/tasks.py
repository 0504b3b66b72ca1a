"""Scheduled policy jobs: the nightly match refresh (then the payout lists) and the weekly push."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .matching import refresh_matches
from .push import send_weekly_push


@task()
def refresh_policy_matches() -> dict:
    """Re-evaluate the match table where facts or published versions changed, then list new payouts."""
    counts = refresh_matches()
    generate_policy_payouts.enqueue()
    return counts


@task()
def generate_policy_payouts() -> list[int]:
    """A payout list for every policy paid without application that has newly eligible enterprises."""
    from .actions import do_generate_due_payouts

    return [batch.pk for batch in do_generate_due_payouts()]


@task()
def send_weekly_policy_push() -> int:
    """Tell each enterprise about the policies whose application window opens next week."""
    return len(send_weekly_push(timezone.localdate()))
