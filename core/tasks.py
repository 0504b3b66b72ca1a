"""Housekeeping jobs run by the worker on schedule (see config/schedule.py)."""

from django.core.management import call_command
from django_tasks import task


@task()
def prune_task_results() -> None:
    """Delete finished task results older than 30 days (failed ones after 90)."""
    call_command("prune_db_task_results", "--min-age-days", "30", "--failed-min-age-days", "90")
