"""Background jobs of demand intelligence, run by the django-tasks worker."""

from __future__ import annotations

from django_tasks import task

from . import actions


@task()
def retrain_classifier() -> int:
    """Train a new classifier version from the corpus, closed demands and corrections; returns it.

    The open-demand index is rebuilt with the new vocabulary right away, so the first
    intake search after a retraining does not have to.
    """
    from . import open_index

    version = actions.do_train_model().version
    open_index.save(open_index.build())
    return version


@task()
def rebuild_open_index() -> int:
    """Vectorise every open demand afresh and save the index the intake search starts from."""
    from . import open_index

    index = open_index.build()
    open_index.save(index)
    return len(index.ids)
