"""``manage.py seed_liaisons``: demo liaison cadres, assignments, visits and condition items."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from liaisons import demo


class Command(BaseCommand):
    help = ("Create demo liaison cadres and assign them to the key-tier enterprises, then a year of visits "
            "(problems become demands) and condition items. Safe to run again: nothing is made twice.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--visits", type=int, default=300, help="How many visits (default 300).")
        parser.add_argument("--conditions", type=int, default=150, help="How many condition items (default 150).")

    def handle(self, *args, seed, visits, conditions, **options):
        started = time.perf_counter()
        made = demo.seed(seed=seed, visits=visits, conditions=conditions)
        summary = ", ".join(f"{name} {count}" for name, count in made.items())
        self.stdout.write(f"Liaison demo: {summary} ({time.perf_counter() - started:.1f} s).")
