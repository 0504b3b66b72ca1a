"""The closed loop: every transition of workflow.TRANSITIONS taken by the right person,
and refused for the wrong status or the wrong person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import Organisation
from demands import actions, workflow
from demands.models import ExtensionRequest, Satisfaction, Status, SupervisionOrder
from demands.workflow import TRANSITIONS, Side, TransitionNotAllowed, action_label
from notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db

FRIDAY_BEFORE_SPRING_FESTIVAL = dt.date(2026, 2, 13)


# --- One way to take each action: (a status it starts from, how a person takes it) ---------


def _extension_decided(journey, demand, user):
    extension = actions.do_request_extension(demand, acting_user=journey.handler, version=demand.version,
                                             working_days=2, reason="需现场核查")
    actions.do_decide_extension(extension, acting_user=user, approve=True)


def _supervised(journey, demand, user):
    if user is None:
        actions.do_supervise(demand, reason="逾期未办结", system=True)
    else:
        actions.do_supervise(demand, acting_user=user, reason="请加快办理")


def _jxj():
    return Organisation.objects.get(code="dept_jxj")


WALKS = {
    "accept": (Status.RECEIVED, lambda j, d, u: actions.do_accept(
        d, acting_user=u, version=d.version, category=j.category)),
    "route": (Status.ACCEPTED, lambda j, d, u: actions.do_route(
        d, acting_user=u, version=d.version, lead_unit=j.lead_unit)),
    "transfer": (Status.ROUTED, lambda j, d, u: actions.do_transfer(
        d, acting_user=u, version=d.version, lead_unit=_jxj())),
    "send_back": (Status.IN_PROGRESS, lambda j, d, u: actions.do_send_back(
        d, acting_user=u, version=d.version, reason="不属于本单位职责")),
    "start": (Status.ROUTED, lambda j, d, u: actions.do_start(d, acting_user=u, version=d.version)),
    "request_info": (Status.IN_PROGRESS, lambda j, d, u: actions.do_request_info(
        d, acting_user=u, version=d.version, question="请提供用电户号")),
    "supply_info": (Status.WAITING_INFO, lambda j, d, u: actions.do_supply_info(
        d, acting_user=u, version=d.version, text="户号 3302001234")),
    "request_extension": (Status.IN_PROGRESS, lambda j, d, u: actions.do_request_extension(
        d, acting_user=u, version=d.version, working_days=3, reason="需协调多个部门")),
    "decide_extension": (Status.IN_PROGRESS, _extension_decided),
    "answer": (Status.IN_PROGRESS, lambda j, d, u: actions.do_answer(
        d, acting_user=u, version=d.version, answer="已办结")),
    "give_feedback": (Status.ANSWERED, lambda j, d, u: actions.do_give_feedback(
        d, acting_user=u, version=d.version)),
    "rate": (Status.FEEDBACK_GIVEN, lambda j, d, u: actions.do_rate(
        d, acting_user=u, version=d.version, satisfaction=Satisfaction.SATISFIED, solved=True)),
    "reopen": (Status.RATED, lambda j, d, u: actions.do_reopen(
        d, acting_user=u, version=d.version, comment="问题仍未解决")),
    "close": (Status.RATED, lambda j, d, u: actions.do_close(d, acting_user=u, version=d.version)),
    "close_unrated": (Status.FEEDBACK_GIVEN, lambda j, d, u: actions.do_close_unrated(d)),
    "merge": (Status.RECEIVED, lambda j, d, u: actions.do_merge(
        d, acting_user=u, version=d.version, into=j.submit(title="同一问题的首次反映"))),
    "withdraw": (Status.ACCEPTED, lambda j, d, u: actions.do_withdraw(
        d, acting_user=u, version=d.version, reason="问题已自行解决")),
    "supervise": (Status.ROUTED, _supervised),
    "add_note": (Status.IN_PROGRESS, lambda j, d, u: actions.do_add_note(d, acting_user=u, note="已电话联系企业")),
}

# Who stands on each side of 宏达's demand (routed to 市科技局 with 供电公司 as co-handler).
PERSONA_OF_SIDE = {
    Side.WINDOW: "zhouxiang_clerk",
    Side.HANDLER: "department_handler",
    Side.CO_HANDLER: "power_handler",
    Side.ENTERPRISE: "hongda_contact",
    Side.SUPERVISOR: "supervisor",
    Side.SYSTEM: None,
}

ALLOWED = [
    pytest.param(action, side, id=f"{action}-by-{side.value}")
    for action, transition in TRANSITIONS.items()
    for side in sorted(transition.sides, key=lambda s: s.value)
]


# Who may take which action: the loop as the service office describes it.  The table in
# demands/workflow.py must say the same; changing who may do what means changing this too.
W, H, CO, E, S, SYS = (Side.WINDOW, Side.HANDLER, Side.CO_HANDLER, Side.ENTERPRISE, Side.SUPERVISOR,
                       Side.SYSTEM)
WHO_MAY = {
    "accept": {W}, "route": {W}, "transfer": {W, S}, "send_back": {H}, "start": {H}, "request_info": {H},
    "supply_info": {E, W}, "request_extension": {H}, "decide_extension": {S}, "answer": {H},
    "give_feedback": {W}, "rate": {E, W}, "reopen": {E, W}, "close": {W, S}, "close_unrated": {SYS},
    "merge": {W}, "withdraw": {E}, "supervise": {S, SYS}, "add_note": {W, H, CO, S},
}


def test_the_table_gives_each_action_to_the_people_the_loop_names():
    assert {action: set(t.sides) for action, t in TRANSITIONS.items()} == WHO_MAY
    assert TRANSITIONS["answer"].sources == {Status.IN_PROGRESS}
    assert TRANSITIONS["reopen"].sources == {Status.FEEDBACK_GIVEN, Status.RATED}
    assert all(status not in t.sources for t in TRANSITIONS.values() for status in
               (Status.CLOSED, Status.MERGED, Status.WITHDRAWN))


def test_every_transition_in_the_table_has_a_walk():
    assert set(WALKS) == set(TRANSITIONS)
    for action, (source, _walk) in WALKS.items():
        assert source in TRANSITIONS[action].sources, action


@pytest.mark.parametrize(("action", "side"), ALLOWED)
def test_each_side_named_in_the_table_can_take_its_action(action, side, journey, power, request):
    # Given 宏达's demand in a status the action starts from
    source, walk = WALKS[action]
    demand = journey.demand_in(source, co_handlers=[power])
    events_before = demand.events.count()
    persona = PERSONA_OF_SIDE[side]
    user = request.getfixturevalue(persona) if persona else None

    # When the person on that side takes the action
    walk(journey, demand, user)

    # Then the demand has the table's new status and one more event, of the table's kind, by that person
    demand.refresh_from_db()
    transition = TRANSITIONS[action]
    assert demand.status == (transition.target or source)
    assert demand.events.count() == events_before + (2 if action == "decide_extension" else 1)
    last = demand.events.last()
    assert (last.kind, last.actor, last.from_status, last.to_status) == (
        transition.event, user, source, demand.status)


# --- Refusals, decided by the table alone ------------------------------------------------


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_an_action_from_any_other_status_is_refused_naming_the_action_and_the_status(action):
    transition = TRANSITIONS[action]
    everyone = set(Side)
    with translation.override("en"):
        for status in sorted(set(Status.values) - transition.sources):
            with pytest.raises(TransitionNotAllowed) as refused:
                workflow.check(action, status, everyone)
            label, status_label = action_label(action), str(Status(status).label)
            assert str(refused.value) == f"“{label}” is not possible while the demand is “{status_label}”."


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_an_action_is_refused_to_every_side_the_table_does_not_name(action):
    transition = TRANSITIONS[action]
    with translation.override("en"):
        for status in transition.sources:
            assert workflow.check(action, status, set(transition.sides)) is transition
            for side in [*(set(Side) - transition.sides), None]:
                with pytest.raises(TransitionNotAllowed, match=f"You cannot “{action_label(action)}” this demand"):
                    workflow.check(action, status, {side} if side else set())


def test_the_buttons_offered_follow_the_table():
    assert workflow.allowed_actions(Status.ROUTED, {Side.HANDLER}) == ["send_back", "start", "add_note"]
    assert workflow.allowed_actions(Status.ROUTED, {Side.CO_HANDLER}) == ["add_note"]
    assert workflow.allowed_actions(Status.FEEDBACK_GIVEN, {Side.ENTERPRISE}) == ["rate", "reopen"]
    assert workflow.allowed_actions(Status.CLOSED, set(Side)) == []


def test_answering_a_demand_nobody_has_accepted_is_refused_in_plain_words(journey, department_handler):
    demand = journey.submit()
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as refused:
        actions.do_answer(demand, acting_user=department_handler, version=demand.version, answer="已办结")
    assert str(refused.value) == "“answer” is not possible while the demand is “Received”."
    demand.refresh_from_db()
    assert (demand.status, demand.answer) == (Status.RECEIVED, "")


# --- Refusals for the wrong person, end to end -------------------------------------------

WRONG_PEOPLE = [
    pytest.param("hongda_contact", Status.ACCEPTED, "route", False, id="enterprise-routes"),
    pytest.param("zhouxiang_clerk", Status.IN_PROGRESS, "answer", False, id="window-answers"),
    pytest.param("power_handler", Status.ROUTED, "start", False, id="other-unit-starts"),
    pytest.param("power_handler", Status.IN_PROGRESS, "answer", True, id="co-handler-answers"),
    pytest.param("longshan_clerk", Status.RECEIVED, "accept", False, id="other-town-window-accepts"),
    pytest.param("longteng_contact", Status.RECEIVED, "withdraw", False, id="other-enterprise-withdraws"),
    pytest.param("longteng_contact", Status.FEEDBACK_GIVEN, "rate", False, id="other-enterprise-rates"),
    pytest.param("supervisor", Status.RECEIVED, "accept", False, id="supervisor-accepts"),
    pytest.param("department_handler", Status.RATED, "close", False, id="handler-closes"),
    pytest.param("hongda_contact", Status.IN_PROGRESS, "supervise", False, id="enterprise-supervises"),
    pytest.param("outsider", Status.IN_PROGRESS, "add_note", False, id="outsider-notes"),
    pytest.param("department_handler", Status.RATED, "reopen", False, id="handler-reopens"),
    pytest.param("hongda_contact", Status.ANSWERED, "give_feedback", False, id="enterprise-gives-feedback"),
]


@pytest.mark.parametrize(("persona", "status", "action", "with_co_handler"), WRONG_PEOPLE)
def test_the_wrong_person_cannot_take_an_action_and_nothing_changes(
    persona, status, action, with_co_handler, journey, power, request
):
    # Given 宏达's demand at a point where the action is possible for someone
    demand = journey.demand_in(status, co_handlers=[power] if with_co_handler else ())
    before = (demand.status, demand.version, demand.events.count())
    user = request.getfixturevalue(persona)

    # When the wrong person tries it
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as refused:
        WALKS[action][1](journey, demand, user)

    # Then they are told so (in the language of the request), and the demand is as it was
    with translation.override("en"):
        assert str(refused.value) == f"You cannot “{action_label(action)}” this demand."
    demand.refresh_from_db()
    assert (demand.status, demand.version, demand.events.count()) == before


# --- The loop and its detours --------------------------------------------------------------


def test_the_full_loop_from_receipt_to_close_out(journey, hongda_contact, zhouxiang_clerk, department_handler, kjj):
    # Given 宏达 submits a demand
    demand = journey.submit()

    # When the window accepts and routes it, the bureau answers, the window passes the answer on,
    # 宏达 rates it and the window closes it out
    demand = actions.do_accept(demand, acting_user=zhouxiang_clerk, version=demand.version,
                               category=journey.category)
    demand = actions.do_route(demand, acting_user=zhouxiang_clerk, version=demand.version, lead_unit=kjj)
    demand = actions.do_start(demand, acting_user=department_handler, version=demand.version)
    demand = actions.do_answer(demand, acting_user=department_handler, version=demand.version,
                               answer="符合加计扣除条件，已指导申报。")
    demand = actions.do_give_feedback(demand, acting_user=zhouxiang_clerk, version=demand.version)
    demand = actions.do_rate(demand, acting_user=hongda_contact, version=demand.version,
                             satisfaction=Satisfaction.SATISFIED, solved=True, comment="响应很快")
    demand = actions.do_close(demand, acting_user=zhouxiang_clerk, version=demand.version)

    # Then the history tells the whole story in order, each step by the person who took it
    history = list(demand.events.values_list("kind", "from_status", "to_status", "actor__username"))
    assert history == [
        ("demand_received", "", "received", "hongda_wang"),
        ("demand_accepted", "received", "accepted", "zx_window"),
        ("demand_routed", "accepted", "routed", "zx_window"),
        ("demand_started", "routed", "in_progress", "kjj_handler"),
        ("demand_answered", "in_progress", "answered", "kjj_handler"),
        ("demand_feedback_given", "answered", "feedback_given", "zx_window"),
        ("demand_rated", "feedback_given", "rated", "hongda_wang"),
        ("demand_closed", "rated", "closed", "zx_window"),
    ]
    demand.refresh_from_db()
    assert demand.status == Status.CLOSED
    assert demand.closed_at is not None and demand.answered_at is not None
    assert demand.answered_late is False
    assert (demand.satisfaction, demand.solved, demand.rating_comment) == ("satisfied", True, "响应很快")
    assert demand.version == 8
    assert demand.events.get(kind="demand_routed").unit == kjj
    # and 宏达's contact was told in the app that the demand had been answered
    assert Notification.objects.filter(recipient=hongda_contact, channel=Channel.IN_APP,
                                       link=f"/demands/{demand.pk}/").exists()


def test_an_answer_after_the_due_date_is_marked_late(journey, clock):
    demand = journey.demand_in(Status.IN_PROGRESS)  # routed on Monday 2026-03-02: due Monday 2026-03-09
    clock.set(dt.date(2026, 3, 10))
    answered = journey.step(demand)
    assert (answered.answer_due_on, answered.answered_late) == (dt.date(2026, 3, 9), True)


def test_the_handler_sends_back_a_wrongly_routed_demand_to_the_window(journey, department_handler):
    # Given a demand routed to 市科技局 and started there
    demand = journey.demand_in(Status.IN_PROGRESS)

    # When the handler sends it back without a reason, nothing happens; with one, it goes back to the window
    with pytest.raises(ValidationError):
        actions.do_send_back(demand, acting_user=department_handler, version=demand.version, reason="  ")
    back = actions.do_send_back(demand, acting_user=department_handler, version=demand.version,
                                reason="属于供电公司职责")

    # Then it is accepted again, with no unit and no answer clock, and the bureau is named in the history
    back.refresh_from_db()
    assert (back.status, back.lead_unit, back.answer_due_on) == (Status.ACCEPTED, None, None)
    event = back.events.last()
    assert (event.kind, event.note, event.data) == ("demand_sent_back", "属于供电公司职责", {"previous_unit": "dept_kjj"})
    # and the bureau can no longer act on it
    with pytest.raises(TransitionNotAllowed):
        actions.do_start(back, acting_user=department_handler, version=back.version)


def test_a_transfer_gives_the_demand_to_the_new_unit_with_a_new_clock(
    journey, clock, supervisor, department_handler, power_handler, power
):
    # Given a demand routed to 市科技局 on Friday 2026-02-13 (due 2026-02-27)
    clock.set(FRIDAY_BEFORE_SPRING_FESTIVAL)
    demand = journey.demand_in(Status.IN_PROGRESS)
    assert demand.answer_due_on == dt.date(2026, 2, 27)

    # When a supervisor transfers it to 供电公司 on Thursday 2026-02-26
    clock.set(dt.date(2026, 2, 26))
    moved = actions.do_transfer(demand, acting_user=supervisor, version=demand.version, lead_unit=power)

    # Then 供电公司 has five working days from the transfer (27, 28 make-up Saturday, 2, 3, 4 March)
    assert (moved.status, moved.lead_unit, moved.answer_due_on) == (Status.ROUTED, power, dt.date(2026, 3, 4))
    event = moved.events.last()
    assert (event.kind, event.unit, event.data["answer_due_on"]) == ("demand_transferred", power, "2026-03-04")
    # and only the new unit can start it
    with pytest.raises(TransitionNotAllowed):
        actions.do_start(moved, acting_user=department_handler, version=moved.version)
    started = actions.do_start(moved, acting_user=power_handler, version=moved.version)
    assert started.status == Status.IN_PROGRESS


def test_an_approved_extension_moves_the_due_date_by_working_days(journey, clock, supervisor, department_handler):
    # Given a demand routed on Friday 2026-02-13, due 2026-02-27
    clock.set(FRIDAY_BEFORE_SPRING_FESTIVAL)
    demand = journey.demand_in(Status.IN_PROGRESS)

    # When the handler asks for three more working days and the supervisor approves
    extension = actions.do_request_extension(demand, acting_user=department_handler, version=demand.version,
                                             working_days=3, reason="需供电公司现场勘察")
    actions.do_decide_extension(extension, acting_user=supervisor, approve=True, note="同意")

    # Then it is due three working days later: 28 Feb (make-up Saturday), 2 and 3 March
    demand.refresh_from_db()
    extension.refresh_from_db()
    assert demand.answer_due_on == dt.date(2026, 3, 3)
    assert (extension.decision, extension.decided_by) == (ExtensionRequest.Decision.APPROVED, supervisor)
    assert demand.status == Status.IN_PROGRESS
    kinds = list(demand.events.values_list("kind", "is_internal"))[-2:]
    assert kinds == [("demand_extension_requested", True), ("demand_extension_decided", True)]
    # and it cannot be decided a second time
    with pytest.raises(TransitionNotAllowed):
        actions.do_decide_extension(extension, acting_user=supervisor, approve=True)


def test_a_refused_extension_leaves_the_due_date(journey, clock, supervisor, department_handler):
    clock.set(FRIDAY_BEFORE_SPRING_FESTIVAL)
    demand = journey.demand_in(Status.IN_PROGRESS)
    extension = actions.do_request_extension(demand, acting_user=department_handler, version=demand.version,
                                             working_days=3, reason="需供电公司现场勘察")

    # The handler cannot decide their own request; the supervisor refuses it
    with pytest.raises(TransitionNotAllowed):
        actions.do_decide_extension(extension, acting_user=department_handler, approve=True)
    actions.do_decide_extension(extension, acting_user=supervisor, approve=False, note="期限内可办结")

    demand.refresh_from_db()
    extension.refresh_from_db()
    assert demand.answer_due_on == dt.date(2026, 2, 27)
    assert (extension.decision, extension.decided_by) == (ExtensionRequest.Decision.REFUSED, supervisor)
    assert demand.events.last().data == {"approved": False, "working_days": 3}


@pytest.mark.parametrize("days", [0, 31])
def test_an_extension_is_between_one_and_thirty_working_days(days, journey, department_handler):
    demand = journey.demand_in(Status.IN_PROGRESS)
    with pytest.raises(ValidationError):
        actions.do_request_extension(demand, acting_user=department_handler, version=demand.version,
                                     working_days=days, reason="需协调")
    assert not ExtensionRequest.objects.exists()


def test_a_dissatisfied_enterprise_reopens_and_the_rating_stays_with_the_demand(
    journey, clock, hongda_contact, department_handler
):
    # Given 宏达 rated the answer dissatisfied
    demand = journey.demand_in(Status.FEEDBACK_GIVEN)
    demand = actions.do_rate(demand, acting_user=hongda_contact, version=demand.version,
                             satisfaction=Satisfaction.DISSATISFIED, solved=False, comment="没有实质解决")

    # When it reopens the demand two days later
    clock.set(dt.date(2026, 3, 4))
    reopened = actions.do_reopen(demand, acting_user=hongda_contact, version=demand.version,
                                 comment="加计扣除申报仍被退回")

    # Then it is back with the bureau, with the rating kept and a fresh deadline (5 working days from 4 March)
    reopened.refresh_from_db()
    assert reopened.status == Status.IN_PROGRESS
    assert (reopened.satisfaction, reopened.solved, reopened.reopen_count) == ("dissatisfied", False, 1)
    assert reopened.rating_comment == "加计扣除申报仍被退回"
    assert (reopened.answered_at, reopened.answered_late) == (None, None)
    assert reopened.answer_due_on == dt.date(2026, 3, 11)
    event = reopened.events.last()
    assert (event.kind, event.from_status, event.data) == (
        "demand_reopened", "rated", {"satisfaction": "dissatisfied", "solved": False})
    # and the bureau can answer again
    answered = actions.do_answer(reopened, acting_user=department_handler, version=reopened.version,
                                 answer="已协调税务部门重新受理")
    assert answered.status == Status.ANSWERED


def test_reopening_needs_a_comment(journey, hongda_contact):
    demand = journey.demand_in(Status.FEEDBACK_GIVEN)
    with pytest.raises(ValidationError):
        actions.do_reopen(demand, acting_user=hongda_contact, version=demand.version, comment="")
    demand.refresh_from_db()
    assert (demand.status, demand.reopen_count) == (Status.FEEDBACK_GIVEN, 0)


def test_a_duplicate_is_merged_into_the_first_demand(journey, zhouxiang_clerk):
    # Given 宏达 raised the same problem twice
    first = journey.submit(title="厂区电压不稳")
    duplicate = journey.submit(title="厂区电压不稳（再次反映）")

    # When the window merges the second into the first
    merged = actions.do_merge(duplicate, acting_user=zhouxiang_clerk, version=duplicate.version, into=first,
                              note="同一问题")

    # Then the duplicate is merged and closed, and the first keeps a link to it and stays open
    merged.refresh_from_db()
    first.refresh_from_db()
    assert (merged.status, merged.merged_into) == (Status.MERGED, first)
    assert merged.closed_at is not None
    assert first.status == Status.RECEIVED
    assert list(first.merged_demands.all()) == [merged]
    assert first.events.last().kind == "demand_duplicate_merged"
    assert first.events.last().data == {"duplicate": merged.number}


def test_a_demand_is_merged_only_into_another_open_demand(journey, zhouxiang_clerk, hongda_contact):
    demand = journey.submit()
    withdrawn = journey.submit(title="已撤回的诉求")
    withdrawn = actions.do_withdraw(withdrawn, acting_user=hongda_contact, version=withdrawn.version)

    for target in (demand, withdrawn):
        with pytest.raises(TransitionNotAllowed):
            actions.do_merge(demand, acting_user=zhouxiang_clerk, version=demand.version, into=target)
    demand.refresh_from_db()
    assert (demand.status, demand.merged_into) == (Status.RECEIVED, None)


def test_the_enterprise_withdraws_an_open_demand_and_nobody_can_work_on_it_any_more(
    journey, hongda_contact, department_handler
):
    demand = journey.demand_in(Status.ROUTED)

    withdrawn = actions.do_withdraw(demand, acting_user=hongda_contact, version=demand.version,
                                    reason="问题已自行解决")

    withdrawn.refresh_from_db()
    assert withdrawn.status == Status.WITHDRAWN and withdrawn.closed_at is not None
    assert (withdrawn.events.last().kind, withdrawn.events.last().note) == ("demand_withdrawn", "问题已自行解决")
    with pytest.raises(TransitionNotAllowed):
        actions.do_start(withdrawn, acting_user=department_handler, version=withdrawn.version)


def test_an_answered_demand_cannot_be_withdrawn(journey, hongda_contact):
    demand = journey.demand_in(Status.ANSWERED)
    with pytest.raises(TransitionNotAllowed):
        actions.do_withdraw(demand, acting_user=hongda_contact, version=demand.version)


def test_a_supervision_order_is_recorded_told_to_the_unit_and_resolved_by_the_answer(
    journey, supervisor, department_handler, kjj
):
    # Given a demand with 市科技局 (today is Monday 2026-03-02)
    demand = journey.demand_in(Status.IN_PROGRESS)

    # When the supervisor issues a supervision order
    order = actions.do_supervise(demand, acting_user=supervisor, reason="企业多次来电催办")

    # Then the order names the unit and a reply date two working days on, and the history has an internal step
    order.refresh_from_db()
    assert (order.issued_by, order.unit, order.reason) == (supervisor, kjj, "企业多次来电催办")
    assert (order.respond_by, order.resolved_at) == (dt.date(2026, 3, 4), None)
    event = demand.events.last()
    assert (event.kind, event.actor, event.is_internal) == ("demand_supervised", supervisor, True)
    assert event.data == {"respond_by": "2026-03-04"}
    assert Notification.objects.filter(recipient=department_handler, subject__contains=demand.number,
                                       link=f"/demands/{demand.pk}/").count() == 2  # routed, supervised
    demand.refresh_from_db()
    assert demand.status == Status.IN_PROGRESS

    # When the bureau answers, the order is resolved
    journey.step(demand)
    order.refresh_from_db()
    assert order.resolved_at is not None
    assert SupervisionOrder.objects.filter(resolved_at__isnull=True).count() == 0


def test_a_co_handler_adds_a_note_but_cannot_answer(journey, power, power_handler):
    demand = journey.demand_in(Status.IN_PROGRESS, co_handlers=[power])

    noted = actions.do_add_note(demand, acting_user=power_handler, note="线路改造计划在4月")

    event = noted.events.last()
    assert (event.kind, event.actor, event.note, event.is_internal) == (
        "demand_noted", power_handler, "线路改造计划在4月", True)
    with pytest.raises(TransitionNotAllowed):
        actions.do_answer(noted, acting_user=power_handler, version=noted.version, answer="已办结")
