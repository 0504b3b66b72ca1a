"""Bulk routing from the workbench, the enterprise's own list, and who the enterprise sees acting."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from demands import actions
from demands.models import Demand, Status

from ..factories import read_xlsx
from .conftest import numbers_listed

pytestmark = pytest.mark.django_db


def test_bulk_routing_routes_each_fresh_demand_and_refuses_stale_or_foreign_ones(
    log_in, journey, longteng_journey, zhouxiang_clerk, kjj, power, in_english
):
    # Given two accepted demands of 周巷 (one of them changed since the list was loaded) and one of 龙山
    fresh, stale = journey.demand_in(Status.ACCEPTED), journey.demand_in(Status.ACCEPTED)
    seen = stale.version
    actions.do_add_note(stale, acting_user=zhouxiang_clerk, note="先核实企业地址")
    foreign = longteng_journey.demand_in(Status.ACCEPTED)

    # When the 周巷 clerk routes all three to 市科技局 at once
    response = log_in(zhouxiang_clerk).post(
        reverse("demands-bulk-route"),
        {
            "lead_unit": kjj.pk,
            "selected": [f"{fresh.pk}:{fresh.version}", f"{stale.pk}:{seen}", f"{foreign.pk}:{foreign.version}"],
        },
    )

    # Then only the fresh one is routed, and each refusal is explained
    assert response.status_code == 302
    routed = dict(Demand.objects.values_list("number", "lead_unit"))
    assert routed == {fresh.number: kjj.pk, stale.number: None, foreign.number: None}
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(stale.number in m and "Someone else changed" in m for m in messages), messages
    assert any(f"#{foreign.pk} is not in your area" in m for m in messages), messages
    assert any(fresh.number in m and "Routed to" in m for m in messages), messages


def test_a_form_key_of_another_clerk_is_refused(log_in, zhouxiang_clerk, platform_clerk, hongda):
    form = {
        "channel": "hotline",
        "enterprise": hongda.pk,
        "appeal_type": "request",
        "priority": "normal",
        "text": "企业用电负荷不足",
        "idempotency_key": uuid.uuid4().hex,
    }
    log_in(zhouxiang_clerk).post(reverse("demands-new"), form)

    response = log_in(platform_clerk).post(reverse("demands-new"), form)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Demand.objects.count() == 1


def test_the_enterprise_lists_only_its_own_demands(log_in, journey, longteng_journey, hongda_contact):
    own = journey.submit()
    longteng_journey.submit()

    response = log_in(hongda_contact).get(reverse("demands-mine"))

    assert response.status_code == 200
    assert [d.number for d in response.context["page"].object_list] == [own.number]


def test_the_enterprise_sees_units_not_the_names_of_civil_servants(log_in, journey, hongda_contact, kjj):
    demand = journey.demand_in(Status.FEEDBACK_GIVEN)

    content = log_in(hongda_contact).get(reverse("demands-detail", args=[demand.pk])).content.decode()

    assert kjj.name in content
    for name in ("周窗口", "科技局承办人", "zx_window", "kjj_handler"):
        assert name not in content


def test_a_handler_list_and_export_hold_only_what_the_unit_handles(
    log_in, journey, longteng_journey, department_handler
):
    mine = journey.demand_in(Status.ROUTED)
    journey.demand_in(Status.ACCEPTED)
    longteng_journey.demand_in(Status.ROUTED)
    client = log_in(department_handler)

    assert numbers_listed(client.get(reverse("demands-list"), {"queue": "all"})) == {mine.number}
    export = client.get(reverse("demands-export"), {"queue": "all"})
    exported = read_xlsx(b"".join(export.streaming_content) if export.streaming else export.content)
    assert [row[0] for row in exported[1:]] == [mine.number]
