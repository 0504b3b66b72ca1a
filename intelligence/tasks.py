"""Background jobs of demand intelligence, run by the django-tasks worker."""

from __future__ import annotations

from django_tasks import task

from . import actions


@task()
def retrain_classifier() -> int:
    """Train a new classifier version from the corpus, closed demands and corrections; returns it."""
    return actions.do_train_model().version
