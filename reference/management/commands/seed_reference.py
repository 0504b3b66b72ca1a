from django.core.management.base import BaseCommand

from reference.seeding import seed_reference


class Command(BaseCommand):
    help = "Load reference data, roles and organisations from reference/data/*.yaml (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--refresh", action="store_true", help="Overwrite names edited in the admin.")

    def handle(self, *args, refresh=False, **options):
        counts = seed_reference(refresh=refresh)
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
