"""In a real browser: the economy bureau's policy administrator reviews a payout list without application."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from enterprises.models import YearFigures
from notifications.models import Notification
from policies import actions
from policies.matching import refresh_matches
from policies.models import PayoutBatch, PayoutLine, Policy
from policies.seeding import seed_policies

from ..policies.conftest import hongda_2025, manufacturer, policy_admin  # noqa: F401  (fixtures)
from .test_enterprise_search import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAN = 1_000_000


def test_a_policy_admin_rejects_one_line_with_a_reason_and_approves_the_list(
    page, policy_admin, hongda_2025, hongda_contact, longteng, longteng_contact  # noqa: F811
):
    # Given the seed policies, 宏达 and 龙腾 with loans, and the loan subsidy's payout list
    seed_policies(acting_user=policy_admin)
    YearFigures.objects.create(enterprise=longteng, year=2025, mlt_loan_avg_daily_balance_fen=8_000 * WAN)
    refresh_matches(2025)
    batch = actions.do_generate_payouts(Policy.objects.get(code="cixi-loan-interest").published_version())
    line = batch.lines.get(enterprise=longteng)

    # When the administrator opens the list, rejects 龙腾's line with a reason and approves the list
    log_in(page, policy_admin.username)
    page.goto(f"/policies/payouts/{batch.pk}/")
    expect(page.locator("#batch-totals")).to_have_attribute("data-total-fen", str(12_345_678 + 50 * WAN))
    row = page.locator(f'tr[data-line="{line.pk}"]')
    row.locator('input[name="reason"]').fill("贷款用途不符")
    row.locator('button[value="reject"]').click()
    expect(page.locator(f'tr[data-line="{line.pk}"]')).to_have_attribute("data-status", "rejected")
    page.click("#approve-batch button")

    # Then the list is approved, each line has its decision and both contacts have a message
    expect(page.locator("#batch-status")).to_have_attribute("data-status", "approved")
    expect(page.locator("#approve-batch")).to_have_count(0)
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.APPROVED
    assert dict(batch.lines.values_list("enterprise_id", "status")) == {
        hongda_2025.pk: PayoutLine.Status.APPROVED, longteng.pk: PayoutLine.Status.REJECTED}
    assert Notification.objects.filter(recipient__in=[hongda_contact, longteng_contact]).count() == 2
