"""Batch policy evaluation at 1,000,000 subjects: ``evaluate_policies`` file to file.

    .venv/bin/python bench/evaluate_policies.py [--subjects 1000000] [--sample 20000]

The driver generates the facts (a mix of projects and enterprises, every column of
policies.md, about 10% missing values, amounts from a few fen to beyond 2^31 and a
few near 2^62) into a Parquet file in a temporary directory, then starts a worker
process that migrates a fresh SQLite database, loads the seed policy set with
``seed_policies`` and times ``manage.py evaluate_policies`` (read, evaluate, write)
in-process.  Peak memory is the worker's maximum resident set size
(``resource.getrusage``), Django and the set-up included.

For comparison, in the same run the driver evaluates a sample of ``--sample`` rows
one at a time in Python (``evaluate_subject`` per row, the same rules) and
extrapolates that time linearly to all subjects; the figure says so.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import fresh_var_dir, migrate, setup_django

TARGET_SECONDS = 3.0


def generate(path: Path, subjects: int) -> None:
    import polars as pl

    i = pl.int_range(0, subjects, dtype=pl.Int64)

    def draw(seed: int, modulo: int) -> pl.Expr:
        return (i.hash(seed) % modulo).cast(pl.Int64)

    def maybe(expr: pl.Expr, seed: int) -> pl.Expr:
        return pl.when(draw(seed, 10) == 0).then(None).otherwise(expr)

    def money(seed: int, top_wan: int) -> pl.Expr:
        amount = draw(seed, top_wan * 1_000_000)
        huge = pl.lit(2**62, pl.Int64) + draw(seed + 1, 2**40)
        return maybe(pl.when(draw(seed + 2, 1000) == 0).then(huge).otherwise(amount), seed + 3)

    frame = pl.select(
        i.alias("subject_id"),
        pl.when(draw(1, 2) == 0).then(pl.lit("project")).otherwise(pl.lit("enterprise")).alias("subject_kind"),
        maybe(draw(2, 10) < 8, 3).alias("is_manufacturing"),
        maybe(pl.concat_str(pl.lit(""), draw(4, 3).replace_strict([0, 1, 2], ["A", "B", "C"])), 5)
        .alias("industry_class"),
        maybe(draw(6, 3) + 1, 7).alias("ningbo_tier"),
        maybe(draw(8, 10) < 7, 9).alias("project_completed"),
        maybe(draw(10, 10) == 0, 11).alias("is_smart_pilot"),
        maybe(draw(12, 20) == 0, 13).alias("is_special_project"),
        money(20, 5000).alias("fixed_asset_investment_fen"),
        money(30, 3000).alias("equipment_investment_fen"),
        money(40, 500).alias("tech_software_investment_fen"),
        money(50, 200).alias("soft_investment_fen"),
        money(60, 20000).alias("mlt_loan_avg_daily_balance_fen"),
        money(70, 500).alias("leasing_expenditure_fen"),
        money(80, 50).alias("leasing_interest_fen"),
        maybe(draw(90, 4) == 0, 91).alias("is_tech_sme"),
        money(100, 100).alias("tech_service_spending_fen"),
        money(110, 2000).alias("tax_paid_fen"),
        maybe((draw(120, 20000) - 100).cast(pl.Decimal(38, 2)) / 100, 121).cast(pl.Decimal(38, 2))
        .alias("land_area_mu"),
    )
    frame.write_parquet(path)


def naive_seconds(path: Path, sample: int) -> float:
    import polars as pl

    from policies.batch import normalise_facts
    from policies.rules import evaluate_subject
    from policies.seeding import seed_rules

    rules = seed_rules()
    rows = normalise_facts(pl.read_parquet(path, n_rows=sample)).to_dicts()
    started = time.perf_counter()
    for facts in rows:
        evaluate_subject(rules, facts)
    return time.perf_counter() - started


def worker(facts: str, out: str) -> None:
    os.environ["QIFU_VAR_DIR"] = fresh_var_dir("bench-policies")
    setup_django()
    from django.core.management import call_command

    migrate()
    call_command("seed_policies", stdout=io.StringIO())
    before, started = _cpu_seconds(), time.perf_counter()
    call_command("evaluate_policies", "--facts", facts, "--out", out, stdout=io.StringIO())
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - before
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb}))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--worker", nargs=2, metavar=("FACTS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(*args.worker)
    setup_django()
    import polars as pl

    folder = Path(tempfile.mkdtemp(prefix="qifu-bench-policies-"))
    facts, out = folder / "facts.parquet", folder / "results.parquet"
    started = time.perf_counter()
    generate(facts, args.subjects)
    print(f"generated {args.subjects:,} subjects in {time.perf_counter() - started:.1f} s "
          f"({facts.stat().st_size / 2**20:.0f} MiB Parquet), {os.cpu_count()} CPUs")
    done = subprocess.run([sys.executable, __file__, "--worker", str(facts), str(out)], check=True,
                          capture_output=True, text=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    results = pl.read_parquet(out)
    counts = dict(results.group_by("status").len().iter_rows())
    print(f"evaluate_policies, file to file: {figures['seconds']:.2f} s for {args.subjects:,} subjects "
          f"(target < {TARGET_SECONDS:.0f} s; {figures['cpu']:.2f} CPU-seconds over both cores), "
          f"peak RSS of the worker {figures['peak_mb']:.0f} MiB")
    print(f"  load average while measuring: {os.getloadavg()[0]:.1f} (other processes slow the wall time)")
    print(f"  {results.height:,} result rows: {counts}")
    sample = min(args.sample, args.subjects)
    naive = naive_seconds(facts, sample)
    extrapolated = naive * args.subjects / sample
    print(f"naive per-row Python (evaluate_subject): {naive:.2f} s for a {sample:,}-row sample, "
          f"extrapolated to {args.subjects:,}: {extrapolated:.0f} s "
          f"({extrapolated / figures['seconds']:.0f}× the batch path)")


if __name__ == "__main__":
    main()
