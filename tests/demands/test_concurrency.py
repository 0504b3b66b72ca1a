"""Two people acting on one demand: the second is told, nothing is overwritten.

The optimistic version check runs everywhere; the truly simultaneous case needs
PostgreSQL's row locks and runs only there (SQLite serialises the whole database).
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.conf import settings as django_settings
from django.db import connections

from demands import actions
from demands.models import Demand, DemandEvent, ExtensionRequest, Status
from demands.workflow import EditConflict, TransitionNotAllowed

ON_POSTGRESQL = django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
needs_postgresql = pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks between connections need PostgreSQL")


@pytest.mark.django_db
@pytest.mark.parametrize("second", ["same-action", "other-action"])
def test_the_second_of_two_people_who_loaded_the_same_version_gets_an_edit_conflict(
    second, journey, zhouxiang_clerk, platform_clerk, hongda_contact, innovation
):
    # Given the 周巷 window and the city platform both open 宏达's new demand (version 1)
    demand = journey.submit()
    seen_by_window, seen_by_other = Demand.objects.get(pk=demand.pk), Demand.objects.get(pk=demand.pk)

    # When the window accepts it first
    actions.do_accept(seen_by_window, acting_user=zhouxiang_clerk, version=seen_by_window.version,
                      category=innovation)

    # Then the second person's action, taken on what they saw, is refused as a conflict
    with pytest.raises(EditConflict, match=demand.number):
        if second == "same-action":
            actions.do_accept(seen_by_other, acting_user=platform_clerk, version=seen_by_other.version,
                              category=journey.category)
        else:
            actions.do_withdraw(seen_by_other, acting_user=hongda_contact, version=seen_by_other.version,
                                reason="不需要了")

    # and the demand shows the first change only
    demand.refresh_from_db()
    assert (demand.status, demand.category, demand.version) == (Status.ACCEPTED, innovation, 2)
    assert list(demand.events.values_list("kind", "actor")) == [
        ("demand_received", hongda_contact.pk), ("demand_accepted", zhouxiang_clerk.pk)]


@pytest.mark.django_db
def test_acting_on_the_current_version_after_a_conflict_works(journey, zhouxiang_clerk, hongda_contact):
    demand = journey.demand_in(Status.ACCEPTED)
    stale_version = demand.version - 1
    with pytest.raises(EditConflict):
        actions.do_withdraw(demand, acting_user=hongda_contact, version=stale_version)
    withdrawn = actions.do_withdraw(demand, acting_user=hongda_contact, version=demand.version)
    assert withdrawn.status == Status.WITHDRAWN


def _run_together(*calls):
    """Run each call in its own thread (its own database connection), released at the same moment."""
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_handlers_answering_at_the_same_moment_give_one_answer(journey, department_handler):
    # Given a demand with 市科技局, which two of its handlers have open (version v)
    colleague = type(department_handler).objects.get(pk=department_handler.pk)
    demand = journey.demand_in(Status.IN_PROGRESS)
    version = demand.version

    # When both press "answer" at the same moment
    outcomes = _run_together(
        lambda: actions.do_answer(Demand(pk=demand.pk), acting_user=department_handler, version=version,
                                  answer="答复甲"),
        lambda: actions.do_answer(Demand(pk=demand.pk), acting_user=colleague, version=version, answer="答复乙"),
    )

    # Then exactly one answer is saved and the other handler is told of the conflict
    winners = [o for o in outcomes if isinstance(o, Demand)]
    conflicts = [o for o in outcomes if isinstance(o, EditConflict)]
    assert (len(winners), len(conflicts)) == (1, 1), outcomes
    demand.refresh_from_db()
    assert demand.status == Status.ANSWERED
    assert demand.answer == winners[0].answer
    assert demand.version == version + 1
    assert DemandEvent.objects.filter(demand=demand, kind="demand_answered").count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_double_submit_racing_on_the_same_key_gives_one_demand(journey):
    outcomes = _run_together(
        lambda: journey.submit(idempotency_key="double-click-1"),
        lambda: journey.submit(idempotency_key="double-click-1"),
    )
    assert all(isinstance(o, Demand) for o in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk
    assert Demand.objects.count() == 1
    assert DemandEvent.objects.filter(kind="demand_received").count() == 1



@pytest.mark.django_db
def test_a_second_supervisor_approving_an_already_approved_extension_is_refused(
    journey, department_handler, supervisor
):
    # Given an extension request of three working days on a demand due Monday 9 March,
    # which two supervisors have open at the same time
    demand = journey.demand_in(Status.IN_PROGRESS)
    extension = actions.do_request_extension(demand, acting_user=department_handler, version=demand.version,
                                             working_days=3, reason="需现场勘察")
    deputy = type(supervisor).objects.get(pk=supervisor.pk)
    seen_by_one, seen_by_other = (ExtensionRequest.objects.get(pk=extension.pk) for _ in range(2))

    # When the first approves, and then the second approves what they still see as pending
    actions.do_decide_extension(seen_by_one, acting_user=supervisor, approve=True)
    with pytest.raises((TransitionNotAllowed, EditConflict)):
        actions.do_decide_extension(seen_by_other, acting_user=deputy, approve=True)

    # Then the deadline moved by three working days, once
    demand.refresh_from_db()
    assert demand.answer_due_on == dt.date(2026, 3, 12)
    assert demand.events.filter(kind="demand_extension_decided").count() == 1
