"""Server time of the enterprise list (GET /enterprises/) at 25,000 and 300,000 enterprises.

    .venv/bin/python bench/enterprise_list.py [--sizes 25000 300000] [--db sqlite postgres]
                                              [--requests 30] [--explain]

For every (database, size) the driver starts a worker process of this script with
``QIFU_VAR_DIR`` (a new temporary directory) and, for PostgreSQL, ``DATABASE_URL``
set, because Django reads its settings once per process.  The worker migrates,
seeds the reference data, generates the enterprises with ``enterprises.demo`` (at
300,000 only one year of figures and no contacts, to save time; tags are kept),
then times each scenario through ``django.test.Client`` as a city-wide window clerk
and as a town window clerk: 2 warm-up requests, then ``--requests`` timed ones.

PostgreSQL (``--pg-url``, default postgres://postgres@127.0.0.1:5432/qifu_bench) is
dropped and created afresh; when it is unreachable it is skipped with a note.
PostgreSQL gets VACUUM ANALYZE after the load, as autovacuum does shortly after an
import (the visibility map lets counts use index-only scans); SQLite gets no
ANALYZE, as a deployment never runs it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time

from _common import DEFAULT_PG_URL, machine, migrate, percentile, run_worker_process, setup_django, worker_env

TARGET_MS = 150  # p95 target at 300,000 enterprises
FULL_DATA_UP_TO = 50_000  # above this: one year of figures, no contacts
SCENARIOS = (
    ("no filter", {}),
    ("town", {"town": "zhouxiang"}),
    ("group + size", {"group": "home_appliances", "size": "small"}),
    ("tag", {"tag": "high_tech"}),
    ("text 电器", {"q": "电器"}),
    ("initials cxdq", {"q": "cxdq"}),
    ("code prefix", {"q": "9133028273"}),
    ("page 50 of filter", {"group": "home_appliances", "page": "50"}),
)
USERS = (("city window", "chuangkou"), ("town window", "zhouxiang"))


# --- Driver: one worker process per database configuration.


def main() -> None:
    args = _parse()
    if args.worker:
        print(json.dumps(run_worker(args.db[0], args.sizes[0], args.requests, args.explain)))
        return
    print(f"machine: {machine()}", flush=True)
    results = []
    for db in args.db:
        for size in args.sizes:
            results += _run_in_subprocess(db, size, args)
    _print_table(results)


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 300_000])
    parser.add_argument("--db", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per scenario and user.")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--explain", action="store_true", help="Print the SQL and query plans of each scenario.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep the built databases (under the temp dir; PostgreSQL as qifu_bench_<size>) and reuse them "
        "on the next run with --reuse: for iterating on a fix, not for the figures of record.",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def _run_in_subprocess(db: str, size: int, args: argparse.Namespace) -> list[dict]:
    env, var_dir = worker_env("list", db, size, reuse=args.reuse, pg_url=args.pg_url)
    if env is None:
        return []
    command = [sys.executable, __file__, "--worker", "--db", db, "--sizes", str(size), "--requests", str(args.requests)]
    return run_worker_process(command + ["--explain"] * args.explain, env, var_dir, keep=args.reuse)


def _print_table(results: list[dict]) -> None:
    print()
    print(f"{'db':<9}{'size':>8}  {'user':<12} {'scenario':<19}{'rows':>7}{'p50 ms':>9}{'p95 ms':>9}{'cpu p50':>9}")
    for r in results:
        print(
            f"{r['db']:<9}{r['size']:>8}  {r['user']:<12} {r['scenario']:<19}{r['rows']:>7}"
            f"{r['p50']:>9.1f}{r['p95']:>9.1f}{r['cpu_p50']:>9.1f}"
        )
    for db in sorted({r["db"] for r in results}):
        for size in sorted({r["size"] for r in results if r["db"] == db}):
            samples = [ms for r in results if (r["db"], r["size"]) == (db, size) for ms in r["samples"]]
            verdict = f" (target {TARGET_MS} ms: {'met' if percentile(samples, 95) <= TARGET_MS else 'MISSED'})"
            print(
                f"overall {db} {size}: p50 {percentile(samples, 50):.1f} ms, p95 {percentile(samples, 95):.1f} ms"
                + (verdict if size >= 300_000 else "")
            )


# --- Worker: build the database, then time the requests.


def run_worker(db: str, size: int, requests: int, explain: bool) -> list[dict]:
    setup_django()
    users = _build(db, size)
    from django.test import Client

    results = []
    for user_label, username in USERS:
        client = Client()
        client.force_login(users[username])
        for scenario, params in SCENARIOS:
            samples, cpu, rows = _time_scenario(client, params, requests)
            if explain:
                _explain(users[username], scenario, params)
            results.append(
                {
                    "db": db,
                    "size": size,
                    "user": user_label,
                    "scenario": scenario,
                    "rows": rows,
                    "p50": percentile(samples, 50),
                    "p95": percentile(samples, 95),
                    "cpu_p50": percentile(cpu, 50),
                    "samples": samples,
                }
            )
    return results


def _build(db: str, size: int) -> dict:
    """Migrate, seed and generate; return the demo users by username."""
    from django.db import connection

    from accounts.demo_users import create_demo_users
    from accounts.models import User
    from enterprises import demo
    from enterprises.models import Enterprise
    from reference.seeding import seed_reference

    started = time.perf_counter()
    migrate()
    seed_reference()
    existing = Enterprise.objects.count()
    if existing == size:  # a database kept by --reuse
        _log(f"{db} {size}: reusing the database built before")
    elif existing:
        raise RuntimeError(f"The database has {existing} enterprises, not 0 or {size}.")
    else:
        full = size <= FULL_DATA_UP_TO
        stats = demo.generate(size, 2026, demo.DEFAULT_YEARS if full else demo.DEFAULT_YEARS[-1:], contacts=full)
        create_demo_users()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        _log(f"{db} {size}: built in {time.perf_counter() - started:.0f} s ({stats['seconds']:.0f} s generating)")
    return {user.username: user for user in User.objects.filter(username__in=[u for _l, u in USERS])}


def _time_scenario(client, params: dict, requests: int) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds of each timed request, and the row count shown.

    CPU time is this process's only (Django, and SQLite which runs inside it; not
    the PostgreSQL server): on a shared machine it shows what waiting for a core added.
    """
    samples, cpu = [], []
    for attempt in range(requests + 2):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get("/enterprises/", params)
        elapsed, cpu_elapsed = time.perf_counter() - started, time.process_time() - cpu_started
        if response.status_code != 200:
            raise RuntimeError(f"GET /enterprises/ {params} answered {response.status_code}")
        if attempt >= 2:
            samples.append(round(elapsed * 1000, 2))
            cpu.append(round(cpu_elapsed * 1000, 2))
    return samples, cpu, _result_count(response.content.decode())


def _result_count(html: str) -> int:
    """The number in the page's result line ("1,234 enterprises found", in any language)."""
    line = re.search(r'id="result-count">(.*?)</div>', html, re.S)
    digits = re.sub(r"[^0-9]", "", line.group(1)) if line else ""
    return int(digits) if digits else -1


def _explain(user, scenario: str, params: dict) -> None:
    """The SQL the list runs for this scenario, each with its time and query plan."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        client.get("/enterprises/", params)
    _log(f"\n=== {connection.vendor} {user.username} {scenario} {params}")
    for query in captured.captured_queries:
        if "enterprises_enterprise" in query["sql"]:
            _log(f"--- {float(query['time']) * 1000:.1f} ms: {query['sql']}")
            _log(_plan(connection, query["sql"]))


def _plan(connection, sql: str) -> str:
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" ".join(str(cell) for cell in row) for row in cursor.fetchall())


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
