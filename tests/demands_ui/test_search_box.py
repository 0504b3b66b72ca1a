"""The workbench search box: demand numbers, titles and enterprise names, within the clerk's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demands import views
from demands.models import Status

from .conftest import numbers_listed

pytestmark = pytest.mark.django_db


def listed(client, text: str) -> set[str]:
    return set(numbers_listed(client.get(reverse("demands-list"), {"q": text, "queue": "all"})))


def test_the_search_box_finds_a_demand_by_number_title_or_enterprise(log_in, journey, zhouxiang_clerk):
    # Given two demands of 宏达 with different titles
    power_cut = journey.demand_in(Status.ROUTED, title="厂区频繁停电")
    tax = journey.demand_in(Status.ACCEPTED, title="研发费用加计扣除咨询")
    client = log_in(zhouxiang_clerk)
    # When the clerk types a number, its start, its last digits, a title word or the enterprise name
    assert listed(client, power_cut.number) == {power_cut.number}
    assert listed(client, power_cut.number.lower()) == {power_cut.number}
    assert listed(client, power_cut.number[-3:]) >= {power_cut.number}
    assert listed(client, "停电") == {power_cut.number}
    assert listed(client, "宏达") == {power_cut.number, tax.number}
    assert listed(client, power_cut.enterprise.credit_code) == {power_cut.number, tax.number}
    assert listed(client, "cxdq") == {power_cut.number, tax.number}  # 慈溪市宏达电器 by its initials
    # Then nothing else matches
    assert listed(client, "不存在的诉求") == set()


def test_the_search_box_stays_in_the_clerks_town(log_in, journey, longteng_journey, zhouxiang_clerk):
    theirs = longteng_journey.demand_in(Status.ROUTED, title="龙腾停电")
    client = log_in(zhouxiang_clerk)
    assert listed(client, "龙腾") == set()
    assert listed(client, theirs.number) == set()


def test_a_wide_search_says_more_than_the_cap(log_in, journey, zhouxiang_clerk, monkeypatch):
    # Given a cap of 2 and three matching demands
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 2)
    for i in range(3):
        journey.demand_in(Status.RECEIVED, title=f"停电{i}")
    response = log_in(zhouxiang_clerk).get(reverse("demands-list"), {"q": "停电", "queue": "all"})
    # Then the count stopped after cap + 1 and the page says "more than", not an exact number
    assert response.context["capped"] is True
    assert response.context["page"].paginator.count == 3
    assert len(response.context["page"].object_list) == 3
