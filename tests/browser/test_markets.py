"""In a real browser: 宏达's contact posts a financing need on a phone, the bank whose product
matches responds, records the intention and the loan granted; the need ends "granted"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from markets.models import FinancingNeed

from ..factories import PASSWORD
from ..markets.conftest import cxrcb, cxrcb_credit, cxrcb_staff  # noqa: F401 (the market personas)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('#login-form button[type="submit"]')
    expect(page.locator("#login-form")).to_have_count(0)


def test_a_need_posted_on_a_phone_reaches_granted(phone, page, hongda_contact, cxrcb_staff, cxrcb_credit):  # noqa: F811
    # The enterprise posts its need on a phone-sized screen
    log_in(phone, "hongda_wang")
    phone.goto("/markets/finance/")
    phone.click("#new-need")
    phone.fill('input[name="amount_wan"]', "200")
    phone.fill('input[name="term_months"]', "12")
    phone.select_option('select[name="purpose"]', "working_capital")
    phone.select_option('select[name="collateral"]', "none")
    phone.check('input[name="urgency"][value="soon"]')
    phone.fill('input[name="contact_phone"]', "13812345678")
    phone.click("#submit-button")
    expect(phone.locator("#need-head")).to_have_attribute("data-status", "matched")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    need = FinancingNeed.objects.get()

    # The bank sees it among the needs matched to its products, without the phone number
    log_in(page, "cxrcb_li")
    page.goto("/markets/finance/")
    page.click(f'tr[data-need="{need.number}"] a')
    expect(page.locator("#need-contact")).to_have_attribute("data-visible", "0")
    page.click(f"#form-respond-{cxrcb_credit.pk} button")
    expect(page.locator("#need-head")).to_have_attribute("data-status", "in_talks")

    # The enterprise agrees to share its contact details; the bank now sees them
    phone.reload()
    phone.click(".consent-form button")
    expect(phone.locator('[data-consent="both"]')).to_have_count(1)
    page.reload()
    expect(page.locator("#need-contact")).to_have_attribute("data-visible", "1")

    # Intention, then the loan granted
    page.fill("#amount-intend", "200")
    page.click("#form-intend button")
    expect(page.locator("#need-head")).to_have_attribute("data-status", "intention")
    page.fill("#amount-grant", "180")
    page.click("#form-grant button")
    expect(page.locator("#need-head")).to_have_attribute("data-status", "granted")
    expect(page.locator("#need-granted")).to_have_attribute("data-fen", "180000000")

    phone.reload()
    expect(phone.locator("#need-head")).to_have_attribute("data-status", "granted")
    kinds = phone.locator("#timeline li[data-kind]").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds == ["need_posted", "need_matched", "need_responded", "need_intention", "need_granted"]
