"""One compiled rule, two paths: the batch (Polars) path gives what evaluate_one gives, row by row."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies.batch import normalise_facts
from policies.rules import INELIGIBLE, compile_rule, evaluate_subject
from policies.rules.facts import FACTS, Type
from policies.rules.vector import EXCLUDED, STATUS_CODES, evaluate_wide
from policies.seeding import seed_rules

WAN = 1_000_000
THRESHOLDS = [0, 50 * WAN, 100 * WAN, 500 * WAN, 700 * WAN, 1000 * WAN, 3000 * WAN]
INT64_MAX = 2**63 - 1

# Beyond the seed set: rules that reach negation, division, min/max, IN, BETWEEN and IF.
EXOTIC = [
    compile_rule("exotic-arith", [
        {"name": "kinds", "expression": "industry_class IN ('A', 'C') OR NOT is_tech_sme"},
        {"name": "range", "expression": "ningbo_tier BETWEEN 1 AND 3"},
    ], "max(-soft_investment + 2 * tax_paid / 3, leasing_interest / land_area_mu, 1元)",
        "IF(is_special_project, 2亿, min(equipment_investment, 9亿))", exclusive_group="g2"),
    compile_rule("exotic-ratio", [
        {"name": "ratio", "expression": "tax_paid / leasing_expenditure >= 1.5"},
    ], "CASE WHEN land_area_mu > 0.5 THEN tax_paid * 7 / 9 ELSE soft_investment END", exclusive_group="g2"),
]
RULES = seed_rules() + EXOTIC


def money():
    near = st.sampled_from(THRESHOLDS).flatmap(lambda t: st.integers(t - 1, t + 1))
    return st.one_of(st.none(), near, st.integers(-10**6, 10**10), st.integers(2**31, INT64_MAX // 2),
                     st.integers(INT64_MAX // 2, INT64_MAX))


def fact_strategy(fact):
    if fact.type is Type.BOOL:
        return st.sampled_from([None, True, True, True, False])  # mostly true, so that rules get to their amounts
    if fact.type is Type.STRING:
        return st.one_of(st.none(), st.sampled_from(["A", "B", "C", "D"]))
    if fact.type is Type.MONEY:
        return money()
    if fact.name == "land_area_mu":
        return st.one_of(st.none(), st.decimals(-5, 10**6, places=2, allow_nan=False, allow_infinity=False),
                         st.just(Decimal("0")))
    return st.one_of(st.none(), st.integers(0, 4))


SCHEMA = {"subject_id": pl.Int64, "subject_kind": pl.String} | {
    fact.column: {Type.BOOL: pl.Boolean, Type.STRING: pl.String, Type.MONEY: pl.Int64}.get(
        fact.type, pl.Decimal(38, 2) if fact.name == "land_area_mu" else pl.Int64)
    for fact in FACTS.values()
}
ROW = st.fixed_dictionaries(
    {"subject_kind": st.sampled_from([None, None, "project", "enterprise"])}
    | {fact.column: fact_strategy(fact) for fact in FACTS.values()}
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=1, max_size=25), dropped=st.sets(st.sampled_from(list(SCHEMA)[2:]), max_size=3))
def test_batch_and_one_subject_give_the_same_results(rows, dropped):
    records = [{"subject_id": i, **{k: v for k, v in row.items() if k not in dropped}} for i, row in enumerate(rows)]
    frame = normalise_facts(pl.DataFrame(records, schema={k: v for k, v in SCHEMA.items() if k not in dropped}))
    wide = evaluate_wide(RULES, frame).collect()
    for facts, batch in zip(frame.to_dicts(), wide.to_dicts(), strict=True):
        results = evaluate_subject(RULES, facts)
        for i, rule in enumerate(RULES):
            result = results[rule.code]
            expected = EXCLUDED if result.failed_condition == "exclusive_group" else STATUS_CODES[result.status]
            assert (batch[f"_s{i}"], batch[f"_a{i}"]) == (expected, result.amount_fen), (rule.code, facts)


def test_an_excluded_rule_is_reported_ineligible_on_one_subject():
    facts = {"is_manufacturing": True, "project_completed": True, "is_smart_pilot": True, "industry_class": "A",
             "equipment_investment_fen": 1000 * WAN}
    assert evaluate_subject(RULES, facts)["cixi-tech-upgrade"].status == INELIGIBLE
