"""The demand page: each person sees the actions that are theirs; stale and refused posts change nothing."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from demands import actions
from demands.models import Demand, DemandEvent, Status

from .conftest import action_forms_on

pytestmark = pytest.mark.django_db


def page_of(demand) -> str:
    return reverse("demands-detail", args=[demand.pk])


def act(demand, action: str) -> str:
    return reverse("demands-act", args=[demand.pk, action])


def snapshot(demand) -> tuple:
    demand = Demand.objects.get(pk=demand.pk)
    return demand.status, demand.version, demand.lead_unit_id, DemandEvent.objects.filter(demand=demand).count()


def test_a_route_posted_from_a_stale_page_gets_409_and_changes_nothing(
    log_in, journey, zhouxiang_clerk, platform_clerk, power, kjj, in_english
):
    # Given an accepted demand, open on the 周巷 clerk's screen at this version
    demand = journey.demand_in(Status.ACCEPTED)
    seen = demand.version
    # And meanwhile the city platform routes it to 供电公司
    actions.do_route(demand, acting_user=platform_clerk, version=seen, lead_unit=power)
    before = snapshot(demand)

    # When the 周巷 clerk posts the route to 市科技局 from the page they loaded
    response = log_in(zhouxiang_clerk).post(
        act(demand, "route"),
        {
            "route-version": seen,
            "route-lead_unit": kjj.pk,
            "route-note": "请科技局牵头办理",
        },
    )

    # Then they are told someone else changed it, their note is offered back, and nothing changed
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed demand" in content
    assert "请科技局牵头办理" in content
    assert snapshot(demand) == before


def test_a_transfer_posted_with_a_stale_version_gets_409_and_changes_nothing(
    log_in, journey, zhouxiang_clerk, supervisor, power, kjj, in_english
):
    # Given a routed demand (a transfer is still possible after another transfer)
    demand = journey.demand_in(Status.ROUTED)
    seen = demand.version
    actions.do_transfer(demand, acting_user=supervisor, version=seen, lead_unit=power)
    before = snapshot(demand)

    # When the window transfers it back to 市科技局 with the version it saw
    response = log_in(zhouxiang_clerk).post(
        act(demand, "transfer"), {"transfer-version": seen, "transfer-lead_unit": kjj.pk}
    )

    # Then the action layer refuses it as a conflict
    assert response.status_code == 409
    assert snapshot(demand) == before
    assert Demand.objects.get(pk=demand.pk).lead_unit == power


@pytest.mark.parametrize(
    ("persona", "status", "action", "data"),
    [
        pytest.param(
            "hongda_contact",
            Status.RECEIVED,
            "accept",
            {"accept-category": "innovation"},
            id="enterprise-accepts-its-own",
        ),
        pytest.param(
            "zhouxiang_clerk",
            Status.IN_PROGRESS,
            "answer",
            {"answer-answer": "已处理"},
            id="window-answers-for-the-unit",
        ),
        pytest.param(
            "department_handler",
            Status.ANSWERED,
            "give_feedback",
            {"give_feedback-reply": "已处理"},
            id="unit-tells-the-enterprise",
        ),
        pytest.param("zhouxiang_clerk", Status.IN_PROGRESS, "close", {}, id="window-closes-too-early"),
    ],
)
def test_an_action_that_is_not_yours_now_is_refused_with_a_message(
    persona, status, action, data, log_in, journey, request, in_english
):
    # Given a demand at this step, and a person who may see it but not take this action now
    demand = journey.demand_in(status)
    before = snapshot(demand)

    # When they post the action with the current version
    response = log_in(request.getfixturevalue(persona)).post(
        act(demand, action), {f"{action}-version": demand.version, **data}
    )

    # Then they are sent back to the page with a clear message, and nothing changed
    assert response.status_code == 302 and response.url == page_of(demand)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("is not possible on this demand now" in m for m in messages), messages
    assert snapshot(demand) == before


def test_an_unknown_action_is_404(log_in, journey, zhouxiang_clerk):
    demand = journey.submit()

    response = log_in(zhouxiang_clerk).post(act(demand, "delete"), {"delete-version": demand.version})

    assert response.status_code == 404


def test_the_window_accepts_through_the_page(log_in, journey, zhouxiang_clerk, in_english):
    demand = journey.submit()

    response = log_in(zhouxiang_clerk).post(
        act(demand, "accept"),
        {
            "accept-version": demand.version,
            "accept-category": "innovation",
            "accept-appeal_type": "request",
            "accept-priority": "normal",
        },
        follow=True,
    )

    demand.refresh_from_db()
    assert (demand.status, demand.category.code) == (Status.ACCEPTED, "innovation")
    assert "Done: Accept." in [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("status", "persona", "offered"),
    [
        pytest.param(Status.RECEIVED, "zhouxiang_clerk", {"accept", "merge", "add_note"}, id="received-window"),
        pytest.param(Status.RECEIVED, "hongda_contact", {"withdraw"}, id="received-enterprise"),
        pytest.param(Status.ACCEPTED, "zhouxiang_clerk", {"route", "merge", "add_note"}, id="accepted-window"),
        pytest.param(Status.ACCEPTED, "supervisor", {"supervise", "add_note"}, id="accepted-supervisor"),
        pytest.param(Status.ROUTED, "zhouxiang_clerk", {"transfer", "merge", "add_note"}, id="routed-window"),
        pytest.param(Status.ROUTED, "department_handler", {"send_back", "start", "add_note"}, id="routed-handler"),
        pytest.param(
            Status.IN_PROGRESS,
            "department_handler",
            {"send_back", "request_info", "request_extension", "answer", "add_note"},
            id="in-progress-handler",
        ),
        pytest.param(Status.ANSWERED, "zhouxiang_clerk", {"give_feedback", "add_note"}, id="answered-window"),
        pytest.param(Status.ANSWERED, "department_handler", {"add_note"}, id="answered-handler"),
        pytest.param(Status.FEEDBACK_GIVEN, "hongda_contact", {"rate", "reopen"}, id="fed-back-enterprise"),
        pytest.param(Status.RATED, "zhouxiang_clerk", {"reopen", "close"}, id="rated-window"),
        pytest.param(Status.RATED, "department_handler", set(), id="rated-handler"),
    ],
)
def test_each_person_sees_only_the_action_forms_that_are_theirs(status, persona, offered, log_in, journey, request):
    demand = journey.demand_in(status)

    response = log_in(request.getfixturevalue(persona)).get(page_of(demand))

    assert response.status_code == 200
    assert action_forms_on(response) == offered


def test_a_handler_cannot_open_a_demand_not_yet_routed_to_the_unit(log_in, journey, department_handler):
    demand = journey.demand_in(Status.ACCEPTED)

    assert log_in(department_handler).get(page_of(demand)).status_code == 404


def test_internal_notes_never_reach_the_enterprise_page(
    log_in, journey, zhouxiang_clerk, department_handler, hongda_contact
):
    # Given a demand answered with an internal note, and an internal note by the window
    demand = journey.demand_in(Status.IN_PROGRESS)
    actions.do_add_note(demand, acting_user=zhouxiang_clerk, note="窗口内部：该企业去年已投诉两次")
    demand.refresh_from_db()
    actions.do_answer(
        demand,
        acting_user=department_handler,
        version=demand.version,
        answer="申报材料清单已发送至企业邮箱。",
        internal_note="科技局内部：需分管领导签字",
    )
    actions.do_add_note(demand, acting_user=zhouxiang_clerk, note="已电话告知企业，答复将于本周发出", internal=False)

    # Then the staff page shows every note
    staff = log_in(zhouxiang_clerk).get(page_of(demand)).content.decode()
    assert "该企业去年已投诉两次" in staff and "需分管领导签字" in staff

    # And the enterprise page shows the public note but none of the internal ones
    mine = log_in(hongda_contact).get(page_of(demand)).content.decode()
    assert "已电话告知企业" in mine
    assert "该企业去年已投诉两次" not in mine
    assert "需分管领导签字" not in mine
    assert 'data-internal="true"' not in mine
    # (the answer itself reaches the enterprise only when the window gives feedback)
    assert "申报材料清单已发送至企业邮箱" not in mine
