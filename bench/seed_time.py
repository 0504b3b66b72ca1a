"""How long ``manage.py seed_demo`` takes on a fresh SQLite database.

    .venv/bin/python bench/seed_time.py [--enterprises 25000] [--seed 2026]

Creates a temporary directory for ``QIFU_VAR_DIR`` (so the SQLite file is new and
nobody else's), migrates (not timed), then times the whole command as a developer
runs it: reference data, enterprises with their rows, demo users.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import time

from _common import fresh_var_dir, machine, migrate, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    var_dir = fresh_var_dir("seed")
    os.environ["QIFU_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # always SQLite: that is what a developer starts with
    try:
        setup_django()
        migrate()
        _report(args.enterprises, *_time_seed(args.enterprises, args.seed))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _time_seed(enterprises: int, seed: int) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds of the command, and what it printed."""
    from django.core.management import call_command

    out = io.StringIO()
    started, cpu_started = time.perf_counter(), time.process_time()
    call_command("seed_demo", enterprises=enterprises, seed=seed, stdout=out)
    return time.perf_counter() - started, time.process_time() - cpu_started, out.getvalue()


def _report(enterprises: int, seconds: float, cpu_seconds: float, output: str) -> None:
    from enterprises.models import Contact, Enterprise, Project, YearFigures

    print(f"machine: {machine()}")
    print(output.splitlines()[0])
    # The machine is shared: CPU time says what the command costs when others are busy.
    print(f"seed_demo --enterprises {enterprises}: {seconds:.1f} s wall, {cpu_seconds:.1f} s CPU (limit 60 s)")
    total = 0
    for model in (Enterprise, YearFigures, Contact, Project, Enterprise.tags.through):
        count = model.objects.count()
        total += count
        print(f"  {model._meta.db_table:<28} {count:>8}")
    print(f"  {'rows in all':<28} {total:>8}  ({total / seconds:,.0f} rows/s)")


if __name__ == "__main__":
    main()
