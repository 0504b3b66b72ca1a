"""The policy check-up of an enterprise and the calculator, on the seed policy set."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from enterprises.models import Project
from policies import actions
from policies.checkup import ENTERPRISE_KEY, calculator, checkup_for
from policies.models import Policy, Window
from policies.rules.facts import FACTS_BY_COLUMN

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


# --- Application windows and validity (the day of the check-up decides).

DAY = date(2026, 12, 2)


def _windows(checkup):
    return {f.policy.code: f.window for f in checkup.eligible + checkup.unknown + checkup.closed}


def test_a_policy_whose_validity_has_ended_is_not_offered(seeded, hongda_line, policy_admin):
    loan = Policy.objects.get(code="cixi-loan-interest")
    actions.do_update_policy(loan, acting_user=policy_admin, valid_to=DAY - timedelta(days=1))
    checkup = checkup_for(hongda_line.enterprise, today=DAY)
    offered = {f.policy.code for f in checkup.eligible + checkup.unknown + checkup.ineligible + checkup.closed}
    assert "cixi-loan-interest" not in offered
    assert "cixi-tech-upgrade" in offered
    # On its last day it is still offered.
    assert "cixi-loan-interest" in _windows(checkup_for(hongda_line.enterprise, today=DAY - timedelta(days=1)))


def test_each_result_says_whether_its_window_is_open_opens_later_or_closed(seeded, hongda_line, policy_admin):
    update = actions.do_update_policy
    update(Policy.objects.get(code="cixi-tech-upgrade"), acting_user=policy_admin,
           application_opens_on=DAY - timedelta(days=10), application_closes_on=DAY)
    update(Policy.objects.get(code="cixi-two-integration"), acting_user=policy_admin,
           application_opens_on=DAY + timedelta(days=5))
    update(Policy.objects.get(code="cixi-leasing"), acting_user=policy_admin,
           application_opens_on=DAY - timedelta(days=60), application_closes_on=DAY - timedelta(days=1))

    checkup = checkup_for(hongda_line.enterprise, today=DAY)

    windows = _windows(checkup)
    assert windows["cixi-tech-upgrade"] == Window.OPEN  # the closing day is still open
    assert windows["cixi-two-integration"] == Window.UPCOMING
    assert windows["cixi-leasing"] == Window.CLOSED
    assert windows["cixi-loan-interest"] == Window.AUTOMATIC  # paid without application: no window
    # A closed window is listed apart, not as something that might qualify.
    assert [f.policy.code for f in checkup.closed] == ["cixi-leasing"]
    assert "cixi-leasing" not in {f.policy.code for f in checkup.unknown}
    assert ("enterprise", FACTS_BY_COLUMN["leasing_expenditure_fen"]) not in checkup.missing_fields()


def test_a_policy_paid_without_application_needs_no_window(seeded, hongda_2025, policy_admin):
    checkup = checkup_for(hongda_2025, today=DAY)
    assert _windows(checkup)["cixi-loan-interest"] == Window.AUTOMATIC
    assert _windows(checkup).get("cixi-leasing", Window.NOT_ANNOUNCED) == Window.NOT_ANNOUNCED


def test_the_page_marks_windows_and_shows_closed_ones_apart(client, seeded, hongda_line, hongda_contact, policy_admin):
    actions.do_update_policy(Policy.objects.get(code="cixi-tech-upgrade"), acting_user=policy_admin,
                             application_opens_on=date(2020, 1, 1), application_closes_on=date(2020, 2, 1))
    client.force_login(hongda_contact)
    page = client.get(reverse("policies-checkup")).content.decode()
    closed = page[page.index('id="window-closed"'):]
    assert 'data-policy="cixi-tech-upgrade"' in closed and 'data-window="closed"' in closed
    eligible = page[page.index('id="eligible"'):page.index('id="might-qualify"')]
    assert 'data-policy="cixi-tech-upgrade"' not in eligible
    assert 'data-window="automatic"' in eligible  # the loan subsidy
    total = page[page.index('id="checkup-total"'):]
    assert f'data-amount-fen="{12_345_678}"' in total  # the closed tech-upgrade reward is not counted


def test_a_long_section_shows_its_first_results_and_a_link_to_all(client, seeded, hongda_line, hongda_contact,
                                                                   monkeypatch):
    from policies import views

    monkeypatch.setattr(views, "SECTION_LIMIT", 1)
    client.force_login(hongda_contact)
    page = client.get(reverse("policies-checkup")).content.decode()
    ineligible = page[page.index('id="not-eligible"'):]
    assert ineligible.count("data-policy=") == 1
    assert 'data-more="' in ineligible
    full = client.get(reverse("policies-checkup"), {"show": "all"}).content.decode()
    assert full[full.index('id="not-eligible"'):].count("data-policy=") > 1
    assert 'id="what-if-banner"' not in full  # "show" is not a what-if value


def test_a_newly_published_version_is_used_by_the_next_check_up(seeded, hongda_2025, policy_admin):
    assert by_code(checkup_for(hongda_2025).eligible)["cixi-loan-interest"].amount_fen == 12_345_678
    policy = Policy.objects.get(code="cixi-loan-interest")
    version = actions.do_create_version(policy, acting_user=policy_admin, copy_test_cases=False,
                                        conditions=[{"name": "has_loans", "expression": "mlt_loan_avg_daily_balance > 0"}],
                                        amount_formula="mlt_loan_avg_daily_balance * 2%", cap_expression="50万")
    actions.publish_version(version, acting_user=policy_admin)
    assert by_code(checkup_for(hongda_2025).eligible)["cixi-loan-interest"].amount_fen == 24_691_356
