"""The batch path's Int128 guard: a rule that could overflow is evaluated exactly, row by row."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from policies.rules import compile_rule, evaluate_one
from policies.rules.bounds import column_bounds, fits_int128
from policies.rules.vector import Context, evaluate_frame, rule_columns, with_all_facts
from policies.seeding import seed_rules

HUGE_LAND = Decimal("12345678901234567890.123456789")


def facts(land: Decimal) -> pl.DataFrame:
    return pl.DataFrame(
        {"subject_id": [1, 2], "equipment_investment_fen": [2**62, 600_000_000], "land_area_mu": [land, Decimal(3)]},
        schema={"subject_id": pl.Int64, "equipment_investment_fen": pl.Int64, "land_area_mu": pl.Decimal(38, 9)},
    )


# The result fits in Int64, but the steps in between do not fit in Int128.
RULE = compile_rule("overflowing", [{"name": "has_land", "expression": "land_area_mu > 0"}],
                    "equipment_investment * land_area_mu * land_area_mu / (land_area_mu * land_area_mu)")


def test_a_rule_whose_steps_exceed_int128_is_detected_from_the_data():
    frame = facts(HUGE_LAND).lazy()
    assert not fits_int128(RULE, column_bounds(frame, frame.collect_schema()))
    simple = compile_rule("simple", [], "equipment_investment * land_area_mu")
    small = facts(Decimal("10.5")).lazy()
    assert fits_int128(simple, column_bounds(small, small.collect_schema()))


def test_such_a_rule_gets_the_exact_amount_in_the_batch_path():
    frame = facts(HUGE_LAND)
    expected = [evaluate_one(RULE, row).amount_fen for row in frame.to_dicts()]
    assert expected == [2**62, 600_000_000]

    results = evaluate_frame([RULE], frame).sort("subject_id")

    assert results["amount_fen"].to_list() == expected


def test_the_vector_path_alone_would_have_been_wrong():
    # What the guard prevents: the same rule through the Int128 columns gives another number.
    lazy = with_all_facts(facts(HUGE_LAND).lazy())
    amount = lazy.select(rule_columns(RULE, 0, Context(lazy.collect_schema()))[1]).collect()["_a0"].to_list()
    assert amount[0] != 2**62


def test_the_seed_rules_on_ordinary_facts_stay_on_the_vector_path():
    frame = facts(Decimal("10.5")).with_columns(pl.lit(40_000_000).alias("tax_paid_fen")).lazy()
    limits = column_bounds(frame, frame.collect_schema())
    assert all(fits_int128(rule, limits) for rule in seed_rules())
