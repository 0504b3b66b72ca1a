"""Whole-population policy matching and the check-up with 1,000 active policies.

    .venv/bin/python bench/policy_matching.py [--enterprises 30000] [--policies 1000] [--db sqlite postgres]
                                              [--requests 50] [--sample 200]

For each database the driver starts a worker process on a throwaway database (a
SQLite file in a temporary directory; PostgreSQL ``qifu_bench_policies``, dropped
and created first).  The worker migrates, loads the reference data and the seed
policies, generates ``--enterprises`` demo enterprises (``enterprises.demo``, seed
2026, years 2024–2025, no contacts) and ``--policies`` published policies made by
varying the seed rules P1–P8: thresholds, rates and caps drawn around the seed values
(a Cixi tech-upgrade variant pays 4–12% above 300–1000万 of equipment, a loan
subsidy asks for a balance of 0–3000万, …), each P1 variant paired with a P2 variant
in its own exclusive group.  Then it measures:

(a) ``refresh_matches`` on an empty match table (every subject × every policy,
    written to the table), again with nothing changed, and after 1% of the
    enterprises' figures changed; beside it, the naive path: ``evaluate_subject``
    (the exact per-record Python evaluation) on a sample of subjects, extrapolated.
(b) the check-up of the enterprise with the most projects: ``checkup_for`` and the
    HTTP page ``GET /policies/checkup/`` of its contact (``django.test.Client``, the
    whole request in the same process), ``--requests`` timed runs each after 3
    warm-ups; beside it, the check-up compiling every rule on each call (no cache).

The last line of a worker is JSON; the driver prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time

from _common import machine, migrate, percentile, recreate_postgres, setup_django, worker_env

PG_URL = "postgres://postgres@127.0.0.1:5432/qifu_bench_policies"
MATCH_TARGET, CHECKUP_TARGET = 60.0, 50.0
YEARS = (2024, 2025)
WAN_NUMBER = re.compile(r"(\d+(?:\.\d+)?)万")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")


# --- The 1,000 policies: the seed rules with other parameters.


def _scaled(match: re.Match, factor: float, unit: str, step: float) -> str:
    value = max(step, round(float(match.group(1)) * factor / step) * step)
    return f"{value:g}{unit}"


def vary(rule: dict, rng: random.Random) -> dict:
    """The seed rule with its thresholds, rates and caps drawn around their seed values."""
    def money(text: str, low: float, high: float) -> str:
        return WAN_NUMBER.sub(lambda m: _scaled(m, rng.uniform(low, high), "万", 1), text)

    conditions = []
    for condition in rule.get("conditions", []):
        expression = money(condition["expression"], 0.6, 2.0)
        if expression in ("mlt_loan_avg_daily_balance > 0", "tech_service_spending > 0") and rng.random() < 0.7:  # "has loans" becomes "a balance of at least …"
            expression = expression[:-3] + f">= {rng.choice([50, 100, 300, 500, 1000, 3000])}万"
        conditions.append({**condition, "expression": expression})
    amount = PERCENT.sub(lambda m: _scaled(m, rng.uniform(0.5, 1.5), "%", 0.5), rule.get("amount") or "")
    cap = money(rule.get("cap") or "", 0.5, 2.0)
    return {"conditions": conditions, "amount": amount, "cap": cap}


def create_policies(count: int, seed: int = 7) -> int:
    """``count`` published policies (bulk-created: this is set-up, not what is measured)."""
    from django.utils import timezone

    from policies.models import Policy, PolicyVersion
    from policies.rules import compile_rule
    from policies.seeding import load_seed

    rng, items, now = random.Random(seed), load_seed(), timezone.now()
    policies, rules = [], []
    for index in range(count):
        item, variant = items[index % len(items)], index // len(items)
        rule = vary(item["rule"], rng)
        group = f"{item['exclusive_group']}-{variant}" if item.get("exclusive_group") else ""
        compile_rule(item["code"], rule["conditions"], rule["amount"] or None, rule["cap"] or None)  # must read
        policies.append(Policy(code=f"gen-{index:04d}-{item['code']}"[:60], title=f"{item['title']}（变体 {variant}）",
                               level=item.get("level", "county"), subject_kind=item["subject_kind"],
                               exclusive_group=group, is_monetary=item.get("is_monetary", True),
                               sort_order=100 + index))
        rules.append(rule)
    Policy.objects.bulk_create(policies, batch_size=500)
    saved = {p.code: p for p in Policy.objects.filter(code__startswith="gen-")}
    PolicyVersion.objects.bulk_create(
        [PolicyVersion(policy=saved[p.code], number=1, conditions=r["conditions"], amount_formula=r["amount"],
                       cap_expression=r["cap"], status=PolicyVersion.Status.PUBLISHED, published_at=now)
         for p, r in zip(policies, rules, strict=True)],
        batch_size=500,
    )
    return count


# --- The worker.


def worker(db: str, enterprises: int, policies: int, requests: int, sample: int) -> None:
    setup_django()
    import io

    from django.core.management import call_command

    from enterprises import demo
    from reference.seeding import seed_reference

    started = time.perf_counter()
    migrate()
    seed_reference()
    call_command("seed_policies", stdout=io.StringIO())
    stats = demo.generate(enterprises, 2026, YEARS, contacts=False)
    create_policies(policies - 8)  # the eight seed policies are active too
    setup = time.perf_counter() - started
    print(f"[{db}] set-up {setup:.0f} s: {stats['enterprises']} enterprises, {stats['projects']} projects",
          file=sys.stderr, flush=True)
    result = {"db": db, "setup_s": setup, **_matching(sample), **_checkup(requests)}
    print(json.dumps(result))


def _matching(sample: int) -> dict:
    from django.db import connection

    from enterprises.models import YearFigures
    from policies.matching import refresh_matches
    from policies.models import PolicyMatch, PolicyVersion
    from policies.rules import evaluate_subject
    from policies.subjects import facts_frame

    year = max(YEARS)
    started, started_cpu = time.perf_counter(), time.process_time()
    first = refresh_matches(year)
    full, full_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    rows = PolicyMatch.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE policies_policymatch")
    started = time.perf_counter()
    refresh_matches(year)
    unchanged = time.perf_counter() - started
    ids = list(YearFigures.objects.filter(year=year).order_by("id").values_list("id", flat=True)[::100])
    YearFigures.objects.filter(id__in=ids).update(tax_paid_fen=123_456_789)
    started = time.perf_counter()
    changed_counts = refresh_matches(year)
    changed = time.perf_counter() - started
    print(f"[matching] full {full:.1f} s ({rows:,} rows), unchanged {unchanged:.1f} s, "
          f"1% changed {changed:.1f} s", file=sys.stderr, flush=True)
    # The vectorised evaluation alone (what the naive path below is compared with: no writing).
    import polars as pl

    from enterprises.models import Project
    from policies.matching import _evaluate

    started = time.perf_counter()
    frame = facts_frame(year)
    frame = frame.with_columns(pl.lit("").alias("_hash"))
    versions = list(PolicyVersion.objects.filter(status="published").select_related("policy"))
    owners = dict(Project.objects.filter(year=year).values_list("pk", "enterprise_id"))
    vector_rows = _evaluate(versions, frame, owners).height
    vector = time.perf_counter() - started
    # The naive path: every rule on one subject at a time, in Python.
    rules = [v.compile() for v in PolicyVersion.objects.filter(status="published").select_related("policy")]
    frame = facts_frame(year)
    subjects = frame.to_dicts()
    step = max(len(subjects) // sample, 1)
    chosen = subjects[::step][:sample]
    started = time.perf_counter()
    for facts in chosen:
        evaluate_subject([r for r in rules if r.applies_to(facts)], facts)
    naive = (time.perf_counter() - started) * len(subjects) / len(chosen)
    return {"subjects": first["subjects"], "versions": first["versions"], "rows": rows, "full_s": full,
            "full_cpu_s": full_cpu,
            "unchanged_s": unchanged, "changed_s": changed, "changed_subjects": changed_counts["changed_subjects"],
            "changed_written": changed_counts["written"], "naive_s": naive, "naive_sample": len(chosen),
            "vector_s": vector, "vector_rows": vector_rows}


def _checkup(requests: int) -> dict:
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.models import Role, User
    from enterprises.models import Enterprise
    from policies import checkup

    enterprise = Enterprise.objects.annotate(n=Count("projects")).order_by("-n", "id").first()
    contact = User.objects.create(username="bench_contact", enterprise=enterprise)
    contact.roles.set([Role.objects.get(code=Role.Code.ENTERPRISE_CONTACT)])
    timings = {}
    for name, call in (("function", lambda: checkup.checkup_for(enterprise)),):
        timings[name] = _timed(call, requests)
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(contact)

        def page():
            response = client.get("/policies/checkup/")
            assert response.status_code == 200, response.status_code

        timings["page"] = _timed(page, requests)
    timings["uncached"] = _timed(lambda: _uncached_checkup(enterprise), max(requests // 5, 5))
    found = checkup.checkup_for(enterprise)
    return {"checkup_projects": enterprise.projects.count(), "checkup_findings":
            len(found.eligible) + len(found.unknown) + len(found.ineligible) + len(found.closed),
            **{f"{name}_{stat}": value for name, t in timings.items() for stat, value in t.items()}}


def _uncached_checkup(enterprise):
    from policies import checkup
    from policies.rules import compiled

    compiled.compile_cached.cache_clear()
    checkup._LIBRARY.clear()
    return checkup.checkup_for(enterprise)


def _timed(call, runs: int) -> dict:
    for _ in range(3):
        call()
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
            "cpu_p50_ms": percentile(cpu, 50), "cpu_p95_ms": percentile(cpu, 95)}


# --- The driver.


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=30_000)
    parser.add_argument("--policies", type=int, default=1_000)
    parser.add_argument("--db", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.enterprises, args.policies, args.requests, args.sample)
    print(machine(), flush=True)
    from _common import run_worker_process

    results = []
    for db in args.db:
        env, var_dir = worker_env("policies", db, args.enterprises, reuse=False, pg_url=PG_URL)
        if env is None:
            continue
        command = [sys.executable, os.path.abspath(__file__), "--worker", db, "--enterprises", str(args.enterprises),
                   "--policies", str(args.policies), "--requests", str(args.requests), "--sample", str(args.sample)]
        results += [run_worker_process(command, env, var_dir, keep=False)]
        if db == "postgres":
            recreate_postgres(PG_URL)  # leave an empty database behind, not 30,000 enterprises
    for r in results:
        if not r:
            continue
        print(f"\n{r['db']}: {r['subjects']:,} subjects × {r['versions']:,} published versions (set-up {r['setup_s']:.0f} s)")
        verdict = "met" if r["full_s"] < MATCH_TARGET else "MISSED"
        print(f"  (a) full refresh into the match table: {r['full_s']:.1f} s wall ({r['full_cpu_s']:.1f} s CPU in the "
              f"worker), {r['rows']:,} rows (target < {MATCH_TARGET:.0f} s: {verdict})")
        print(f"      nothing changed: {r['unchanged_s']:.1f} s; 1% of the figures changed: {r['changed_s']:.1f} s "
              f"({r['changed_subjects']:,} subjects re-evaluated, {r['changed_written']:,} rows written)")
        print(f"      evaluation alone (facts from the database, vectorised, no writing): {r['vector_s']:.1f} s "
              f"for {r['vector_rows']:,} rows; naive per-record Python (evaluate_subject, no writing): "
              f"{r['naive_s']:.0f} s extrapolated from {r['naive_sample']} subjects "
              f"({r['naive_s'] / r['vector_s']:.0f}× the vectorised evaluation)")
        verdict = "met" if r["function_p95_ms"] < CHECKUP_TARGET and r["page_p95_ms"] < CHECKUP_TARGET else "MISSED"
        print(f"  (b) check-up of an enterprise with {r['checkup_projects']} projects ({r['checkup_findings']} "
              f"findings): function p50 {r['function_p50_ms']:.1f} ms, p95 {r['function_p95_ms']:.1f} ms; "
              f"page p50 {r['page_p50_ms']:.1f} ms, p95 {r['page_p95_ms']:.1f} ms "
              f"(target p95 < {CHECKUP_TARGET:.0f} ms: {verdict})")
        print(f"      CPU time of the same runs: function p50 {r['function_cpu_p50_ms']:.1f} ms, "
              f"p95 {r['function_cpu_p95_ms']:.1f} ms; page p50 {r['page_cpu_p50_ms']:.1f} ms, "
              f"p95 {r['page_cpu_p95_ms']:.1f} ms")
        print(f"      without the caches (loading and compiling all 1,000 rules on each call, as before): "
              f"p50 {r['uncached_p50_ms']:.1f} ms, p95 {r['uncached_p95_ms']:.1f} ms")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
