"""``manage.py seed_markets``: demo products, parks, financing days and listings (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from markets.demo import seed_markets


class Command(BaseCommand):
    help = "Create the demo markets (financing, factory space, parks, talent). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, seed, **options):
        counts = seed_markets(seed)
        self.stdout.write("Markets: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
