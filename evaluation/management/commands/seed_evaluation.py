"""``manage.py seed_evaluation``: the Cixi evaluation schemes and rounds, enterprise codes, zone
modules, league tables, appointment slots and module usage (safe to run again)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from evaluation import demo


class Command(BaseCommand):
    help = "Load the demo per-mu evaluation (2024 final, 2025 in public notice), the enterprise zone and appointments."

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = demo.seed(self.stdout)
        modules, tables = counts.pop("modules_and_tables")
        self.stdout.write(
            f"Zone modules +{modules}, ranking tables +{tables}, "
            + ", ".join(f"{name} +{value}" for name, value in counts.items())
            + f" in {time.perf_counter() - started:.1f} s.")
