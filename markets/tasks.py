"""Scheduled market jobs: listings expire daily; every market is matched again nightly."""

from __future__ import annotations

from django_tasks import task

from . import actions
from .models import Market


@task()
def expire_listings() -> dict:
    return actions.expire_listings()


@task()
def rematch_all_markets() -> dict:
    """The full re-match (vectorised, markets/matching.py); new pairs are notified to both sides."""
    return {market: actions.full_rematch(market) for market in Market.values}
