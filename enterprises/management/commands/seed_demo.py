"""``manage.py seed_demo``: a Cixi-like demo registry and one login per persona."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.demo_users import DEMO_PASSWORD, create_demo_users
from enterprises import demo
from enterprises.models import Enterprise
from reference.seeding import seed_reference


class Command(BaseCommand):
    help = (
        "Create deterministic demo enterprises (figures, contacts, projects, tags) and the demo logins. "
        "Skips the enterprises when some exist, unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=25_000, help="How many enterprises (default 25000).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed gives the same data.")
        parser.add_argument(
            "--years", type=int, nargs="+", default=list(demo.DEFAULT_YEARS), help="Years of figures to create."
        )
        parser.add_argument("--reset", action="store_true", help="Delete all enterprises and their rows first.")

    def handle(self, *args, enterprises, seed, years, reset, **options):
        if enterprises < 0:
            raise CommandError("--enterprises must not be negative.")
        seed_reference()
        if reset:
            _delete_casework()
            deleted = demo.delete_all()
            self.stdout.write("Deleted: " + ", ".join(f"{name} {count}" for name, count in deleted.items()))
        fresh = not Enterprise.objects.exists()
        if fresh:
            self._generate(enterprises, seed, years)
        else:
            self.stdout.write(
                f"{Enterprise.objects.count()} enterprises exist already; not adding demo enterprises "
                "(use --reset to replace them)."
            )
        logins = create_demo_users(DEMO_PASSWORD)
        if fresh and enterprises:
            self._generate_casework(seed)
        self._write_logins(logins)

    def _generate_casework(self, seed: int) -> None:
        """A year of demands with their histories, and deputies' proposals with a reply letter."""
        import time

        from demands import demo as demand_demo
        from proposals.demo import create_demo_proposals

        started = time.perf_counter()
        count = demand_demo.generate(DEMO_DEMANDS, seed=seed)
        create_demo_proposals()
        self.stdout.write(f"Created {count} demands with their histories and the demo proposals "
                          f"in {time.perf_counter() - started:.1f} s.")

    def _generate(self, n: int, seed: int, years: list[int]) -> None:
        stats = demo.generate(n, seed, years)
        self.stdout.write(
            f"Created {stats['enterprises']} enterprises, {stats['year_figures']} yearly figures, "
            f"{stats['contacts']} contacts, {stats['projects']} projects, {stats['tags']} tag links "
            f"in {stats['seconds']:.1f} s (seed {seed}, years {' '.join(map(str, sorted(set(years))))})."
        )
        self.stdout.write(
            f"Seed-000 batch: {stats['p1_projects']} completed tech-upgrade projects in {max(years)}, "
            f"P1 reward {stats['p1_reward_fen'] / demo.WAN:,.2f}万 (budget in the seed: 2,700万)."
        )

    def _write_logins(self, logins: list[tuple[str, str, str, str]]) -> None:
        """A table developers can log in from; the password is the demo constant."""
        rows = [("username", "password", "role", "organisation", "lands on")]
        rows += [(username, DEMO_PASSWORD, role, org, home) for username, role, org, home in logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        for row in rows:
            self.stdout.write("  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("Existing demo users keep the password they have.")


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


DEMO_DEMANDS = 1500


def _delete_casework() -> None:
    """Demands and proposals refer to enterprises, so they go first on --reset."""
    from demands.models import Demand, MonthFigures, StaleMonth
    from proposals.models import Proposal

    Proposal.objects.all().delete()
    Demand.objects.filter(merged_into__isnull=False).delete()
    Demand.objects.all().delete()
    MonthFigures.objects.all().delete()
    StaleMonth.objects.all().delete()
