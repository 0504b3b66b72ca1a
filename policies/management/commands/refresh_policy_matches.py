from django.core.management.base import BaseCommand

from policies.actions import do_generate_due_payouts
from policies.matching import refresh_matches


class Command(BaseCommand):
    help = ("Bring the policy match table up to date (what the nightly job does), then make the payout lists "
            "of the policies paid without application.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Year of the facts (default: the latest with figures).")
        parser.add_argument("--no-payouts", action="store_true", help="Only refresh the match table.")

    def handle(self, *args, year=None, no_payouts=False, **options):
        counts = refresh_matches(year)
        self.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()))
        if not no_payouts:
            for batch in do_generate_due_payouts():
                self.stdout.write(f"payout list {batch.pk}: {batch.version} {batch.year}, {batch.lines.count()} lines")
