"""Demo issues: the last four weekly and the last two monthly briefings (idempotent)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from briefings import periods
from briefings.actions import do_add_recipient, do_request_issue
from briefings.models import BriefingIssue, IssueStatus, Kind, Recipient
from notifications.models import RobotWebhook

COUNTS = {Kind.WEEKLY: 4, Kind.MONTHLY: 2}


class Command(BaseCommand):
    help = "Generate the last 4 weekly and 2 monthly briefings from the demo data (existing ones are kept)."

    def handle(self, *args, **options):
        self._recipients()
        today = timezone.localdate()
        made = 0
        for kind, count in COUNTS.items():
            for period in periods.recent(kind, periods.last_finished(kind, today), count):
                if BriefingIssue.objects.filter(kind=kind, period_start=period.start, status=IssueStatus.READY).exists():
                    continue
                do_request_issue(period, background=False)
                made += 1
        self.stdout.write(f"briefings: {made} issues generated, {BriefingIssue.objects.count()} in the archive")

    def _recipients(self) -> None:
        """The service office and the city platform get every issue; the demo robots, if any, too."""
        from accounts.models import Organisation

        if Recipient.objects.exists():
            return
        for org in Organisation.objects.filter(kind__in=(Organisation.Kind.SERVICE_OFFICE, Organisation.Kind.PLATFORM)):
            do_add_recipient(acting_user=None, organisation=org)
        for robot in RobotWebhook.objects.filter(is_active=True)[:1]:
            do_add_recipient(acting_user=None, robot=robot, kind=Kind.WEEKLY)
