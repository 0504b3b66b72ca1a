"""In a real browser: while a clerk types a demand at intake, similar open demands appear with links."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from demands import actions as demand_actions
from demands.models import AppealType
from intelligence import actions, classifier, open_index
from reference.models import Channel

from ..factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trained(settings, tmp_path):
    """A private model directory with a model trained on part of the corpus (quicker than all of it)."""
    settings.VAR_DIR = tmp_path
    settings.QIFU_OPEN_INDEX_REFRESH_SECONDS = 0
    classifier._cache.clear()
    open_index._cache.clear()
    actions.do_train_model(classifier.read_corpus()[::3])
    yield
    classifier._cache.clear()
    open_index._cache.clear()


def test_similar_open_demands_appear_as_the_clerk_types(page, trained, platform_clerk, hongda_contact):
    power_cut = demand_actions.do_submit_demand(
        acting_user=hongda_contact, enterprise=hongda_contact.enterprise, channel=Channel.objects.get(code="hotline"),
        appeal_type=AppealType.REQUEST, title="园区停电", text="周巷工业园区今天上午突然停电，注塑机全停了，什么时候来电")
    page.goto("/accounts/login/")
    page.fill('input[name="username"]', platform_clerk.username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('#login-form button[type="submit"]')

    page.goto("/demands/new/")
    panel = page.locator("[data-similar-demands]")
    expect(panel).to_be_hidden()
    page.locator("#id_text").press_sequentially("周巷园区停电一上午了，车间全停了")

    expect(panel).to_be_visible()
    first = panel.locator("[data-similar-list] li").first
    expect(first).to_have_attribute("data-demand-id", str(power_cut.pk))
    expect(first.locator("a")).to_have_attribute("href", f"/demands/{power_cut.pk}/")

    # And clearing the text hides the panel again
    page.locator("#id_text").fill("")
    expect(panel).to_be_hidden()
