"""A small scheme and a handful of enterprises whose scores are worked out by hand in the tests."""

from __future__ import annotations

import pytest

from accounts.models import Role
from enterprises import actions as enterprise_actions
from enterprises.models import YearFigures
from evaluation import actions
from evaluation.models import SubletDeclaration
from reference.models import EnterpriseTag
from tests.factories import credit_code, make_user

WAN = 1_000_000  # fen in 1万元
YEAR = 2025

# Above-scale: tax per mu (60 points at 30万/亩, at most 1.5×) and R&D intensity (40 at 3%, at most 1.2×);
# below-scale with 3 mu or more / under 3 mu: tax per mu only; tenants: tax per employee.
DEFINITION = {
    "fallback_group": "below_small",
    "classes": {"method": "score", "cutoffs": {"A": 80, "B": 60, "C": 40}},
    "groups": [
        {"code": "above_scale", "when": {"above_scale": True, "own_land": True}, "indicators": [
            {"metric": "tax_per_mu", "weight": 60, "benchmark": 30, "cap": 1.5, "missing": "group_average"},
            {"metric": "rd_intensity", "weight": 40, "benchmark": 3, "cap": 1.2, "missing": "zero"}]},
        {"code": "below_large", "when": {"above_scale": False, "own_land": True, "land_min": 3}, "indicators": [
            {"metric": "tax_per_mu", "weight": 100, "benchmark": 10, "cap": 1.5, "missing": "group_average"}]},
        {"code": "below_small", "when": {"above_scale": False, "own_land": True, "land_max": 3}, "indicators": [
            {"metric": "tax_per_mu", "weight": 100, "benchmark": 5, "cap": 1.5, "missing": "group_minimum"}]},
        {"code": "tenant", "when": {"own_land": False}, "indicators": [
            {"metric": "tax_per_employee", "weight": 100, "benchmark": 2, "cap": 1.5, "missing": "group_average"}]},
    ],
    "deductions": [{"code": "sublet", "fact": "sublet_tenants", "points_each": 2, "max_points": 10}],
    "measures": {"A": {"land_use_tax_relief_pct": 100, "land_quota_priority": True},
                 "D": {"electricity_yuan_per_kwh": 0.1}},
    "low_efficiency_tax_per_mu_wan": 5,
    "notice": {"days": 7, "kind": "calendar"},
}

# name: (above scale, land mu, tax 万, revenue 万, R&D 万, employees, sub-let tenants)
FIRMS = {
    "E1": (True, 10, 300, 10_000, 300, 50, 0),     # 30万/亩 → 60; 3% → 40; 100 → A
    "E2": (True, 20, 900, 10_000, None, 80, 3),    # 45万/亩 → capped 90; R&D missing → 0; −6 → 84 → A
    "E3": (True, None, 100, 5_000, 60, 40, 0),     # land missing → group average 54; 1.2% → 16; 70 → B
    "E4": (True, 10, 60, 10_000, 500, 30, 0),      # 6万/亩 → 12; 5% → capped 48; 60 → B
    "E5": (False, 0, 10, 500, None, 10, 0),        # no own land: tenant, 1万/人 → 50 → C
    "E6": (False, 5, 20, 800, None, 12, 0),        # 4万/亩 → 40 → C, low efficiency (< 5万)
    "E7": (False, 2, 15, 300, None, 8, 0),         # 7.5万/亩 → capped 150 → A
    "E8": (False, None, 5, 200, None, 6, 0),       # land missing, below scale: fallback group, group minimum 40 → C
    "E9": (False, 1, 2, 100, None, 5, 0),          # 2万/亩 → 40 → C, low efficiency
}


@pytest.fixture
def evaluation_admin(reference):
    """A supervisor of the enterprise service office, who runs the evaluation."""
    return make_user("mujun_admin", role=Role.Code.SUPERVISOR, org="service_office", display_name="亩均办")


@pytest.fixture
def firms(system_admin, zhouxiang, longshan):
    """The nine enterprises of FIRMS with their 2025 figures; E1–E5 in 周巷, the rest in 龙山."""
    above = EnterpriseTag.objects.get(code="above_scale")
    made = {}
    for serial, (name, (is_above, land, tax, revenue, rd, employees, sublet)) in enumerate(FIRMS.items(), start=100):
        enterprise = enterprise_actions.do_create_enterprise(
            acting_user=system_admin, credit_code=credit_code(serial), name=f"慈溪{name}实业有限公司",
            town=zhouxiang if serial < 105 else longshan, tags=[above] if is_above else [])
        YearFigures.objects.create(enterprise=enterprise, year=YEAR, land_area_mu=land, tax_paid_fen=tax * WAN,
                                   revenue_fen=revenue * WAN, rd_spending_fen=None if rd is None else rd * WAN,
                                   employees=employees)
        if sublet:
            SubletDeclaration.objects.create(enterprise=enterprise, year=YEAR, sublet_tenants=sublet)
        made[name] = enterprise
    return made


@pytest.fixture
def scheme(evaluation_admin):
    return actions.do_create_scheme(acting_user=evaluation_admin, year=YEAR, name="2025 test scheme",
                                    definition=DEFINITION)


@pytest.fixture
def round_(scheme, firms, evaluation_admin):
    return actions.do_start_round(scheme, acting_user=evaluation_admin)
