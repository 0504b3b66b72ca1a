"""Enqueue scheduled jobs at their cron times (APScheduler's blocking scheduler)."""

from __future__ import annotations

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from config.schedule import SCHEDULE


def enqueue(task_path: str) -> None:
    import_string(task_path).enqueue()


class Command(BaseCommand):
    help = "Run the job scheduler: enqueue each job of config/schedule.py at its cron time."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Print the jobs and their next run times, then exit.")
        parser.add_argument("--now", metavar="NAME", help="Enqueue the named job once, now, then exit.")

    def handle(self, *args, **options):
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        jobs = {name: (cron, path) for name, cron, path in SCHEDULE}
        if options["now"]:
            if options["now"] not in jobs:
                raise CommandError(f"No job named {options['now']!r}; known: {', '.join(jobs)}")
            enqueue(jobs[options["now"]][1])
            self.stdout.write(f"Enqueued {options['now']}")
            return
        for name, (cron, path) in jobs.items():
            trigger = CronTrigger.from_crontab(cron, timezone=settings.TIME_ZONE)
            # coalesce: after downtime a missed job runs once, not once per missed tick.
            scheduler.add_job(enqueue, trigger, args=[path], id=name, coalesce=True, max_instances=1,
                              misfire_grace_time=3600)
        if options["list"]:
            for name, (cron, path) in jobs.items():
                trigger = CronTrigger.from_crontab(cron, timezone=settings.TIME_ZONE)
                self.stdout.write(f"{name:28} {cron:16} {path}  next: {trigger.get_next_fire_time(None, _now())}")
            return
        self.stdout.write(f"Scheduler started with {len(jobs)} jobs; the worker (db_worker) runs them.")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass


def _now():
    from django.utils import timezone

    return timezone.localtime()
