"""Scores and reasons on small fixtures worked out by hand (see markets/criteria.py for the weights)."""

from __future__ import annotations

import numpy as np
import pytest

from markets import actions, matching
from markets.criteria import RULES
from markets.models import Collateral, Market, Match, NeedStatus, ProductKind, Purpose

from .conftest import WAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_loan(cxrcb, system_admin):
    """100–180万, 1–6 months, working capital only, credit only, small enterprises only."""
    return actions.do_save_product(
        acting_user=system_admin, organisation=cxrcb, name="短期周转贷", kind=ProductKind.BRIDGE,
        min_amount_fen=100 * WAN, max_amount_fen=180 * WAN, min_term_months=1, max_term_months=6,
        min_rate_bp=400, max_rate_bp=600, purposes=[Purpose.WORKING_CAPITAL], collateral=[Collateral.NONE],
        sizes=["small"],
    )


def match_of(need, product):
    return Match.objects.get(market=Market.FINANCE, need_id=need.pk, offer_id=product.pk)


def test_a_need_is_scored_against_each_product_with_the_reasons(
    post_need, hongda, cxrcb_credit, icbc_mortgage, small_loan
):
    hongda.size_class = "small"
    hongda.save()
    # 200万 for 12 months of working capital, on credit
    need = post_need(amount_wan=200, term=12)

    # 小微信用贷 50–500万, 1–36 months, working capital, credit: every criterion met
    full = match_of(need, cxrcb_credit)
    assert full.score == 100
    assert full.reasons == {"amount": 1.0, "term": 1.0, "collateral": 1.0, "purpose": 1.0, "size": 1.0}
    # 短期周转贷: 200万 is 20万 above 180万 (within 20%: partly, 0.5×30 = 15), 12 months is 6 above
    # 6 (not: 0), credit 25, purpose 20, size 10 → 70
    partial = match_of(need, small_loan)
    assert partial.score == 70
    assert partial.reasons == {"amount": 0.5, "term": 0.0, "collateral": 1.0, "purpose": 1.0, "size": 1.0}
    # 厂房抵押贷 wants a property mortgage: a required criterion fails, so no match at all
    assert not Match.objects.filter(market=Market.FINANCE, need_id=need.pk, offer_id=icbc_mortgage.pk).exists()
    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHED
    assert list(need.events.values_list("kind", flat=True)) == ["need_posted", "need_matched"]


def test_changing_a_need_rematches_that_need(post_need, hongda, hongda_contact, cxrcb_credit, small_loan):
    need = post_need(amount_wan=200, term=12)
    assert match_of(need, small_loan).score == 60  # as above, and 宏达's size is not on file: size 0

    hongda.size_class = "small"
    hongda.save()

    # 150万 for 6 months: now inside the amount and term ranges
    need = actions.do_update_need(need, acting_user=hongda_contact, amount_fen=150 * WAN, term_months=6)

    assert match_of(need, small_loan).score == 100
    assert match_of(need, small_loan).is_current


def test_a_product_that_no_longer_fits_drops_its_matches_and_the_need_goes_back_to_posted(
    post_need, system_admin, cxrcb_credit
):
    need = post_need(amount_wan=200)
    assert need.status == NeedStatus.MATCHED

    actions.do_save_product(acting_user=system_admin, product=cxrcb_credit, collateral=[Collateral.PROPERTY])

    assert not match_of(need, cxrcb_credit).is_current
    need.refresh_from_db()
    assert need.status == NeedStatus.POSTED
    assert need.events.last().kind == "need_unmatched"


def test_the_full_rematch_finds_the_same_pairs_as_matching_each_listing(post_need, cxrcb_credit, small_loan):
    needs = [post_need(amount_wan=a, term=t) for a, t in ((200, 12), (150, 3), (60, 24), (2000, 12))]
    per_listing = set(Match.objects.filter(is_current=True).values_list("need_id", "offer_id", "score"))

    assert actions.full_rematch(Market.FINANCE) == 0  # nothing new

    assert set(Match.objects.filter(is_current=True).values_list("need_id", "offer_id", "score")) == per_listing
    assert not Match.objects.filter(need_id=needs[3].pk).exists()  # 2000万 fits no product


def frame(**columns):
    return {name: np.array(values, dtype=np.int64 if name in ("id", "deal", "town") else np.float64)
            for name, values in columns.items()}


NAN = float("nan")


def test_factory_space_scores_worked_out_by_hand():
    # Wanted: to rent 800–1500 m² in town 1, ground floor, ≥6 m, ≥1000 kg/m², ≥200 kVA, ≤20 yuan/m²
    wanted = frame(id=[1], deal=[0], town=[1], area_min=[800], area_max=[1500], floor_min=[1], floor_max=[1],
                   height=[6], load=[1000], power=[200], price_min=[NAN], price_max=[2000])
    offered = frame(
        id=[11, 12, 13],
        deal=[0, 0, 1],  # the third is for sale only
        town=[1, 2, 1],
        area_min=[1200, 1700, 1000], area_max=[1200, 1700, 1000],
        floor_min=[1, 2, 1], floor_max=[1, 2, 1],
        height=[8, 5, 8], load=[1500, NAN, 1500], power=[250, NAN, 250], price=[1800, 2200, 1500],
    )

    scores, fractions, eligible = matching.score_block(RULES[Market.SPACE], wanted, offered)

    # 11: everything met → 100
    # 12: deal 10, other town 0, 1700 m² is 200 above 1500 (partly: 12.5), 22 yuan is 2 above 20 (partly: 7.5),
    #     5 m is within 20% below 6 m (partly: 4), load and power not stated (partly: 2.5 + 3.5), floor 2 ≠ 1 (0) → 40
    # 13: for sale, not for rent: the required "deal" criterion rules it out whatever the rest
    assert scores[0].tolist()[:2] == [100, 40]
    assert {k: float(v[0, 1]) for k, v in fractions.items()} == {
        "deal": 1.0, "town": 0.0, "area": 0.5, "price": 0.5, "height": 0.5, "load": 0.5, "power": 0.5, "floor": 0.0}
    assert eligible[0].tolist() == [True, False, False]  # 40 is below the market's minimum of 60


def test_a_full_rematch_keeps_only_the_best_offers_per_need():
    rules = RULES[Market.TALENT]
    projects = {"id": np.array([1]), "industry": np.array([1]), "stage": np.array([1]),
                "funding": np.array([500.0])}
    investors = {"id": np.arange(10, 20), "industries": np.ones(10, dtype=np.int64),
                 "stages": np.array([1] * 5 + [2] * 5), "min_amount": np.zeros(10),
                 "max_amount": np.full(10, 1000.0)}

    pairs = matching.find_pairs(rules, projects, investors, top=3)

    assert len(pairs) == 3
    assert set(pairs.score.tolist()) == {100}  # the three kept are among the five of the right stage
    assert set(pairs.offer_id.tolist()) <= set(range(10, 15))
    assert pairs.reasons(Market.TALENT, 0) == {"industry": 1.0, "amount": 1.0, "stage": 1.0}
