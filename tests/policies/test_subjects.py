"""The platform's own enterprise and project records, evaluated through the same rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from enterprises import actions as enterprise_actions
from enterprises.models import Project
from policies.rules import ELIGIBLE, UNKNOWN, evaluate_subject
from policies.rules.vector import evaluate_frame
from policies.seeding import published_rules
from policies.subjects import enterprise_facts, facts_frame, project_facts

WAN = 1_000_000


def test_a_project_of_the_registry_gets_the_higher_tech_upgrade_reward(seeded, hongda, system_admin):
    enterprise_actions.do_update_enterprise(hongda, acting_user=system_admin, industry_code="C3851")
    project = Project.objects.create(enterprise=hongda, name="智能产线", year=2025, industry_class="A",
                                     completed=True, is_smart_pilot=True, equipment_investment_fen=1000 * WAN)
    results = evaluate_subject(published_rules(), project_facts(project))
    assert (results["cixi-smart-pilot"].status, results["cixi-smart-pilot"].amount_fen) == (ELIGIBLE, 150 * WAN)
    assert results["cixi-tech-upgrade"].failed_condition == "exclusive_group"


def test_an_enterprise_without_a_land_area_is_unknown_for_the_per_mu_flag(seeded, hongda, system_admin):
    enterprise_actions.do_set_year_figures(hongda, 2025, acting_user=system_admin, tax_paid_fen=40 * WAN)
    result = evaluate_subject(published_rules(), enterprise_facts(hongda, 2025))["mujun-low-efficiency"]
    assert result.status == UNKNOWN
    assert result.missing_facts == ("land_area_mu",)


def test_the_registry_exports_to_the_facts_format_and_the_batch_agrees(seeded, hongda, longteng, system_admin):
    enterprise_actions.do_set_year_figures(hongda, 2025, acting_user=system_admin, tax_paid_fen=40 * WAN,
                                           land_area_mu=Decimal("10.00"))
    enterprise_actions.do_set_year_figures(longteng, 2025, acting_user=system_admin,
                                           mlt_loan_avg_daily_balance_fen=1_234_567_800)
    frame = facts_frame(2025)
    results = evaluate_frame(published_rules(), frame)
    rows = set(results.filter(results["status"] == ELIGIBLE).select("subject_id", "policy_code", "amount_fen")
               .iter_rows())
    assert rows == {(f"enterprise:{hongda.pk}", "mujun-low-efficiency", None),
                    (f"enterprise:{longteng.pk}", "cixi-loan-interest", 12_345_678)}


def test_the_whole_population_frame_has_the_same_facts_as_one_subject_at_a_time(registry_for_frame):
    hongda, longteng, project = registry_for_frame
    rows = {row.pop("subject_id"): row for row in facts_frame(2025).to_dicts()}
    for key, one in ((f"enterprise:{hongda.pk}", enterprise_facts(hongda, 2025)),
                     (f"enterprise:{longteng.pk}", enterprise_facts(longteng, 2025)),
                     (f"project:{project.pk}", project_facts(project))):
        row = rows[key]
        assert {column: row[column] for column in one} == one
        assert all(row[column] is None for column in set(row) - set(one))  # columns of the other kind
    assert rows[f"enterprise:{longteng.pk}"]["is_tech_sme"] is True


@pytest.fixture
def registry_for_frame(hongda_line, longteng, system_admin):
    from enterprises.models import YearFigures
    from reference.models import EnterpriseTag

    enterprise_actions.do_update_enterprise(longteng, acting_user=system_admin,
                                            tags=[EnterpriseTag.objects.get(code="tech_sme")])
    YearFigures.objects.create(enterprise=longteng, year=2025, land_area_mu=Decimal("12.50"), tax_paid_fen=10)
    return hongda_line.enterprise, longteng, hongda_line
