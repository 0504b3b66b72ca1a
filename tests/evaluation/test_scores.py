"""Scores and classes of the FIRMS fixture, worked out by hand (see tests/evaluation/conftest.py)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from evaluation.engine import INPUT_SCHEMA, evaluate
from evaluation.models import Result
from evaluation.schemes import SchemeError, parse_scheme

from .conftest import DEFINITION

EXPECTED = {  # name: (group, score, class, rank)
    "E1": ("above_scale", "100.00", "A", 1),
    "E2": ("above_scale", "84.00", "A", 2),
    "E3": ("above_scale", "70.00", "B", 3),
    "E4": ("above_scale", "60.00", "B", 4),
    "E5": ("tenant", "50.00", "C", 1),
    "E6": ("below_large", "40.00", "C", 1),
    "E7": ("below_small", "150.00", "A", 1),
    "E8": ("below_small", "40.00", "C", 2),
    "E9": ("below_small", "40.00", "C", 2),
}


def _results(round_) -> dict[str, Result]:
    return {r.enterprise.name[2:4]: r for r in Result.objects.filter(round=round_).select_related("enterprise")}


def test_scores_classes_and_ranks_match_the_hand_calculation(round_):
    results = _results(round_)
    assert {name: (r.group, str(r.score), r.klass, r.rank) for name, r in results.items()} == EXPECTED


def test_missing_land_of_an_above_scale_firm_gets_the_group_average_and_says_so(round_):
    calc = _results(round_)["E3"].calculation
    tax = next(i for i in calc["indicators"] if i["metric"] == "tax_per_mu")
    # (60 + 90 + 12) / 3 of the firms that have the figure
    assert (tax["value"], tax["points"], tax["filled"], tax["reason"]) == (None, 54.0, "group_average", "missing")


def test_a_missing_figure_under_the_zero_rule_is_an_explicit_zero(round_):
    calc = _results(round_)["E2"].calculation
    rd = next(i for i in calc["indicators"] if i["metric"] == "rd_intensity")
    assert (rd["points"], rd["filled"]) == (0.0, "zero")
    assert calc["deductions"] == [{"code": "sublet", "fact": "sublet_tenants", "units": 3, "points_each": 2.0,
                                   "points": 6.0}]


def test_zero_land_is_a_tenant_without_tax_per_mu_and_not_on_the_low_efficiency_list(round_):
    e5 = _results(round_)["E5"]
    assert (e5.group, e5.tax_per_mu_wan, e5.is_low_efficiency) == ("tenant", None, False)
    assert e5.calculation["inputs"]["land_area_mu"] == 0.0


def test_below_scale_firm_without_land_on_file_goes_to_the_fallback_group_with_the_group_minimum(round_):
    e8 = _results(round_)["E8"]
    (tax,) = e8.calculation["indicators"]
    assert (e8.calculation["group_rule"], tax["filled"], tax["points"]) == ("fallback", "group_minimum", 40.0)


def test_low_efficiency_list_is_tax_per_mu_below_5_wan(round_):
    results = _results(round_)
    assert sorted(n for n, r in results.items() if r.is_low_efficiency) == ["E6", "E9"]
    assert results["E6"].tax_per_mu_wan == Decimal("4")


def _frame(scores_as_tax: list[float], land: float = 1.0) -> pl.DataFrame:
    """One below-scale firm per value, tax per mu = the value (万元) on 1 mu."""
    rows = [{"enterprise_id": i + 1, "above_scale": False, "land_area_mu": land,
             "tax_paid_fen": int(v * 1_000_000), "sublet_tenants": 0} for i, v in enumerate(scores_as_tax)]
    return pl.DataFrame(rows).with_columns([pl.lit(None).cast(t).alias(c) for c, t in INPUT_SCHEMA.items()
                                            if c not in rows[0]])


PERCENTILE = {"classes": {"method": "percentile", "cutoffs": {"A": 0.2, "B": 0.5, "C": 0.8}},
              "groups": [{"code": "all", "indicators": [
                  {"metric": "tax_per_mu", "weight": 100, "benchmark": 100, "cap": 1, "missing": "zero"}]}]}


def test_percentile_cut_offs_give_the_top_fifth_a_and_ties_share_a_class():
    # Ten firms scoring 100, 90, … 10: ranks 1–2 are A (≤ 20%), 3–5 B, 6–8 C, 9–10 D
    out = evaluate(_frame([100, 90, 80, 70, 60, 50, 40, 30, 20, 10]), parse_scheme(PERCENTILE)).sort("enterprise_id")
    assert out["klass"].to_list() == list("AABBBCCCDD")
    # A tie at the A/B boundary: both second places (2/10) are A, the fourth is B
    tied = evaluate(_frame([100, 90, 90, 70, 60, 50, 40, 30, 20, 10]), parse_scheme(PERCENTILE)).sort("enterprise_id")
    assert tied["rank"].to_list()[:4] == [1, 2, 2, 4]
    assert tied["klass"].to_list()[:4] == list("AAAB")


def test_zero_land_in_a_per_mu_group_is_missing_with_its_reason_not_infinite():
    out = evaluate(_frame([5, 7], land=0.0), parse_scheme(PERCENTILE))
    assert out["tax_per_mu__reason"].to_list() == ["zero_denominator"] * 2
    assert out["tax_per_mu__points"].to_list() == [0.0, 0.0]
    assert out["tax_per_mu__fill"].to_list() == ["zero", "zero"]


@pytest.mark.parametrize("change, message", [
    (lambda d: d["groups"][0]["indicators"][0].pop("missing"), "missing data"),
    (lambda d: d["groups"][0]["indicators"][0].update(metric="happiness"), "unknown indicator"),
    (lambda d: d["classes"]["cutoffs"].update(A=10), "out of order"),
])
def test_a_scheme_that_does_not_say_what_it_means_is_refused(change, message, in_english):
    import copy

    definition = copy.deepcopy(DEFINITION)
    change(definition)
    with pytest.raises(SchemeError, match=message):
        parse_scheme(definition)
