"""On a phone: an enterprise contact scans its enterprise code, logs in, opens "my evaluation" and "my policies"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from enterprises.models import YearFigures
from evaluation import actions
from evaluation.models import ModuleOpen
from evaluation.seeding import seed_zone

from ..evaluation.conftest import DEFINITION, WAN, YEAR, evaluation_admin  # noqa: F401  (fixture)
from ..factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evaluated_hongda(hongda, evaluation_admin):  # noqa: F811
    """宏达 (below scale, 5 mu, 20万 tax: 4万/亩 → 40 points, class C) in a round sent for confirmation."""
    seed_zone()
    YearFigures.objects.create(enterprise=hongda, year=YEAR, land_area_mu=5, tax_paid_fen=20 * WAN,
                               revenue_fen=800 * WAN, employees=12)
    scheme = actions.do_create_scheme(acting_user=evaluation_admin, year=YEAR, name="2025", definition=DEFINITION)
    round_ = actions.do_start_round(scheme, acting_user=evaluation_admin)
    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    return hongda


def test_a_contact_opens_the_zone_from_the_code_and_sees_its_evaluation_and_policies(
        phone, evaluated_hongda, hongda_contact):
    token = actions.ensure_zone_code(evaluated_hongda).token

    # When the contact opens the QR link, the login page comes first
    phone.goto(f"/z/{token}/")
    expect(phone.locator("#login-form")).to_be_visible()
    phone.fill('input[name="username"]', hongda_contact.username)
    phone.fill('input[name="password"]', PASSWORD)
    phone.click('#login-form button[type="submit"]')

    # Then it lands back on its own zone, with the modules as tiles
    expect(phone.locator("#zone-head")).to_have_attribute("data-enterprise", str(evaluated_hongda.pk))
    expect(phone.locator('#zone-modules [data-module="my_evaluation"]')).to_be_visible()

    # When it opens "my evaluation": score 40, class C, low efficiency, and the figures to confirm
    phone.click('#zone-modules [data-module="my_evaluation"]')
    expect(phone.locator("#result-head")).to_have_attribute("data-class", "C")
    expect(phone.locator("#result-head")).to_have_attribute("data-score", "40.00")
    expect(phone.locator("#low-efficiency")).to_be_visible()
    phone.click("#confirm-data")
    expect(phone.locator("#confirmation")).to_have_attribute("data-confirmation", "confirmed")
    # The page fits the phone: nothing wider than the screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # When it goes back to the zone and opens "my policies", the check-up of its own enterprise opens
    phone.goto(f"/z/{token}/")
    phone.click('#zone-modules [data-module="my_policies"]')
    expect(phone).to_have_url(re.compile(r"/policies/checkup/$"))
    expect(phone.locator("#checkup-enterprise")).to_have_text(evaluated_hongda.name)
    assert dict(ModuleOpen.objects.values_list("module__code", "count")) == {"my_evaluation": 1, "my_policies": 1}
