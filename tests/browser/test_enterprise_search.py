"""In a real browser: a window clerk finds an enterprise by pinyin initials; a contact reads their page on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from enterprises import actions

from ..factories import HONGDA_NAME, PASSWORD, credit_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('#login-form button[type="submit"]')


def test_window_clerk_finds_an_enterprise_by_pinyin_initials(page, zhouxiang_clerk, system_admin, zhouxiang, hongda):
    # Given a second enterprise in the same town whose initials do not match
    actions.do_create_enterprise(
        acting_user=system_admin, credit_code=credit_code(31), name="慈溪市周巷五金厂", town=zhouxiang
    )

    # When the 周巷 window clerk logs in and types c-x-d-q into the search box
    log_in(page, "zx_window")
    expect(page.locator("#role-home")).to_have_attribute("data-role", "window_staff")
    page.goto("/enterprises/")
    page.fill('input[name="q"]', "cxdq")
    page.press('input[name="q"]', "Enter")

    # Then only 宏达电器 is listed
    table = page.locator("#enterprise-table")
    expect(table).to_contain_text(HONGDA_NAME)
    expect(table).not_to_contain_text("慈溪市周巷五金厂")

    # And clicking it opens its page
    table.get_by_role("link", name=HONGDA_NAME).click()
    expect(page.locator("#enterprise-name")).to_have_text(HONGDA_NAME)
    assert page.url.endswith(f"/enterprises/{hongda.pk}/")


def test_enterprise_contact_reads_their_page_on_a_phone(phone, hongda_contact):
    # When the contact of 宏达 logs in on a phone
    log_in(phone, "hongda_wang")

    # Then they land on their enterprise's page, which fits the screen
    expect(phone.locator("#enterprise-name")).to_have_text(HONGDA_NAME)
    assert phone.url.endswith("/enterprises/mine/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # the stylesheets were served (Bootstrap resets the 8px body margin), so this is not raw HTML
    assert phone.evaluate("getComputedStyle(document.body).margin") == "0px"
