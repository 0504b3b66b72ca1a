from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from policies.facts_io import FactsImportError, export_facts
from policies.matching import default_year


class Command(BaseCommand):
    help = "Export every enterprise's figures of a year and that year's projects as a facts file (policies.md)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="FACTS.parquet, .csv or .xlsx")
        parser.add_argument("--year", type=int, help="default: the latest year with figures or projects")

    def handle(self, *args, out, year, **options):
        year = year or default_year()
        try:
            rows = export_facts(out, year)
        except (FactsImportError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("%(rows)d subjects of %(year)d written to %(path)s.") % {
            "rows": rows, "year": year, "path": out})
