"""The policy library in the database: seed set, worked examples, versions, publishing, exclusivity."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from policies import actions
from policies.models import Policy, PolicyVersion
from policies.rules import ELIGIBLE, INELIGIBLE, UNKNOWN, evaluate_one, evaluate_subject
from policies.seeding import load_seed, published_rules, seed_facts

WAN = 1_000_000

P1_FACTS = {"is_manufacturing": True, "project_completed": True, "industry_class": "A"}

# The worked examples of policies.md: (facts, policy code, status, amount in fen).
WORKED_EXAMPLES = [
    ({**P1_FACTS, "equipment_investment_fen": 600 * WAN}, "cixi-tech-upgrade", ELIGIBLE, 48 * WAN),
    ({**P1_FACTS, "equipment_investment_fen": 499_990_000}, "cixi-tech-upgrade", INELIGIBLE, None),
    ({**P1_FACTS, "industry_class": "C", "equipment_investment_fen": 6000 * WAN}, "cixi-tech-upgrade", ELIGIBLE,
     200 * WAN),
    ({**P1_FACTS, "is_smart_pilot": True, "equipment_investment_fen": 1000 * WAN}, "cixi-smart-pilot", ELIGIBLE,
     150 * WAN),
    ({"is_manufacturing": True, "project_completed": True, "is_special_project": False, "is_smart_pilot": False,
      "fixed_asset_investment_fen": 1200 * WAN, "equipment_investment_fen": 600 * WAN,
      "tech_software_investment_fen": 100 * WAN, "ningbo_tier": 2}, "ningbo-tech-upgrade", ELIGIBLE, 70 * WAN),
    ({"is_manufacturing": True, "project_completed": True, "is_special_project": True,
      "fixed_asset_investment_fen": 20000 * WAN, "equipment_investment_fen": 14000 * WAN,
      "tech_software_investment_fen": 2000 * WAN}, "ningbo-tech-upgrade", ELIGIBLE, 3000 * WAN),
    ({"soft_investment_fen": 499_900}, "cixi-two-integration", INELIGIBLE, None),
    ({"soft_investment_fen": 200 * WAN}, "cixi-two-integration", ELIGIBLE, 30 * WAN),
    ({"mlt_loan_avg_daily_balance_fen": 1_234_567_800}, "cixi-loan-interest", ELIGIBLE, 12_345_678),
    ({"leasing_expenditure_fen": 100 * WAN, "leasing_interest_fen": 8_000_010}, "cixi-leasing", ELIGIBLE, 4_000_005),
    ({"tax_paid_fen": 40 * WAN, "land_area_mu": 10}, "mujun-low-efficiency", ELIGIBLE, None),
    ({"tax_paid_fen": 40 * WAN}, "mujun-low-efficiency", UNKNOWN, None),
]


@pytest.mark.parametrize(("facts", "code", "status", "amount"), WORKED_EXAMPLES)
def test_every_worked_example_of_the_policy_text(seeded, facts, code, status, amount):
    rule = next(rule for rule in published_rules() if rule.code == code)
    result = evaluate_one(rule, facts)
    assert (result.status, result.amount_fen) == (status, amount)


def test_the_seed_set_is_in_the_library_with_its_test_cases(seeded):
    assert list(Policy.objects.values_list("code", flat=True)) == [item["code"] for item in load_seed()]
    assert PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).count() == 8
    p1 = Policy.objects.get(code="cixi-tech-upgrade").published_version()
    assert p1.test_cases.count() == 6
    assert p1.published_by.username == "zhengce_wu"


def test_seeding_twice_changes_nothing(seeded):
    entries = LogEntry.objects.count()
    call_command("seed_policies")
    assert PolicyVersion.objects.count() == 8
    assert LogEntry.objects.count() == entries


def test_the_higher_of_p1_and_p2_is_paid_and_the_other_left_out(seeded):
    facts = {**P1_FACTS, "is_smart_pilot": True, "equipment_investment_fen": 1000 * WAN}
    results = evaluate_subject(published_rules(), facts)
    assert results["cixi-smart-pilot"].amount_fen == 150 * WAN
    assert results["cixi-tech-upgrade"].status == INELIGIBLE
    assert results["cixi-tech-upgrade"].failed_condition == "exclusive_group"


def test_on_a_tie_the_first_listed_policy_wins(seeded):
    # Class A at 8% vs pilot 15% never tie, so compare two copies of one rule in one group.
    p2 = next(rule for rule in published_rules() if rule.code == "cixi-smart-pilot")
    twin = type(p2)(**{**p2.__dict__, "code": "twin"})
    facts = {**P1_FACTS, "is_smart_pilot": True, "equipment_investment_fen": 100 * WAN}
    results = evaluate_subject([p2, twin], facts)
    assert results["cixi-smart-pilot"].status == ELIGIBLE
    assert results["twin"].failed_condition == "exclusive_group"


def test_a_policy_that_is_alone_in_its_group_is_paid(seeded):
    facts = {**P1_FACTS, "is_smart_pilot": False, "equipment_investment_fen": 600 * WAN}
    results = evaluate_subject(published_rules(), facts)
    assert results["cixi-tech-upgrade"].amount_fen == 48 * WAN
    assert results["cixi-smart-pilot"].status == INELIGIBLE


def test_publishing_is_refused_when_a_test_case_fails(seeded, policy_admin):
    p4 = Policy.objects.get(code="cixi-two-integration")
    draft = actions.do_create_version(p4, acting_user=policy_admin, conditions=[
        {"name": "soft_investment_threshold", "label": "", "expression": "soft_investment >= 50万"}],
        amount_formula="soft_investment * 20%", cap_expression="40万", change_note="cap raised")
    with pytest.raises(actions.PublishRefused, match="soft investment 200万"):
        actions.publish_version(draft, acting_user=policy_admin)
    draft.refresh_from_db()
    assert draft.status == PolicyVersion.Status.DRAFT
    assert p4.published_version().cap_expression == "30万"


def test_an_old_version_still_gives_its_old_result(seeded, policy_admin):
    p4 = Policy.objects.get(code="cixi-two-integration")
    old = p4.published_version()
    new = actions.do_create_version(p4, acting_user=policy_admin, conditions=old.conditions,
                                    amount_formula=old.amount_formula, cap_expression="40万", copy_test_cases=False)
    actions.do_add_test_case(new, acting_user=policy_admin, name="soft 200万, new cap", facts={
        "soft_investment_fen": 200 * WAN}, expected_status=ELIGIBLE, expected_amount_fen=40 * WAN)
    actions.publish_version(new, acting_user=policy_admin)
    old.refresh_from_db()
    assert old.status == PolicyVersion.Status.RETIRED
    facts = {"soft_investment_fen": 200 * WAN}
    assert evaluate_one(old.compile(), facts).amount_fen == 30 * WAN
    assert evaluate_one(p4.published_version().compile(), facts).amount_fen == 40 * WAN
    assert LogEntry.objects.get_for_object(new).filter(actor=policy_admin).exists()


def test_seed_test_cases_read_amounts_the_way_texts_write_them():
    assert seed_facts({"equipment_investment_fen": "499.99万", "land_area_mu": 10}) == {
        "equipment_investment_fen": 499_990_000, "land_area_mu": 10}
