"""Re-matching time of the markets: 30,000 financing needs × 1,000 products, and 10,000
factory-space listings (5,000 wanted × 5,000 offered).

    .venv/bin/python bench/markets_matching.py [--needs 30000] [--products 1000] [--space 10000] [--db sqlite|postgres]

The script builds a fresh database (SQLite in a temporary directory, or
``qifu_bench_markets`` on the local PostgreSQL), bulk-creates deterministic listings
(random.Random(2026)), then times ``markets.actions.full_rematch`` — the scheduled job:
load the live listings into numpy, score every pair in chunks, keep the best per need,
write the difference to the Match table and bring the needs' status in line — three
times per market:

* first: every pair is new (the bulk insert dominates);
* again: nothing changed (read, score, compare);
* after a change: 10% of the offers changed their terms.

"compute" is loading and scoring alone (no writes).  Target: under 5 s per re-match.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import time

from _common import DEFAULT_PG_URL, fresh_var_dir, machine, migrate, recreate_postgres, setup_django

TARGET_SECONDS = 5.0
WAN = 1_000_000


def build_finance(rng: random.Random, needs: int, products: int) -> None:
    from accounts.models import Organisation
    from enterprises.models import Enterprise
    from markets.models import Collateral, FinancialProduct, FinancingNeed, ProductKind, Purpose
    from reference.models import Town

    towns = list(Town.objects.all())
    sizes = ["small", "micro", "medium", "unknown"]
    Enterprise.objects.bulk_create([
        Enterprise(credit_code=f"BENCH{i:013d}", name=f"基准企业{i}", town=towns[i % len(towns)],
                   size_class=sizes[i % 4]) for i in range(2000)], batch_size=1000)
    enterprise_ids = list(Enterprise.objects.values_list("pk", flat=True))
    banks = list(Organisation.objects.filter(kind=Organisation.Kind.BANK))
    purposes, collateral = Purpose.values, Collateral.values
    FinancialProduct.objects.bulk_create([_product(rng, i, banks, purposes, collateral, ProductKind.values)
                                          for i in range(products)], batch_size=1000)
    expires = dt.date.today() + dt.timedelta(days=365)
    FinancingNeed.objects.bulk_create([
        FinancingNeed(number=f"B{i:09d}", enterprise_id=rng.choice(enterprise_ids),
                      amount_fen=rng.choice((30, 50, 100, 200, 300, 500, 800, 1500)) * WAN,
                      term_months=rng.choice((3, 6, 12, 24, 36, 60)), purpose=rng.choice(purposes),
                      collateral=rng.choice(collateral), urgency="normal", contact_name="x", contact_phone="1",
                      expires_on=expires) for i in range(needs)], batch_size=2000)


def _product(rng, i, banks, purposes, collateral, kinds):
    from markets.models import FinancialProduct

    low = rng.choice((10, 50, 100, 300))
    return FinancialProduct(
        organisation=banks[i % len(banks)], name=f"产品{i}", kind=kinds[i % len(kinds)], min_amount_fen=low * WAN,
        max_amount_fen=low * rng.choice((5, 10, 20)) * WAN, min_term_months=1, max_term_months=rng.choice((12, 36, 84)),
        min_rate_bp=350, max_rate_bp=550, purposes=rng.sample(purposes, 2), collateral=rng.sample(collateral, 2),
        sizes=rng.choice(([], ["small", "micro"], ["medium"])))


def build_space(rng: random.Random, listings: int) -> None:
    from markets.models import SpaceListing
    from reference.models import Town

    towns = list(Town.objects.all())
    expires = dt.date.today() + dt.timedelta(days=365)
    rows = []
    for i in range(listings):
        supply = i % 2 == 0
        area = rng.choice((300, 500, 800, 1200, 2000, 3000, 5000))
        price = rng.choice((1000, 1500, 2000, 2500))
        rows.append(SpaceListing(
            number=f"S{i:09d}", side="supply" if supply else "demand", deal=rng.choice(("rent", "rent", "sale")),
            title="厂房", town=rng.choice(towns) if supply or i % 3 else None, area_min_m2=area if supply else area // 2,
            area_max_m2=area, floor_min=1, floor_max=rng.choice((1, 3)), height_m=rng.choice((5, 6, 8)),
            load_kg_m2=rng.choice((500, 1000, 1500)), power_kva=rng.choice((100, 200, 400)),
            price_min_fen=price if supply else None, price_max_fen=price, contact_name="x", contact_phone="1",
            expires_on=expires))
    SpaceListing.objects.bulk_create(rows, batch_size=2000)


def change_offers(market: str, rng: random.Random) -> None:
    from markets.models import FinancialProduct, SpaceListing

    if market == "finance":
        ids = list(FinancialProduct.objects.values_list("pk", flat=True))
        FinancialProduct.objects.filter(pk__in=rng.sample(ids, len(ids) // 10)).update(max_amount_fen=3000 * WAN)
    else:
        ids = list(SpaceListing.objects.filter(side="supply").values_list("pk", flat=True))
        SpaceListing.objects.filter(pk__in=rng.sample(ids, len(ids) // 10)).update(price_min_fen=900)


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def compute_only(market: str) -> tuple[float, int]:
    from markets import matching
    from markets.criteria import RULES
    from markets.frames import LOADERS

    def run():
        needs, offers = (load() for load in LOADERS[market])
        return len(matching.find_pairs(RULES[market], needs, offers, top=RULES[market].top))

    return timed(run)


def measure(market: str, rng: random.Random) -> list[tuple[str, float, str]]:
    from markets import actions
    from markets.models import Match

    rows = []
    seconds, pairs = compute_only(market)
    rows.append(("compute", seconds, f"{pairs:,} pairs"))
    for label in ("first", "again", "after a change"):
        if label == "after a change":
            change_offers(market, rng)
        seconds, new = timed(actions.full_rematch, market)
        current = Match.objects.filter(market=market, is_current=True).count()
        rows.append((label, seconds, f"{new:,} new, {current:,} current"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=30_000)
    parser.add_argument("--products", type=int, default=1_000)
    parser.add_argument("--space", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    if args.db == "postgres":
        url = DEFAULT_PG_URL + "_markets"
        problem = recreate_postgres(url)
        if problem:
            sys.exit(f"PostgreSQL: {problem}")
        os.environ["DATABASE_URL"] = url
    setup_django()
    migrate()
    from reference.seeding import seed_reference

    seed_reference()
    from django.urls import reverse

    reverse("markets-home")  # import the URLconf now: a running worker has it loaded already
    rng = random.Random(2026)
    build_finance(rng, args.needs, args.products)
    build_space(rng, args.space)
    print(f"{machine()}, {args.db}")
    results = [("finance", f"{args.needs:,} needs × {args.products:,} products", measure("finance", rng)),
               ("space", f"{args.space:,} listings", measure("space", rng))]
    worst = 0.0
    for market, size, rows in results:
        for label, seconds, note in rows:
            worst = max(worst, seconds)
            print(f"{market:8} {size:32} {label:16} {seconds:7.2f} s   {note}")
    verdict = "met" if worst < TARGET_SECONDS else "MISSED"
    print(f"slowest re-match {worst:.2f} s (target under {TARGET_SECONDS:.0f} s: {verdict})")


if __name__ == "__main__":
    os.environ["QIFU_VAR_DIR"] = fresh_var_dir("markets")
    try:
        main()
    finally:
        shutil.rmtree(os.environ["QIFU_VAR_DIR"], ignore_errors=True)
