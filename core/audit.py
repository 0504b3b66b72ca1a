"""Helpers around the operation log (django-auditlog)."""

from __future__ import annotations

import contextlib

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType


@contextlib.contextmanager
def acting_as(user, remote_addr: str | None = None):
    """Attribute the changes made inside to ``user``.

    Inside a web request the middleware has already set the actor and the IP; the
    IP is kept when the same user acts.  django-auditlog does not restore its
    context on exit, so the previous context is put back here: otherwise the
    outer (request) receiver would stay connected and a stale actor would leak
    into later entries.
    """
    previous = auditlog_value.get(None)
    if remote_addr is None and previous and previous.get("actor") == user:
        remote_addr = previous.get("remote_addr")
    try:
        with set_actor(user, remote_addr=remote_addr):
            yield
    finally:
        if previous is not None:
            auditlog_value.set(previous)


def log_bulk_changes(model, rows: list[tuple[object, int, dict]], actor, remote_addr=None) -> None:
    """Write operation-log rows for changes made with bulk_create/bulk_update.

    ``rows`` holds (instance, action, changes) with action one of LogEntry.Action
    and changes as {field: [before, after]}.
    """
    content_type = ContentType.objects.get_for_model(model)
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                action=action,
                changes=changes,
                changes_text="",
                actor=actor,
                actor_email=getattr(actor, "email", None),
                remote_addr=remote_addr,
            )
            for obj, action, changes in rows
        ],
        batch_size=1000,
    )
