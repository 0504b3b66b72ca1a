"""In a real browser, the closed loop of one demand, each step by the person who takes it.

宏达's contact submits on a phone → the 周巷 window accepts and routes it to 市科技局 →
the bureau's handler starts and answers → the window gives the answer to the enterprise →
the contact rates it 满意 → the window closes it out.  Everyone uses the real login form in
their own browser profile; the demand page's history then shows every step.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation

from ..factories import HONGDA_NAME, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOOP = [
    "demand_received",
    "demand_accepted",
    "demand_routed",
    "demand_started",
    "demand_answered",
    "demand_feedback_given",
    "demand_rated",
    "demand_closed",
]


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('#login-form button[type="submit"]')
    expect(page.locator("#login-form")).to_have_count(0)


@pytest.fixture
def desktop(chromium, live_server):
    """``desktop()`` → a page in a new browser profile on a desktop-sized window."""
    contexts = []

    def new_page():
        context = chromium.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def take(page, demand_url: str, action: str, status_after: str) -> None:
    """Submit one action form of the staff demand page (unfolding it if needed)."""
    page.goto(demand_url)
    details = page.locator(f"#action-{action}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.locator(f"#form-{action} button[type=submit]").click()
    expect(page.locator("#demand-head")).to_have_attribute("data-status", status_after)


def timeline_kinds(page) -> list[str]:
    return page.locator("#timeline li[data-kind]").evaluate_all("items => items.map(i => i.dataset.kind)")


def test_a_demand_goes_round_the_loop_from_phone_to_close_out(
    phone, desktop, hongda_contact, zhouxiang_clerk, department_handler
):
    kjj = Organisation.objects.get(code="dept_kjj")

    # The contact of 宏达 submits a demand on a phone
    log_in(phone, "hongda_wang")
    phone.goto("/demands/submit/")
    expect(phone.locator("p", has_text=HONGDA_NAME).first).to_be_visible()
    phone.fill("#id_title", "申请研发费用加计扣除")
    phone.fill("#id_text", "企业研发投入较大，想了解研发费用加计扣除的申报流程和材料。")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.click("#submit-button")
    expect(phone.locator("#enterprise-demand")).to_have_attribute("data-status", "received")
    demand_url = re.sub(r"^https?://[^/]+", "", phone.url)
    assert re.fullmatch(r"/demands/\d+/", demand_url)
    number = phone.locator("#demand-number").inner_text().strip()

    # The 周巷 window clerk finds it in the new queue, accepts it and routes it to 市科技局
    window = desktop()
    log_in(window, "zx_window")
    window.goto("/demands/")
    window.locator(f'tr[data-demand="{number}"]').get_by_role("link", name=number).click()
    window.select_option("#id_accept-category", "innovation")
    window.locator("#form-accept button[type=submit]").click()
    expect(window.locator("#demand-head")).to_have_attribute("data-status", "accepted")
    window.select_option("#id_route-lead_unit", str(kjj.pk))
    window.locator("#form-route button[type=submit]").click()
    expect(window.locator("#demand-head")).to_have_attribute("data-status", "routed")
    expect(window.locator("#lead-unit")).to_have_text(kjj.name)

    # The handler at 市科技局 starts and answers it; the unit offers no route or close-out
    handler = desktop()
    log_in(handler, "kjj_handler")
    handler.goto(demand_url)
    expect(handler.locator("#action-route")).to_have_count(0)
    take(handler, demand_url, "start", "in_progress")
    handler.fill("#id_answer-answer", "已与企业电话沟通，申报材料清单已发送。")
    handler.locator("#form-answer button[type=submit]").click()
    expect(handler.locator("#demand-head")).to_have_attribute("data-status", "answered")
    expect(handler.locator("#action-close")).to_have_count(0)

    # The window gives the answer to the enterprise
    take(window, demand_url, "give_feedback", "feedback_given")

    # The contact reads the answer on the phone and rates it 满意, solved
    phone.goto(demand_url)
    expect(phone.locator("#public-answer")).to_contain_text("申报材料清单已发送")
    rating = phone.locator("#form-rate")
    rating.get_by_label("满意", exact=True).check()
    rating.locator('input[name="rate-solved"][value="yes"]').check()
    rating.locator("button[type=submit]").click()
    expect(phone.locator("#enterprise-demand")).to_have_attribute("data-status", "rated")
    expect(phone.locator("#rating")).to_contain_text("满意")

    # The window closes it out
    take(window, demand_url, "close", "closed")

    # The history shows every step, in order, to the window …
    window.goto(demand_url)
    assert timeline_kinds(window) == LOOP
    expect(window.locator("#rating")).to_contain_text("满意")
    # … and the public steps to the enterprise (the unit's answer reached it through the window)
    phone.goto(demand_url)
    expect(phone.locator("#enterprise-demand")).to_have_attribute("data-status", "closed")
    assert timeline_kinds(phone) == [kind for kind in LOOP if kind != "demand_answered"]
