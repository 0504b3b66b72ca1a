"""Submitting a demand: idempotency keys, the description's limits, what a new demand carries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from demands.models import Demand, DemandEvent, Status
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_new_demand_is_received_numbered_and_placed_in_the_enterprises_town(journey, hongda, zhouxiang,
                                                                              zhouxiang_clerk, longshan_clerk):
    demand = journey.submit(contact_name="王芳", contact_phone="13812345678")

    demand.refresh_from_db()
    assert demand.number == f"SQ2026{demand.pk:07d}"
    assert (demand.status, demand.enterprise, demand.town, demand.version) == (
        Status.RECEIVED, hongda, zhouxiang, 1)
    assert demand.accept_due_on == dt.date(2026, 3, 3)  # one working day after Monday 2 March
    event = demand.events.get()
    assert (event.kind, event.to_status, event.data) == (
        "demand_received", Status.RECEIVED, {"channel": "hotline", "appeal_type": "request"})
    # the town's window hears of it, the other town's does not
    assert Notification.objects.filter(recipient=zhouxiang_clerk).count() == 1
    assert not Notification.objects.filter(recipient=longshan_clerk).exists()


def test_submitting_twice_with_the_same_key_gives_the_same_demand(journey):
    # Given 宏达's contact presses "submit" twice (a double click, a retried request)
    first = journey.submit(idempotency_key="form-7c1e9a")
    second = journey.submit(idempotency_key="form-7c1e9a", title="第二次提交")

    # Then there is one demand, with one history
    assert second.pk == first.pk
    assert Demand.objects.count() == 1
    assert DemandEvent.objects.filter(kind="demand_received").count() == 1
    assert Demand.objects.get().title == "申请研发费用加计扣除"


def test_different_keys_or_no_key_give_different_demands(journey):
    journey.submit(idempotency_key="form-1")
    journey.submit(idempotency_key="form-2")
    journey.submit()
    journey.submit()
    assert Demand.objects.count() == 4


@pytest.mark.parametrize("text", ["", "   \n\t  "], ids=["empty", "blank"])
def test_an_empty_description_is_refused(text, journey):
    with pytest.raises(ValidationError):
        journey.submit(text=text)
    assert not Demand.objects.exists()


def test_a_description_over_the_limit_is_refused_and_one_at_the_limit_accepted(journey, settings):
    settings.QIFU_DEMAND_TEXT_MAX = 50

    with pytest.raises(ValidationError):
        journey.submit(text="电" * 51)
    assert not Demand.objects.exists()

    demand = journey.submit(text="电" * 50)
    assert demand.text == "电" * 50


def test_the_description_limit_is_the_settings_value(journey, settings):
    with pytest.raises(ValidationError):
        journey.submit(text="x" * (settings.QIFU_DEMAND_TEXT_MAX + 1))
    assert journey.submit(text="x" * settings.QIFU_DEMAND_TEXT_MAX).pk


def test_without_a_title_the_start_of_the_cleaned_description_is_used(journey):
    demand = journey.submit(title="", text="\n  厂区周边道路夜间无路灯，货车进出存在安全隐患，请求协调安装路灯。  ")
    assert demand.title == "厂区周边道路夜间无路灯，货车进出存在安全隐患，请求协调安装路灯。"[:40]
