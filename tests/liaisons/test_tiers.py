"""Service tiers are rules over the registry (liaisons/data/tiers.yaml), checked on a hand-built fixture."""

from __future__ import annotations

import datetime as dt

import pytest

from enterprises import actions
from liaisons import tiers
from reference.models import EnterpriseTag

from ..factories import credit_code

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
WAN = 1_000_000  # fen per 万元


@pytest.fixture
def registry(system_admin, zhouxiang):
    """Five enterprises with figures for 2025 (the latest year) and some tags."""

    def make(serial, name, *, revenue=None, tax=None, tags=(), established=None, year=2025):
        enterprise = actions.do_create_enterprise(
            acting_user=system_admin, credit_code=credit_code(100 + serial), name=name, town=zhouxiang,
            established_on=established, tags=list(EnterpriseTag.objects.filter(code__in=tags)),
        )
        if revenue is not None or tax is not None:
            actions.do_set_year_figures(enterprise, year, acting_user=system_admin,
                                        revenue_fen=revenue and revenue * WAN, tax_paid_fen=tax and tax * WAN)
        return enterprise

    return {
        "big": make(1, "大企业", revenue=90_000, tax=5_000),
        "listed": make(2, "上市公司", revenue=1_500, tax=80, tags=["listed"]),
        "small": make(3, "小作坊", revenue=300, tax=9),
        "young": make(4, "新芽科技", revenue=100, tax=1, tags=["tech_sme"], established=dt.date(2023, 3, 1)),
        "old_tech": make(5, "老牌科技", revenue=100, tax=1, tags=["high_tech"], established=dt.date(2010, 3, 1)),
        "stale": make(6, "旧数据企业", revenue=80_000, tax=4_000, year=2023),
    }


def codes(enterprise):
    return [tier.code for tier in tiers.tiers_of(enterprise, TODAY)]


def test_the_rules_file_names_the_six_tiers_of_seed_001():
    assert list(tiers.tiers()) == ["listed", "pre_listing", "top100", "top_taxpayers", "above_scale", "startup"]


def test_tags_and_figures_decide_the_tiers(registry):
    # Only three enterprises have 2025 figures above zero; all are within the top 100 by revenue and tax.
    assert codes(registry["big"]) == ["top100", "top_taxpayers", "above_scale"]
    assert codes(registry["listed"]) == ["listed", "top100", "top_taxpayers"]
    assert codes(registry["young"]) == ["top100", "top_taxpayers", "startup"]
    # A high-tech enterprise older than five years is no start-up.
    assert "startup" not in codes(registry["old_tech"])


def test_ranking_uses_the_latest_year_of_the_registry(registry, settings):
    # 旧数据企业 has a larger 2023 revenue than anyone's 2025 one, but 2023 is not the latest year.
    assert codes(registry["stale"]) == []


def test_top_n_keeps_only_the_n_largest(registry, monkeypatch):
    small = tiers.Tier("top2", "前二", "Top two", "test", ({"top": {"field": "revenue_fen", "n": 2}},))
    chosen = tiers.enterprises_in_tier(small, today=TODAY)
    assert set(chosen) == {registry["big"], registry["listed"]}


def test_above_scale_threshold_is_2000_wan(registry, system_admin):
    assert "above_scale" not in codes(registry["listed"])  # 1,500 万元
    actions.do_set_year_figures(registry["listed"], 2025, acting_user=system_admin, revenue_fen=2_000 * WAN)
    assert "above_scale" in codes(registry["listed"])


def test_tier_filters_a_queryset_in_the_database(registry, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        names = sorted(e.name for e in tiers.enterprises_in_tier("above_scale", today=TODAY))
    assert names == ["大企业"]


def test_an_unknown_condition_fails_loudly():
    bad = tiers.Tier("bad", "坏", "Bad", "test", ({"colour": "red"},))
    with pytest.raises(tiers.TierRuleError):
        tiers.tier_q(bad, TODAY)
