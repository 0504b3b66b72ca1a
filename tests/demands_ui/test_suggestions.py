"""The classifier's suggestion at the accept and route steps; staff accept or correct it, corrections are kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demands.models import Status
from intelligence.models import Correction

pytestmark = pytest.mark.django_db

POWER_CUT = "厂区这个月已经停电三次，都没有提前通知，设备损坏严重，请供电公司尽快解决。"


def act(demand, action: str) -> str:
    return reverse("demands-act", args=[demand.pk, action])


def accept(client, demand, category: str, suggested: str):
    return client.post(act(demand, "accept"), {
        "accept-version": demand.version, "accept-category": category, "accept-appeal_type": "request",
        "accept-priority": "normal", "accept-suggested_category": suggested,
    })


def test_the_accept_form_offers_the_suggested_category(log_in, journey, zhouxiang_clerk):
    # Given a demand about power cuts recorded without a category
    demand = journey.submit(title="停电", text=POWER_CUT, category=None)
    page = log_in(zhouxiang_clerk).get(reverse("demands-detail", args=[demand.pk]))
    form = next(f for f in page.context["action_forms"] if f.action == "accept")
    # Then the suggestion is preselected and shown with its share
    assert form.initial["category"] == "utilities" == form.initial["suggested_category"]
    assert "水电气要素保障" in form.fields["category"].help_text


def test_a_different_choice_is_recorded_as_a_correction_and_agreement_is_not(log_in, journey, zhouxiang_clerk):
    client = log_in(zhouxiang_clerk)
    agreed = journey.submit(title="停电", text=POWER_CUT, category=None)
    corrected = journey.submit(title="停电", text=POWER_CUT, category=None)
    accept(client, agreed, "utilities", "utilities")
    accept(client, corrected, "environment", "utilities")
    assert [(c.demand_id, c.field, c.suggested, c.chosen) for c in Correction.objects.all()] == [
        (corrected.pk, "category", "utilities", "environment")]
    corrected.refresh_from_db()
    assert corrected.status == Status.ACCEPTED


def test_routing_to_another_department_than_suggested_is_recorded(log_in, journey, zhouxiang_clerk, kjj):
    demand = journey.to(journey.submit(title="停电", text=POWER_CUT), Status.ACCEPTED)
    client = log_in(zhouxiang_clerk)
    client.post(act(demand, "route"), {"route-version": demand.version, "route-lead_unit": kjj.pk,
                                       "route-suggested_department": "power"})
    demand.refresh_from_db()
    assert demand.status == Status.ROUTED
    assert list(Correction.objects.values_list("field", "suggested", "chosen")) == [("department", "power", "kjj")]
