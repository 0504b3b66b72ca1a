"""The policy check-up of an enterprise and the calculator, on the seed policy set."""

from __future__ import annotations

from enterprises.models import Project
from policies.checkup import ENTERPRISE_KEY, calculator, checkup_for

WAN = 1_000_000




def by_code(findings, subject_key=None):
    return {f.policy.code: f for f in findings if subject_key is None or f.subject_key == subject_key}


def test_a_completed_hongda_project_with_600_wan_of_equipment_is_eligible_for_48_wan(seeded, hongda_project):
    checkup = checkup_for(hongda_project.enterprise)
    p1 = by_code(checkup.eligible)["cixi-tech-upgrade"]
    assert (p1.amount_fen, p1.subject_key) == (48 * WAN, f"project:{hongda_project.pk}")
    assert checkup.total_fen == 48 * WAN


def test_a_missing_fact_is_listed_under_might_qualify_with_its_form_field(seeded, hongda_project):
    checkup = checkup_for(hongda_project.enterprise)
    p4 = by_code(checkup.unknown)["cixi-two-integration"]
    assert [(key, fact.column) for key, fact in p4.missing] == [
        (f"project:{hongda_project.pk}", "soft_investment_fen")
    ]
    assert (f"project:{hongda_project.pk}", p4.missing[0][1]) in checkup.missing_fields()


def test_an_enterprise_fact_missing_for_a_project_is_asked_once_for_the_enterprise(seeded, hongda):
    project = Project.objects.create(
        enterprise=hongda,
        name="新项目",
        year=2025,
        industry_class="A",
        completed=True,
        equipment_investment_fen=600 * WAN,
    )
    p1 = by_code(checkup_for(hongda).unknown)["cixi-tech-upgrade"]
    assert [(key, fact.column) for key, fact in p1.missing] == [(ENTERPRISE_KEY, "is_manufacturing")]
    assert p1.subject_key == f"project:{project.pk}"


def test_what_if_facts_settle_an_unknown_result_and_the_results_are_sorted_by_amount(seeded, hongda_project):
    extra = {
        f"project:{hongda_project.pk}": {"soft_investment_fen": 200 * WAN},
        ENTERPRISE_KEY: {"mlt_loan_avg_daily_balance_fen": 1_234_567_800},
    }
    checkup = checkup_for(hongda_project.enterprise, extra)
    amounts = [(f.policy.code, f.amount_fen) for f in checkup.eligible]
    assert amounts == [
        ("cixi-tech-upgrade", 48 * WAN),
        ("cixi-two-integration", 30 * WAN),
        ("cixi-loan-interest", 12_345_678),
    ]
    assert checkup.total_fen == 48 * WAN + 30 * WAN + 12_345_678


def test_what_if_facts_are_not_saved_to_the_registry(seeded, hongda_project):
    checkup_for(hongda_project.enterprise, {f"project:{hongda_project.pk}": {"soft_investment_fen": 200 * WAN}})
    hongda_project.refresh_from_db()
    assert hongda_project.soft_investment_fen is None


def test_a_failed_condition_is_named_by_its_label(seeded, hongda_project):
    p2 = by_code(checkup_for(hongda_project.enterprise).ineligible)["cixi-smart-pilot"]
    assert p2.failed_label == "列入智能化改造试点"


def test_the_calculator_pays_the_higher_of_an_exclusive_group_and_leaves_the_other_out(seeded):
    checkup = calculator(
        {
            "is_manufacturing": True,
            "project_completed": True,
            "is_smart_pilot": True,
            "industry_class": "A",
            "equipment_investment_fen": 1000 * WAN,
        }
    )
    assert [(f.policy.code, f.amount_fen) for f in checkup.eligible] == [("cixi-smart-pilot", 150 * WAN)]
    p1 = by_code(checkup.ineligible)["cixi-tech-upgrade"]
    assert p1.result.failed_condition == "exclusive_group"


def test_the_calculator_only_uses_project_policies(seeded):
    codes = {f.policy.code for f in calculator({}).unknown + calculator({}).ineligible}
    assert "cixi-loan-interest" not in codes
    assert "cixi-tech-upgrade" in codes
