from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from policies.actions import do_import_facts
from policies.facts_io import MODES, FactsImportError


class Command(BaseCommand):
    help = ("Import yearly enterprise figures and project facts from a facts file (policies.md format: "
            "Parquet, CSV or xlsx), reporting every bad row.")

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True, help="FACTS.parquet, .csv or .xlsx")
        parser.add_argument("--mode", choices=MODES, default=MODES[0],
                            help="all-or-nothing (default): nothing is stored if a row is bad; "
                                 "valid-only: the good rows are stored.")
        parser.add_argument("--year", type=int, help="the year of rows without a year column")

    def handle(self, *args, file, mode, year, **options):
        try:
            report = do_import_facts(file, mode=mode, year=year)
        except FactsImportError as error:
            raise CommandError(str(error)) from error
        for error in report.errors:
            self.stderr.write(str(error))
        if report.ignored_columns:
            self.stdout.write(_("Not imported (taken from the registry): %(columns)s")
                              % {"columns": ", ".join(report.ignored_columns)})
        summary = _("%(rows)d rows read, %(bad)d bad; figures created %(created)d, updated %(updated)d; "
                    "projects updated %(projects)d.") % {
            "rows": report.rows, "bad": report.bad_rows, "created": report.figures_created,
            "updated": report.figures_updated, "projects": report.projects_updated}
        if not report.imported:
            raise CommandError(_("Nothing was imported: %(summary)s") % {"summary": summary})
        self.stdout.write(summary)
