"""In a real browser on a phone: an enterprise contact opens its policy check-up and supplies a missing fact."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from policies.seeding import seed_policies

from ..policies.conftest import hongda_project, manufacturer, policy_admin  # noqa: F401  (fixtures)
from .test_enterprise_search import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAN = 1_000_000


def test_a_contact_supplies_a_missing_fact_and_the_policy_becomes_eligible(
    phone, hongda_contact, hongda_project, policy_admin  # noqa: F811
):
    # Given the seed policies and 宏达's completed class-A project with 600万 of equipment,
    # whose two-integration soft investment is not on file
    seed_policies(acting_user=policy_admin)
    project = hongda_project

    # When the contact opens the check-up on a phone
    log_in(phone, hongda_contact.username)
    phone.goto("/policies/checkup/")

    # Then the tech-upgrade reward is eligible at 48万 and the two-integration reward waits for a fact
    expect(phone.locator('#eligible [data-policy="cixi-tech-upgrade"]')).to_contain_text("48")
    expect(phone.locator('#might-qualify [data-policy="cixi-two-integration"]')).to_be_visible()

    # When they type the soft investment (200万) and check again
    phone.fill(f'input[name="project-{project.pk}__soft_investment_fen"]', "200")
    phone.click("#what-if-submit")

    # Then the reward moves to eligible, capped at 30万, and the page says the value was not saved
    expect(phone.locator('#eligible [data-policy="cixi-two-integration"]')).to_contain_text("30")
    expect(phone.locator("#what-if-banner")).to_be_visible()
    project.refresh_from_db()
    assert project.soft_investment_fen is None


def test_a_policy_administrator_changes_a_rate_and_publishing_is_refused(page, policy_admin):  # noqa: F811
    # Given the seed policies, P1 paying 8% for class A
    seed_policies(acting_user=policy_admin)

    # When the administrator writes 10% in a new version and asks to publish it
    log_in(page, policy_admin.username)
    page.goto("/policies/cixi-tech-upgrade/")
    page.click("#new-version")
    amount = page.locator('input[name="amount_formula"]')
    amount.fill(amount.input_value().replace("8%", "10%"))
    page.fill('input[name="change_note"]', "A类费率改为10%")
    page.click("#save-version")
    page.click("#publish-2")

    # Then the page names the test case that fails and version 1 stays in force
    expect(page.locator(".alert-danger")).to_contain_text("class A, equipment 600万")
    expect(page.locator('[data-version="1"]')).to_contain_text("已发布")
    expect(page.locator('[data-version="2"]')).to_contain_text("草稿")
