"""Per-mu evaluation speed: the vectorised engine on 30,000 and 3,000,000 enterprises (target: 3,000,000 under 30 s).

Usage: ``.venv/bin/python bench/evaluation.py [--sizes 30000 3000000] [--repeat 3] [--database 30000]``

For each size a synthetic facts frame is generated (seeded, deterministic) with the shapes
of the demo registry: about 10% above-scale, 40% tenants with no land of their own, 4%
land not on file, lognormal tax/value added/revenue, 8% of each other figure missing, 3%
sub-letting.  The Cixi 2025 scheme (evaluation/data/cixi_2025.yaml: four groups, a
percentile group, missing-data rules, a deduction) is applied with ``evaluation.engine.evaluate``;
times are wall-clock seconds (best and median of ``--repeat`` runs) beside the peak
resident memory of the process.  The per-row Python work of storing (the calculation JSON
of each result) is timed on the first size, since it is what a real round adds on top.

``--database N`` also times a whole round in a fresh SQLite database (``do_start_round``:
read the registry, evaluate, write N results with their calculations) after generating N
demo enterprises with ``enterprises.demo`` (this takes a few minutes).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

from _common import fresh_var_dir, machine, migrate, setup_django


def synthetic_facts(n: int, seed: int = 2026):
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    above = rng.random(n) < 0.10
    land = np.round(rng.lognormal(1.0, 0.9, n) * np.where(above, 6, 1), 2)
    land = np.where(rng.random(n) < 0.40, 0.0, land)
    tax = rng.lognormal(3.0, 1.2, n) * np.where(above, 20, 1) * 1e6
    value_added = tax * rng.uniform(3, 8, n)
    revenue = value_added * rng.uniform(3, 6, n)

    def maybe(values, share=0.08):
        return pl.Series(values).set(pl.Series(rng.random(n) < share), None)

    return pl.DataFrame({
        "enterprise_id": np.arange(1, n + 1), "above_scale": above,
        "land_area_mu": pl.Series(land).set(pl.Series(rng.random(n) < 0.04), None),
        "tax_paid_fen": maybe(tax.astype("int64")), "value_added_fen": maybe(value_added.astype("int64")),
        "revenue_fen": pl.Series(revenue.astype("int64")),
        "energy_tce": maybe(np.round(value_added / 1e6 / rng.uniform(4, 15, n), 2)),
        "emissions_t": maybe(np.round(value_added / 1e6 / rng.uniform(300, 900, n), 3)),
        "rd_spending_fen": maybe((revenue * rng.uniform(0, 0.05, n)).astype("int64"), 0.3),
        "employees": maybe(np.maximum(3, rng.lognormal(3.2, 0.8, n)).astype("int64")),
        "sublet_tenants": np.where(rng.random(n) < 0.03, rng.integers(1, 5, n), 0),
    })


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine_figures(sizes: list[int], repeat: int) -> None:
    from evaluation.engine import evaluate
    from evaluation.schemes import parse_scheme
    from evaluation.seeding import load
    from evaluation.storing import result_fields

    scheme = parse_scheme(load("cixi_2025.yaml")["definition"])
    for n in sizes:
        started = time.perf_counter()
        facts = synthetic_facts(n)
        generated = time.perf_counter() - started
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            out = evaluate(facts, scheme)
            times.append(time.perf_counter() - started)
        classes = dict(out.group_by("klass").len().sort("klass").iter_rows())
        print(f"{n:>10,} enterprises: evaluate best {min(times):6.2f} s, median {statistics.median(times):6.2f} s "
              f"({n / min(times):,.0f}/s; facts generated in {generated:.1f} s); classes {classes}; "
              f"peak memory {peak_mb():,.0f} MB", flush=True)
        if n == sizes[0]:
            started = time.perf_counter()
            rows = [result_fields(row, scheme) for row in out.iter_rows(named=True)]
            spent = time.perf_counter() - started
            print(f"{'':>10}  building {len(rows):,} stored results with their calculation: {spent:.2f} s "
                  f"({len(rows) / spent:,.0f}/s)", flush=True)


def database_round(n: int) -> None:
    os.environ["QIFU_VAR_DIR"] = fresh_var_dir("bench-evaluation")
    os.environ.pop("DATABASE_URL", None)
    setup_django()
    migrate()
    from accounts.models import Role, User
    from enterprises import demo
    from evaluation import actions
    from evaluation.seeding import load
    from reference.seeding import seed_reference

    seed_reference()
    started = time.perf_counter()
    demo.generate(n, 2026, [2025], contacts=False, projects=False)
    print(f"generated {n:,} demo enterprises in {time.perf_counter() - started:.0f} s", flush=True)
    manager = User.objects.create(username="bench_manager")
    manager.roles.set([Role.objects.get(code=Role.Code.SUPERVISOR)])
    data = load("cixi_2025.yaml")
    scheme = actions.do_create_scheme(acting_user=manager, year=2025, name=data["name"], definition=data["definition"])
    started = time.perf_counter()
    round_ = actions.do_start_round(scheme, acting_user=manager)
    print(f"round on SQLite: {round_.results.count():,} results read, evaluated and stored in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    from django.db.models import F

    from enterprises.models import YearFigures

    corrected = list(YearFigures.objects.filter(year=2025).values_list("pk", flat=True)[::100])
    YearFigures.objects.filter(pk__in=corrected).update(tax_paid_fen=F("tax_paid_fen") * 11 / 10)
    started = time.perf_counter()
    actions.do_recompute(round_, acting_user=manager)
    print(f"computed again after correcting {len(corrected):,} enterprises' tax (changed results rewritten): "
          f"{time.perf_counter() - started:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 3_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", type=int, default=0, help="Also time a stored round of N demo enterprises.")
    args = parser.parse_args()
    print(machine(), flush=True)
    if args.database:
        database_round(args.database)
        return
    os.environ.setdefault("QIFU_VAR_DIR", fresh_var_dir("bench-evaluation"))
    setup_django()
    engine_figures(args.sizes, args.repeat)


if __name__ == "__main__":
    main()
