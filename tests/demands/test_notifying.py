"""Who hears about which step of a demand, and that the notices share the step's fate."""

from __future__ import annotations

import pytest
from django.utils import translation

from demands import actions
from demands.models import Status
from notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user, channel=Channel.IN_APP).order_by("id")
                .values_list("subject", flat=True))


def test_each_step_tells_the_next_person(journey, zhouxiang_clerk, longshan_clerk, department_handler,
                                         hongda_contact, supervisor):
    # When 宏达's demand goes from submission to the answer being passed on
    with translation.override("en"):
        demand = journey.demand_in(Status.FEEDBACK_GIVEN)

    # Then the 周巷 window heard of it arriving and of the answer, the bureau of its routing,
    # 宏达 of the answer, and nobody else of anything
    number = demand.number
    assert inbox(zhouxiang_clerk) == [f"New demand {number}", f"Demand {number} answered"]
    assert inbox(department_handler) == [f"Demand {number} routed to you"]
    assert inbox(hongda_contact) == ["Your demand has been answered"]
    assert inbox(longshan_clerk) == inbox(supervisor) == []


def test_the_enterprise_gets_an_sms_at_the_demands_contact_phone(journey, hongda_contact):
    with translation.override("en"):
        demand = journey.demand_in(Status.FEEDBACK_GIVEN, contact_name="王芳", contact_phone="13812345678")

    sms = Notification.objects.get(channel=Channel.SMS)
    assert (sms.address, sms.recipient, sms.status) == ("13812345678", None, Notification.Status.PENDING)
    assert sms.body == f"Demand {demand.number}: 已与企业电话沟通，申报材料清单已发送。"


def test_the_sms_is_sent_only_once_the_step_is_committed(journey, django_capture_on_commit_callbacks):
    demand = journey.demand_in(Status.ANSWERED, contact_phone="13812345678")
    with django_capture_on_commit_callbacks() as wake_ups:
        actions.do_give_feedback(demand, acting_user=journey.clerk, version=demand.version)
    assert len(wake_ups) == 1  # the worker is woken after commit, not before
    assert Notification.objects.get(channel=Channel.SMS).status == Notification.Status.PENDING


def test_a_step_whose_notices_cannot_be_written_is_not_half_done(journey, monkeypatch, department_handler):
    # Given the notices for a routing cannot be written (say the outbox table is locked)
    demand = journey.demand_in(Status.ACCEPTED)

    def broken(*args, **kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("demands.notifying.notify_users", broken)

    # When the window routes the demand
    with pytest.raises(RuntimeError):
        actions.do_route(demand, acting_user=journey.clerk, version=demand.version, lead_unit=journey.lead_unit)

    # Then the routing did not happen either: one transaction, as demands/actions.py promises
    demand.refresh_from_db()
    assert demand.status == Status.ACCEPTED
    assert not demand.events.filter(kind="demand_routed").exists()
