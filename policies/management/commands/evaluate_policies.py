from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from policies.batch import FactsFileError, evaluate_file
from policies.seeding import published_rules


class Command(BaseCommand):
    help = "Evaluate the published policies on a facts table (policies.md) and write the long results as Parquet."

    def add_arguments(self, parser):
        parser.add_argument("--facts", required=True, help="FACTS.parquet, .csv or .xlsx")
        parser.add_argument("--out", required=True, help="RESULTS.parquet")
        parser.add_argument("--policy", nargs="*", default=None, help="only these policy codes")

    def handle(self, *args, facts, out, policy, **options):
        try:
            rules = published_rules(policy)
        except LookupError as error:
            raise CommandError(_("Unknown policy code(s): %(codes)s") % {"codes": error}) from error
        try:
            results = evaluate_file(rules, facts, out)
        except FactsFileError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(_("The results cannot be written: %(error)s") % {"error": error}) from error
        self.stdout.write(_("%(rows)d result rows written to %(path)s.") % {"rows": results.height, "path": out})
