"""Time to generate the weekly 企情快报 and the monthly 企服简报 over 1,000,000 demands
and 100,000 visits (target: under 10 s each).

    .venv/bin/python bench/briefings.py [--demands 1000000] [--visits 100000]
                                        [--db sqlite postgres] [--runs 3] [--reuse]

Like bench/demand_pages.py, every database is measured in a worker process of its own
(``QIFU_VAR_DIR`` a new directory; for PostgreSQL ``DATABASE_URL`` from ``--pg-url``).
The worker migrates, seeds the reference data, generates 25,000 enterprises, loads the
demands with ``bench/_demands_bulk.py`` (five years, about 200,000 a year), writes the
visits in bulk (two years, one to two enterprises and one to three of 300 cadres each,
one in ten with a problem linked to a demand of its enterprise's kind), and prepares the
monthly figures as the worker does (``cube.rebuild_all``) and trains the classifier the
hot topics use on the seed corpus (a running system has one).  It then makes the issue of the
last finished week and month ``--runs`` times through ``actions.do_request_issue`` (the
path the scheduled job takes: every section, the record ids, the Word file, the
distribution) and prints the median, plus one run's time per section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time

from _common import DEFAULT_PG_URL, machine, migrate, run_worker_process, setup_django, worker_env

TARGET_S = 10.0
ENTERPRISES = 25_000
CADRES = 300
VISIT_DAYS = 730


def main() -> None:
    args = _parse()
    if args.worker:
        print(json.dumps(run_worker(args.db[0], args.demands, args.visits, args.runs)))
        return
    print(f"machine: {machine()}", flush=True)
    results = []
    for db in args.db:
        env, var_dir = worker_env("briefings", db, args.demands, reuse=args.reuse, pg_url=args.pg_url)
        if env is None:
            continue
        command = [sys.executable, __file__, "--worker", "--db", db, "--demands", str(args.demands),
                   "--visits", str(args.visits), "--runs", str(args.runs)]
        results += run_worker_process(command, env, var_dir, keep=args.reuse)
    _print(results, args)


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--db", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL.replace("qifu_bench", "qifu_bench_briefings"))
    parser.add_argument("--reuse", action="store_true", help="Keep the built databases for the next --reuse run.")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def _print(results: list[dict], args) -> None:
    print()
    print(f"{'db':<9}{'demands':>9}{'visits':>8}  {'issue':<8}{'period':<24}{'median s':>9}{'max s':>8}  target")
    for r in results:
        verdict = "met" if r["median"] <= TARGET_S else "MISSED"
        print(f"{r['db']:<9}{args.demands:>9}{args.visits:>8}  {r['kind']:<8}{r['period']:<24}"
              f"{r['median']:>9.2f}{max(r['samples']):>8.2f}  {TARGET_S:.0f} s {verdict}")
    for r in results:
        parts = ", ".join(f"{name} {seconds:.2f}" for name, seconds in r["sections"].items())
        print(f"  {r['db']} {r['kind']} by section (s): {parts}; ids kept {r['ids']:,} in {r['record_sets']} sets")


# --- Worker -------------------------------------------------------------------------------------


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_worker(db: str, demands: int, visits: int, runs: int) -> list[dict]:
    setup_django()
    _build(db, demands, visits)
    from django.utils import timezone

    from briefings import periods

    today = timezone.localdate()
    results = []
    for kind in ("weekly", "monthly"):
        period = periods.last_finished(kind, today)
        results.append(_measure(db, period, runs, today))
    return results


def _measure(db: str, period, runs: int, today: dt.date) -> dict:
    from briefings.actions import do_request_issue
    from briefings.models import BriefingIssue

    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        issue = do_request_issue(period, background=False)
        samples.append(time.perf_counter() - started)
        _log(f"{db} {period.kind} {period.query()}: {samples[-1]:.2f} s")
    issue = BriefingIssue.objects.get(pk=issue.pk)
    return {"db": db, "kind": period.kind, "period": period.query(), "samples": samples,
            "median": statistics.median(samples), "sections": _by_section(period, today),
            "ids": sum(len(r.ids) for r in issue.record_sets.all()), "record_sets": issue.record_sets.count()}


def _by_section(period, today: dt.date) -> dict[str, float]:
    """One more computation of the issue, timing each registered section."""
    from briefings.sections import Context, sections_for

    ctx = Context(period=period, today=today)
    times = {}
    for section in sections_for(period.kind):
        started = time.perf_counter()
        section.build(ctx)
        times[section.key] = time.perf_counter() - started
    return times


def _build(db: str, demands: int, visits: int) -> None:
    from _demands_bulk import load
    from django.db import connection

    from accounts.demo_users import create_demo_users
    from demands import cube
    from demands.models import Demand, MonthFigures
    from enterprises import demo
    from liaisons.models import Visit
    from reference.seeding import seed_reference

    started = time.perf_counter()
    migrate()
    seed_reference()
    existing = Demand.objects.count()
    if existing == demands and Visit.objects.count() == visits:
        _log(f"{db}: reusing the database built before ({demands:,} demands, {visits:,} visits)")
        if not MonthFigures.objects.exists():
            cube.rebuild_all()
        _train_classifier()
        return
    if existing:
        raise RuntimeError(f"The database has {existing} demands, not 0 or {demands}.")
    demo.generate(ENTERPRISES, 2026, demo.DEFAULT_YEARS[-1:], contacts=True)
    create_demo_users()
    _log(f"{db}: {ENTERPRISES:,} enterprises in {time.perf_counter() - started:.0f} s; loading demands")
    load(demands, log=_log)
    _load_visits(visits)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    if not MonthFigures.objects.exists():
        cube.rebuild_all()
    _train_classifier()
    _log(f"{db}: built in {time.perf_counter() - started:.0f} s")


def _train_classifier() -> None:
    """A running system has a trained classifier (the hot topics use its vocabulary); training
    it on a million closed demands is the weekly retraining job's cost, not the briefing's,
    so the bench trains it on the seed corpus only."""
    from intelligence import classifier, training
    from intelligence.actions import do_train_model

    if classifier.load_live() is None:
        started = time.perf_counter()
        do_train_model(training.read_corpus())
        _log(f"classifier trained on the seed corpus in {time.perf_counter() - started:.0f} s")


def _cadres() -> list[int]:
    from accounts.models import Organisation, User

    orgs = list(Organisation.objects.filter(kind__in=(Organisation.Kind.TOWN_WINDOW, Organisation.Kind.DEPARTMENT))
                .values_list("pk", flat=True))
    rng = random.Random(11)
    User.objects.bulk_create([User(username=f"bench_cadre_{i:03d}", display_name=f"干部{i:03d}",
                                   organisation_id=rng.choice(orgs)) for i in range(CADRES)], batch_size=1000)
    return list(User.objects.filter(username__startswith="bench_cadre_").values_list("pk", flat=True))


def _load_visits(count: int, batch: int = 10_000) -> None:
    """Visits over the last two years with their enterprises, cadres and (one in ten) a problem."""
    from django.db import transaction
    from django.utils import timezone

    from demands.models import Demand
    from enterprises.models import Enterprise
    from liaisons.models import Visit, VisitCadre, VisitEnterprise, VisitProblem

    rng = random.Random(5)
    cadres = _cadres()
    enterprises = list(Enterprise.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    started = time.perf_counter()
    top = Demand.objects.order_by("-id").values_list("id", flat=True).first()
    used: set[int] = set()
    for done in range(0, count, batch):
        size = min(batch, count - done)
        with transaction.atomic():
            rows = Visit.objects.bulk_create([
                Visit(visited_on=today - dt.timedelta(days=rng.randrange(1, VISIT_DAYS)), summary="了解企业生产经营情况",
                      recorded_by_id=rng.choice(cadres)) for _ in range(size)], batch_size=2000)
            links, people, problems = [], [], []
            for visit in rows:
                where = rng.sample(enterprises, rng.choice((1, 1, 1, 2)))
                links += [VisitEnterprise(visit_id=visit.pk, enterprise_id=e) for e in where]
                team = {visit.recorded_by_id, *rng.sample(cadres, rng.choice((0, 1, 2)))}
                people += [VisitCadre(visit_id=visit.pk, cadre_id=c) for c in team]
                if rng.random() < 0.1:
                    demand = rng.randrange(1, top)
                    if demand not in used:
                        used.add(demand)
                        problems.append(VisitProblem(visit_id=visit.pk, enterprise_id=where[0], demand_id=demand))
            VisitEnterprise.objects.bulk_create(links, batch_size=5000)
            VisitCadre.objects.bulk_create(people, batch_size=5000)
            VisitProblem.objects.bulk_create(problems, batch_size=5000)
        _log(f"  {done + size:,} visits, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
