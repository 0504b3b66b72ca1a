"""Make (or make again) the weekly or monthly briefing of a period, now, in this process."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from briefings import periods
from briefings.actions import do_request_issue
from briefings.models import Kind


class Command(BaseCommand):
    help = "Generate the 企情快报 (weekly) or 企服简报 (monthly) of a period: make_briefing --kind weekly --period 2026-W48"

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=Kind.values, required=True)
        parser.add_argument("--period", default="", help="2026-W48, 2026-11 or a day inside the period; "
                                                          "default: the last finished week or month")

    def handle(self, *args, kind, period, **options):
        try:
            chosen = periods.parse(kind, period) if period else periods.last_finished(kind, timezone.localdate())
        except ValueError as error:
            raise CommandError(f"cannot read the period {period!r}") from error
        issue = do_request_issue(chosen, background=False)
        self.stdout.write(f"{issue} ({issue.period_start}..{issue.period_end}): {issue.get_status_display()}, "
                          f"{issue.record_sets.count()} record sets")
