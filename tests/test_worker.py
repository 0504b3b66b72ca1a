"""The real background worker (django-tasks database backend) runs a queued import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import resolve, reverse
from django_tasks_db.models import DBTaskResult

from enterprises import importing
from enterprises.models import Enterprise, ImportJob

from .factories import HONGDA_NAME, credit_code, template_headers, xlsx_file

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_import_waits_for_the_worker_and_is_then_done(client, settings, platform_clerk):
    # Given tasks go through the database queue, as in production
    settings.TASKS = DATABASE_TASKS
    keys = [c.key for c in importing.COLUMNS["enterprises"]]
    row = {"credit_code": credit_code(1), "name": HONGDA_NAME, "town": "周巷镇"}
    content = xlsx_file(template_headers("enterprises"), [[row.get(key) for key in keys]])

    # When the platform clerk uploads a sheet
    client.force_login(platform_clerk)
    response = client.post(
        reverse("enterprises-import"),
        {"kind": "enterprises", "mode": "all_or_nothing", "file": SimpleUploadedFile("企业.xlsx", content)},
    )
    job = ImportJob.objects.get(pk=resolve(response.url).kwargs["job_id"])

    # Then the job waits in the queue and nothing is imported yet
    assert job.status == ImportJob.Status.QUEUED
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not Enterprise.objects.exists()

    # When the worker runs through the queue once
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    # Then the job is done and the enterprise is in the registry
    job.refresh_from_db()
    assert (job.status, job.progress, job.created_count) == (ImportJob.Status.DONE, 100, 1)
    assert Enterprise.objects.get(credit_code=credit_code(1)).name == HONGDA_NAME
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    status = client.get(reverse("enterprises-import-status", args=[job.pk])).json()
    assert (status["finished"], status["progress"]) == (True, 100)
