from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from policies.seeding import seed_policies


class Command(BaseCommand):
    help = "Load the seed policy set (policies/data/seed_policies.yaml); running it again is harmless."

    def handle(self, *args, **options):
        outcomes = {"published": _("published"), "new version": _("new version published"),
                    "unchanged": _("unchanged")}
        for code, what in seed_policies().items():
            self.stdout.write(_("%(code)s: %(what)s") % {"code": code, "what": outcomes[what]})
