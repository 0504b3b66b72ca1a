"""On a phone, a liaison cadre logs a visit to an enterprise in their charge; the problems
written down become demands (channel ``visit``) linked to the visit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from demands.models import Demand
from enterprises import actions as enterprise_actions
from liaisons import actions
from liaisons.models import Level, Visit, visit_of

from ..factories import PASSWORD, credit_code, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def neighbour(system_admin, zhouxiang):
    """Another 周巷 enterprise, not in the cadre's charge: found with the search box."""
    return enterprise_actions.do_create_enterprise(acting_user=system_admin, credit_code=credit_code(77),
                                                   name="慈溪市邻家塑料厂", town=zhouxiang)


@pytest.fixture
def cadre(hongda, supervisor):
    person = make_user("zx_cadre", role=Role.Code.LIAISON, org="window_zhouxiang", display_name="徐建军")
    actions.do_assign(hongda, person, Level.TOWN, acting_user=supervisor)
    return person


def test_a_cadre_logs_a_visit_on_a_phone_and_creates_demands(phone, cadre, hongda, neighbour):
    phone.goto("/accounts/login/")
    phone.fill('input[name="username"]', "zx_cadre")
    phone.fill('input[name="password"]', PASSWORD)
    phone.click('#login-form button[type="submit"]')
    expect(phone.locator("#login-form")).to_have_count(0)

    # The not-visited list names the enterprise in the cadre's charge, with a button to log a visit.
    phone.goto("/liaisons/")
    row = phone.locator(f'#unvisited-rows [data-enterprise="{hongda.pk}"]')
    expect(row).to_be_visible()
    row.locator('a[href*="visits/new"]').click()

    expect(phone.locator(f'input[name="enterprises"][value="{hongda.pk}"]')).to_be_checked()
    # A second enterprise visited on the same trip, found by name.
    phone.fill("#enterprise-search", "邻家")
    phone.click(f'[data-pick="{neighbour.pk}"]')
    expect(phone.locator(f'input[name="enterprises"][value="{neighbour.pk}"]')).to_be_checked()
    phone.fill('textarea[name="summary"]', "了解企业订单和用工情况，宣讲技改政策")
    phone.fill('textarea[name="problems-0-text"]', "年底缺普工三十人，希望对接劳务招聘")
    phone.click("#add-problem")
    phone.fill('textarea[name="problems-2-text"]', "厂区变压器容量不足，需要增容")
    phone.select_option('select[name="problems-2-enterprise"]', str(neighbour.pk))
    phone.click("#visit-submit")

    expect(phone).to_have_url(re.compile(r"/liaisons/visits/\d+/$"))
    expect(phone.locator("#visit-problems [data-demand]")).to_have_count(2)
    visit = Visit.objects.get()
    assert set(visit.enterprises.all()) == {hongda, neighbour}
    demands = list(Demand.objects.order_by("id"))
    assert [d.channel.code for d in demands] == ["visit", "visit"]
    assert all(visit_of(d) == visit for d in demands)
    assert [d.enterprise for d in demands] == [hongda, neighbour]
    # The page fits the phone: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
