"""Train the demand classifier now (the worker also retrains it weekly)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from intelligence import actions


class Command(BaseCommand):
    help = "Train a new classifier version from the seed corpus, closed demands and corrections."

    def add_arguments(self, parser):
        parser.add_argument("--if-missing", action="store_true", help="Do nothing when a model exists already.")

    def handle(self, *args, if_missing=False, **options):
        model = actions.ensure_model() if if_missing else actions.do_train_model()
        self.stdout.write(_("Classifier v%(version)d is live.") % {"version": model.version})
