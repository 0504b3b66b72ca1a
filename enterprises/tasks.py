"""Background jobs of the registry, run by the django-tasks worker."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.audit import acting_as

from . import actions, importing
from .models import Enterprise, ImportJob

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 500
_CODE_COLUMN = "统一社会信用代码"  # the template's header, as the report names columns


@task()
def run_import(job_id: int, language: str = "zh-hans") -> None:
    """Validate every row, report the bad ones, then write as the job's mode says.

    Messages are written in the uploader's language.
    """
    with translation.override(language):
        _run_import(job_id)


def _run_import(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    _save(job, status=ImportJob.Status.RUNNING, progress=1)
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        columns, body = importing.read_rows(job.kind, data)
    except importing.ImportFileError as error:
        _save(job, status=ImportJob.Status.REJECTED, message=str(error), progress=100)
        return
    try:
        _validate_and_apply(job, columns, body)
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _save(job, status=ImportJob.Status.FAILED, message=_("The import failed unexpectedly; nothing was imported."))


def _validate_and_apply(job: ImportJob, columns, body) -> None:
    _save(job, total_rows=len(body))
    lookups = importing.Lookups()
    results, seen = [], {}
    for index, (number, row) in enumerate(body, start=1):
        result = importing.validate_row(columns, number, row, lookups)
        _check_duplicate(job.kind, result, seen)
        results.append(result)
        if index % PROGRESS_EVERY == 0:
            _save(job, progress=max(1, 60 * index // len(body)))
    enterprises = _check_scope(job, results)
    errors = [[r.row, column, reason] for r in results for column, reason in r.errors]
    bad_rows = {r.row for r in results if r.errors}
    job.errors, job.error_count = errors, len(bad_rows)
    if bad_rows and job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        _save(job, status=ImportJob.Status.REJECTED, progress=100, errors=errors, error_count=len(bad_rows),
              message=_("%(count)d rows have errors, so nothing was imported.") % {"count": len(bad_rows)})
        return
    good = [r.values for r in results if not r.errors]
    _save(job, progress=65, errors=errors, error_count=len(bad_rows))
    with transaction.atomic(), acting_as(job.created_by):
        if job.kind == ImportJob.Kind.ENTERPRISES:
            created, updated = actions.do_import_enterprise_rows(good, acting_user=job.created_by)
        else:
            created, updated = actions.do_import_year_rows(good, enterprises, acting_user=job.created_by)
    _save(job, status=ImportJob.Status.DONE, progress=100, created_count=created, updated_count=updated,
          message=_("Imported %(good)d rows, skipped %(bad)d bad rows.") % {"good": len(good), "bad": len(bad_rows)})


def _check_duplicate(kind: str, result: importing.RowResult, seen: dict) -> None:
    key = (result.values.get("credit_code"), result.values.get("year")) if kind == "year_figures" else result.values.get("credit_code")
    if not result.values.get("credit_code"):
        return
    if key in seen:
        result.errors.append((_CODE_COLUMN, _("Repeats row %(row)d.") % {"row": seen[key]}))
    else:
        seen[key] = result.row


def _check_scope(job: ImportJob, results) -> dict[str, Enterprise]:
    """Rows may only touch enterprises the uploader can see, in towns the uploader covers.

    A code outside the scope gets the same message as an unregistered one, so an
    import cannot be used to learn which enterprises exist elsewhere.  For yearly
    figures the enterprises found are returned.
    """
    from accounts.access import ScopeKind, scope_of

    from .access import visible_enterprises

    visible = visible_enterprises(job.created_by)
    codes = [r.values["credit_code"] for r in results if r.values.get("credit_code")]
    found = {}
    for chunk in actions._chunked(codes):
        found.update({e.credit_code: e for e in visible.filter(credit_code__in=chunk)})
    scope = scope_of(job.created_by)
    if job.kind == ImportJob.Kind.ENTERPRISES:
        taken = set(actions._existing_by_code(codes)) - set(found)
        for result in results:
            town = result.values.get("town")
            if result.values.get("credit_code") in taken:
                result.errors.append((_CODE_COLUMN, _("This credit code cannot be imported by you: the enterprise "
                                                      "is registered outside your scope.")))
            elif scope.kind == ScopeKind.TOWN and town is not None and town.pk != scope.town_id:
                result.errors.append(("镇街", _("You can only import enterprises of your own town.")))
        return {}
    for result in results:
        code = result.values.get("credit_code")
        if code and code not in found:
            result.errors.append((_CODE_COLUMN, _("No enterprise with this credit code is registered.")))
    return found


def _save(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


@task()
def purge_old_import_files(days: int = 90) -> int:
    """Uploaded import files are personal data: delete the files (not the job
    records and their reports) after ``days`` days."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(days=days)
    purged = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(file=""):
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        purged += 1
    return purged
