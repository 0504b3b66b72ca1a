"""The rule language: what it accepts, what it refuses (and where), and how it decides."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.utils import translation

from policies.rules import ELIGIBLE, INELIGIBLE, UNKNOWN, RuleError, Type, compile_rule, evaluate_one, parse


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English (the msgids); zh-Hans is covered by the .po."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("DROP TABLE x", 0),
        ("(SELECT 1)", 1),
        ("os.system('x')", 0),
        ("unknown_fact > 1", 0),
        ("is_manufacturing AND unknown_fact > 1", 21),
        ("is_manufacturing + 1", 0),
        ("(is_manufacturing AND project_completed", 0),
        ("is_manufacturing AND project_completed)", 38),
        ("equipment_investment >= 500", 0),
        ("equipment_investment_fen > 0", 0),
        ("sleep(10) > 0", 0),
        ("*", 0),
        ("is_manufacturing; DROP TABLE x", 16),
        ("industry_class = 'A", 17),
        ("equipment_investment >= 500.0000001万 AND is_manufacturing", 24),
        ("t.is_manufacturing", 0),
        ("is_manufacturing = NULL", 19),
    ],
)
def test_unsafe_or_malformed_rules_are_refused_with_their_position(text, position):
    with pytest.raises(RuleError) as refused:
        parse(text)
    assert refused.value.position == position
    assert refused.value.message


def test_positions_after_unit_literals_point_into_the_authors_text():
    with pytest.raises(RuleError) as refused:
        parse("equipment_investment >= 500万 AND nonsense")
    assert refused.value.position == len("equipment_investment >= 500万 AND ")


def test_unit_literals_are_exact():
    assert parse("500万").literal == 500_000_000
    assert parse("499.99万").literal == 499_990_000
    assert parse("1.5亿").literal == 15_000_000_000
    assert parse("8%").literal == Fraction(8, 100)
    assert parse("500万").type is Type.MONEY
    assert parse("8%").type is Type.NUMBER


def test_symbols_of_chinese_text_are_read_as_operators():
    node = parse("min（equipment_investment，400万） ≥ 500万 AND ningbo_tier ≠ 2")
    assert node.left.op == ">="
    assert node.right.op == "<>"
    with pytest.raises(RuleError) as refused:
        parse("equipment_investment ≥ 500万 AND nonsense")
    assert refused.value.position == len("equipment_investment ≥ 500万 AND ")


def test_text_inside_quotes_is_not_a_unit():
    node = parse("industry_class = '5万'")
    assert node.right.literal == "5万"


@pytest.mark.parametrize(
    "text",
    ["equipment_investment * equipment_investment > 0", "industry_class > 'A'", "NOT equipment_investment",
     "CASE WHEN is_manufacturing THEN 1万 ELSE 'x' END = 'x'", "min(equipment_investment, 8%) > 0"],
)
def test_type_errors_are_refused(text):
    with pytest.raises(RuleError):
        parse(text)


def test_a_condition_must_be_yes_or_no_and_an_amount_money():
    with pytest.raises(RuleError, match="condition"):
        compile_rule("x", [{"name": "c", "expression": "equipment_investment"}])
    with pytest.raises(RuleError, match="amount"):
        compile_rule("x", [], "is_manufacturing")


RULE = compile_rule(
    "demo",
    [{"name": "is_manufacturing", "expression": "is_manufacturing"},
     {"name": "big", "expression": "equipment_investment >= 500万 OR is_smart_pilot"}],
    "equipment_investment * CASE industry_class WHEN 'A' THEN 8% ELSE 4% END",
    "400万",
)


def test_false_and_unknown_is_false():
    result = evaluate_one(RULE, {"is_manufacturing": False})
    assert result.status == INELIGIBLE
    assert result.failed_condition == "is_manufacturing"


def test_true_or_unknown_is_true():
    result = evaluate_one(RULE, {"is_manufacturing": True, "is_smart_pilot": True, "equipment_investment_fen": 100,
                                 "industry_class": "A"})
    assert result.status == ELIGIBLE
    assert result.amount_fen == 8  # 100 fen × 8%


def test_unknown_lists_the_facts_that_would_settle_it():
    result = evaluate_one(RULE, {"is_manufacturing": True})
    assert result.status == UNKNOWN
    assert result.missing_facts == ("equipment_investment_fen", "is_smart_pilot")


def test_a_missing_fact_never_selects_the_else_branch():
    result = evaluate_one(RULE, {"is_manufacturing": True, "equipment_investment_fen": 600_000_000})
    assert result.status == UNKNOWN
    assert result.missing_facts == ("industry_class",)


def test_amounts_round_down_to_the_fen_then_cap():
    facts = {"is_manufacturing": True, "is_smart_pilot": True, "industry_class": "A"}
    assert evaluate_one(RULE, {**facts, "equipment_investment_fen": 99}).amount_fen == 7  # 7.92 → 7
    assert evaluate_one(RULE, {**facts, "equipment_investment_fen": 10**12}).amount_fen == 400_000_000


def test_money_near_the_int64_limit_stays_exact():
    rule = compile_rule("big", [], "equipment_investment * 15%")
    top = 2**63 - 1
    assert evaluate_one(rule, {"equipment_investment_fen": top}).amount_fen == top * 15 // 100


def test_a_float_is_not_accepted_as_money():
    with pytest.raises(RuleError):
        evaluate_one(RULE, {"is_manufacturing": True, "equipment_investment_fen": 5e8})
