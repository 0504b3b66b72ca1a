"""The policy pages: library, check-up (own enterprise, staff in scope) and calculator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises.models import Project

WAN = 1_000_000




def section(html: str, section_id: str) -> str:
    """The HTML of one result section of a check-up page."""
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def test_an_enterprise_contact_sees_its_own_checkup(client, in_english, seeded, hongda_project, hongda_contact):
    client.force_login(hongda_contact)
    html = client.get(reverse("policies-checkup")).content.decode()
    eligible = section(html, "eligible")
    assert 'data-policy="cixi-tech-upgrade"' in eligible and "48.00 (10,000 yuan)" in eligible
    assert "They are not saved to the enterprise registry" in html
    assert "列入智能化改造试点" in section(html, "not-eligible")
    assert 'data-policy="cixi-two-integration"' in section(html, "might-qualify")


def test_supplying_a_missing_fact_moves_the_policy_to_eligible(
    client, in_english, seeded, hongda_project, hongda_contact
):
    client.force_login(hongda_contact)
    field = f"project-{hongda_project.pk}__soft_investment_fen"
    response = client.get(
        reverse("policies-checkup"), {field: "200", "enterprise__mlt_loan_avg_daily_balance_fen": "1234.5678"}
    )
    html = response.content.decode()
    eligible = section(html, "eligible")
    assert 'data-policy="cixi-two-integration"' in eligible and 'data-amount-fen="30000000"' in eligible
    assert 'data-policy="cixi-loan-interest"' in eligible and "12.345678 (10,000 yuan)" in eligible
    assert 'data-policy="cixi-two-integration"' not in section(html, "might-qualify")
    assert 'id="what-if-banner"' in html
    assert f'name="{field}" value="200"' in html
    hongda_project.refresh_from_db()
    assert hongda_project.soft_investment_fen is None


@pytest.mark.parametrize("value", ["-1", "1.0000001", "abc"])
def test_a_wrong_amount_is_refused_and_nothing_changes(
    client, in_english, seeded, hongda_project, hongda_contact, value
):
    client.force_login(hongda_contact)
    field = f"project-{hongda_project.pk}__soft_investment_fen"
    html = client.get(reverse("policies-checkup"), {field: value}).content.decode()
    assert 'class="invalid-feedback d-block"' in html
    assert 'data-policy="cixi-two-integration"' in section(html, "might-qualify")
    assert 'id="what-if-banner"' not in html


def test_a_yes_no_fact_is_asked_as_yes_or_no(client, in_english, seeded, hongda, hongda_contact):
    Project.objects.create(
        enterprise=hongda,
        name="新项目",
        year=2025,
        industry_class="A",
        completed=True,
        equipment_investment_fen=600 * WAN,
    )
    client.force_login(hongda_contact)
    response = client.get(reverse("policies-checkup"), {"enterprise__is_manufacturing": "yes"})
    assert 'name="enterprise__is_manufacturing" value="yes"' in response.content.decode()
    assert 'data-amount-fen="48000000"' in section(response.content.decode(), "eligible")


def test_an_enterprise_contact_cannot_open_another_enterprises_checkup(client, seeded, hongda_contact, longteng):
    client.force_login(hongda_contact)
    assert client.get(reverse("policies-enterprise-checkup", args=[longteng.pk])).status_code == 404
    assert client.get(reverse("policies-enterprise-checkup", args=[hongda_contact.enterprise_id])).status_code == 200


def test_a_town_clerk_sees_checkups_of_its_own_town_only(client, seeded, zhouxiang_clerk, hongda_project, longteng):
    client.force_login(zhouxiang_clerk)
    assert client.get(reverse("policies-enterprise-checkup", args=[longteng.pk])).status_code == 404
    assert client.get(reverse("policies-enterprise-checkup", args=[999_999])).status_code == 404
    response = client.get(reverse("policies-enterprise-checkup", args=[hongda_project.enterprise_id]))
    assert response.status_code == 200 and 'data-amount-fen="48000000"' in response.content.decode()
    assert client.get(reverse("policies-checkup")).status_code == 404


def test_the_calculator_gives_the_worked_example(client, in_english, seeded, zhouxiang_clerk):
    client.force_login(zhouxiang_clerk)
    html = client.get(
        reverse("policies-calculator"),
        {
            "project__is_manufacturing": "yes",
            "project__project_completed": "yes",
            "project__is_smart_pilot": "yes",
            "project__industry_class": "A",
            "project__equipment_investment_fen": "1000",
        },
    ).content.decode()
    eligible = section(html, "eligible")
    assert 'data-policy="cixi-smart-pilot"' in eligible and "150.00 (10,000 yuan)" in eligible
    assert 'data-policy="cixi-tech-upgrade"' not in eligible
    assert "Not paid together with a higher reward of the same group" in section(html, "not-eligible")


def test_the_library_lists_and_filters_policies(
    client, in_english, seeded, zhouxiang_clerk, django_assert_max_num_queries
):
    client.force_login(zhouxiang_clerk)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("policies-list")).content.decode()
    assert html.count("<tr data-policy=") == 8
    html = client.get(reverse("policies-list"), {"subject_kind": "enterprise"}).content.decode()
    assert 'data-policy="cixi-loan-interest"' in html and 'data-policy="cixi-tech-upgrade"' not in html
    html = client.get(reverse("policies-list"), {"level": "city"}).content.decode()
    assert html.count("<tr data-policy=") == 1 and 'data-policy="ningbo-tech-upgrade"' in html
    html = client.get(reverse("policies-list"), {"q": "贴息"}).content.decode()
    assert html.count("<tr data-policy=") == 1 and 'data-policy="cixi-loan-interest"' in html
    html = client.get(reverse("policies-list"), {"status": "unpublished"}).content.decode()
    assert html.count("<tr data-policy=") == 0


def test_the_library_is_for_staff_only(client, seeded, hongda_contact):
    client.force_login(hongda_contact)
    assert client.get(reverse("policies-list")).status_code == 404
    assert client.get(reverse("policies-detail", args=["cixi-tech-upgrade"])).status_code == 404


def test_a_policy_page_shows_its_guide_rule_test_cases_and_versions(client, in_english, seeded, zhouxiang_clerk):
    client.force_login(zhouxiang_clerk)
    html = client.get(reverse("policies-detail", args=["cixi-tech-upgrade"])).content.decode()
    assert "慈溪市经济和信息化局" in html
    assert "equipment_investment &gt;= 500万" in html
    assert "class A, equipment 600万" in html and "48.00 (10,000 yuan)" in html
    assert 'data-version="1"' in html and "Published" in html
    assert client.get(reverse("policies-detail", args=["no-such-policy"])).status_code == 404


def test_the_menu_shows_the_policy_pages_to_the_right_roles(
    client, in_english, seeded, hongda_contact, zhouxiang_clerk
):
    client.force_login(hongda_contact)
    html = client.get(reverse("policies-checkup")).content.decode()
    assert reverse("policies-checkup") in html and reverse("policies-list") + '"' not in html
    client.force_login(zhouxiang_clerk)
    html = client.get(reverse("policies-list")).content.decode()
    assert reverse("policies-calculator") in html and reverse("policies-checkup") + '"' not in html
