"""Server time of the demand pages at 1,000,000 demands: workbench, demand page, dashboard.

    .venv/bin/python bench/demand_pages.py [--demands 1000000] [--db sqlite postgres]
                                           [--requests 30] [--explain] [--reuse]

For every database the driver starts a worker process of this script with
``QIFU_VAR_DIR`` (a new temporary directory) and, for PostgreSQL, ``DATABASE_URL``
(``--pg-url``, dropped and created afresh).  The worker migrates, seeds the reference
data, generates 25,000 enterprises with ``enterprises.demo`` and loads the demands
with ``bench/_demands_bulk.py`` (the rows of ``demands.demo``: texts, channels, lead
units, statuses and deadlines in working days, with their event histories; spread
over five years, so a year holds about 200,000).  PostgreSQL gets VACUUM ANALYZE
after the load.  Each scenario is timed through ``django.test.Client`` (middleware,
session, queries, template): 2 warm-up requests, then ``--requests`` timed ones.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

from _common import DEFAULT_PG_URL, machine, migrate, percentile, run_worker_process, setup_django, worker_env

TARGET_MS = 200
ENTERPRISES = 25_000
USERS = (
    ("city window", "chuangkou"),
    ("town window", "zhouxiang"),
    ("department", "bumen"),
    ("supervisor", "jiandu"),
)


def scenarios(year: int) -> tuple:
    """(label, path or None for the demand page, query)."""
    return (
        ("workbench", "/demands/", {}),
        ("queue overdue", "/demands/", {"queue": "overdue"}),
        ("filter cat+year", "/demands/", {"category": "utilities", "period": str(year), "queue": "all"}),
        ("filter town+state", "/demands/", {"town": "zhouxiang", "state": "late", "queue": "all"}),
        ("search number", "/demands/", {"q": f"SQ{year}D00001", "queue": "all"}),
        ("page 20 of all", "/demands/", {"queue": "all", "page": "20"}),
        ("demand page", None, {}),
        ("dashboard year", "/demands/figures/", {"period": str(year)}),
        ("dashboard month", "/demands/figures/", {"period": f"{year}-06"}),
    )


def main() -> None:
    args = _parse()
    if args.worker:
        print(json.dumps(run_worker(args.db[0], args.demands, args.requests, args.explain)))
        return
    print(f"machine: {machine()}", flush=True)
    results = []
    for db in args.db:
        results += _run_in_subprocess(db, args)
    _print_table(results, args.demands)


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--db", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL.replace("qifu_bench", "qifu_bench_demands"))
    parser.add_argument("--explain", action="store_true", help="Print the slowest query of each scenario with its plan.")
    parser.add_argument("--reuse", action="store_true", help="Keep the built databases for the next --reuse run.")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def _run_in_subprocess(db: str, args: argparse.Namespace) -> list[dict]:
    env, var_dir = worker_env("demands", db, args.demands, reuse=args.reuse, pg_url=args.pg_url)
    if env is None:
        return []
    command = [sys.executable, __file__, "--worker", "--db", db, "--demands", str(args.demands),
               "--requests", str(args.requests)] + ["--explain"] * args.explain
    return run_worker_process(command, env, var_dir, keep=args.reuse)


def _print_table(results: list[dict], size: int) -> None:
    print()
    print(f"{'db':<9}{'demands':>9}  {'user':<12} {'scenario':<18}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}")
    for r in results:
        print(f"{r['db']:<9}{size:>9}  {r['user']:<12} {r['scenario']:<18}"
              f"{r['p50']:>9.1f}{r['p95']:>9.1f}{r['cpu_p50']:>9.1f}")
    for db in sorted({r["db"] for r in results}):
        for kind in ("workbench", "demand page", "dashboard"):
            samples = [ms for r in results if r["db"] == db and _kind(r["scenario"]) == kind for ms in r["samples"]]
            if samples:
                p95 = percentile(samples, 95)
                print(f"overall {db} {kind}: p50 {percentile(samples, 50):.1f} ms, p95 {p95:.1f} ms "
                      f"(target {TARGET_MS} ms: {'met' if p95 <= TARGET_MS else 'MISSED'})")


def _kind(scenario: str) -> str:
    if scenario == "demand page":
        return scenario
    return "dashboard" if scenario.startswith("dashboard") else "workbench"


# --- Worker: build the database, then time the requests.


def run_worker(db: str, size: int, requests: int, explain: bool) -> list[dict]:
    setup_django()
    users = _build(db, size)
    _prepare_figures()
    from django.test import Client
    from django.utils import timezone

    from demands import cube

    year = timezone.localdate().year
    results = []
    for user_label, username in USERS:
        client = Client()
        client.force_login(users[username])
        ids = _visible_ids(users[username], requests + 2)
        for scenario, path, params in scenarios(year):
            paths = [f"/demands/{i}/" for i in ids] if path is None else [path] * (requests + 2)
            samples, cpu = _time(client, paths, params)
            if explain:
                _explain(client, paths[0], params, f"{db} {username} {scenario}")
            results.append(_result(db, user_label, scenario, samples, cpu))
        # In office hours the current month keeps changing: the dashboard counts it from the demands.
        cube.mark_stale(timezone.now())
        samples, cpu = _time(client, ["/demands/figures/"] * (requests + 2), {"period": str(year)})
        results.append(_result(db, user_label, "dashboard year, month live", samples, cpu))
        cube.refresh_stale()
    return results


def _result(db: str, user_label: str, scenario: str, samples: list[float], cpu: list[float]) -> dict:
    return {"db": db, "user": user_label, "scenario": scenario, "samples": samples,
            "p50": percentile(samples, 50), "p95": percentile(samples, 95), "cpu_p50": percentile(cpu, 50)}


def _prepare_figures() -> None:
    """Build the dashboard's monthly figures the way the worker does (timed: it is a figure too)."""
    from demands import cube
    from demands.models import MonthFigures

    started = time.perf_counter()
    months = cube.rebuild_all() if not MonthFigures.objects.exists() else cube.refresh_stale()
    _log(f"monthly figures: {months} months prepared in {time.perf_counter() - started:.1f} s, "
         f"{MonthFigures.objects.count():,} rows")


def _build(db: str, size: int) -> dict:
    from _demands_bulk import load
    from django.db import connection

    from accounts.demo_users import create_demo_users
    from accounts.models import User
    from demands.models import Demand
    from enterprises import demo
    from reference.seeding import seed_reference

    started = time.perf_counter()
    migrate()
    seed_reference()
    existing = Demand.objects.count()
    if existing == size:
        _log(f"{db}: reusing the database built before ({size:,} demands)")
    elif existing:
        raise RuntimeError(f"The database has {existing} demands, not 0 or {size}.")
    else:
        demo.generate(ENTERPRISES, 2026, demo.DEFAULT_YEARS[-1:], contacts=True)
        create_demo_users()
        _log(f"{db}: {ENTERPRISES:,} enterprises in {time.perf_counter() - started:.0f} s; loading demands")
        stats = load(size, log=_log)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        _log(f"{db}: {stats['demands']:,} demands and {stats['events']:,} events loaded in {stats['seconds']:.0f} s "
             f"({stats['demands'] / stats['seconds']:,.0f} demands/s); built in {time.perf_counter() - started:.0f} s")
    return {user.username: user for user in User.objects.filter(username__in=[u for _l, u in USERS])}


def _visible_ids(user, count: int) -> list[int]:
    """Random demands of the user's scope, the same on every run."""
    from demands.access import visible_demands

    top = visible_demands(user).order_by("-id").values_list("id", flat=True).first() or 0
    rng, ids = random.Random(7), []
    scoped = visible_demands(user)
    while len(ids) < count:
        found = scoped.filter(id__gte=rng.randint(1, top)).order_by("id").values_list("id", flat=True).first()
        if found:
            ids.append(found)
    return ids


def _time(client, paths: list[str], params: dict) -> tuple[list[float], list[float]]:
    samples, cpu = [], []
    for attempt, path in enumerate(paths):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path, params)
        elapsed, cpu_elapsed = time.perf_counter() - started, time.process_time() - cpu_started
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} {params} answered {response.status_code}")
        if attempt >= 2:
            samples.append(round(elapsed * 1000, 2))
            cpu.append(round(cpu_elapsed * 1000, 2))
    return samples, cpu


def _explain(client, path: str, params: dict, label: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path, params)
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:2]
    _log(f"\n=== {label}: {len(captured.captured_queries)} queries")
    for query in queries:
        _log(f"--- {float(query['time']) * 1000:.1f} ms: {query['sql'][:1500]}")
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
        with connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])
            _log("\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall()))


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
