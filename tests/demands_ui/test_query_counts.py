"""The workbench runs the same number of queries for two demands as for a full page of them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demands.models import Status

from .conftest import numbers_listed

pytestmark = pytest.mark.django_db

STEPS = [Status.RECEIVED, Status.ACCEPTED, Status.ROUTED, Status.IN_PROGRESS, Status.ANSWERED]


def add_demands(journey, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        journey.demand_in(STEPS[i % len(STEPS)], title=f"诉求{i}")


@pytest.mark.parametrize(
    ("persona", "queue"),
    [
        pytest.param("zhouxiang_clerk", "all", id="window-all"),
        pytest.param("zhouxiang_clerk", "in_progress", id="window-in-progress"),
        pytest.param("department_handler", "all", id="handler-all"),
    ],
)
def test_the_workbench_query_count_does_not_grow_with_the_demands(
    persona, queue, log_in, journey, request, django_assert_max_num_queries
):
    client = log_in(request.getfixturevalue(persona))
    url = reverse("demands-list")
    add_demands(journey, 5)
    client.get(url, {"queue": queue})  # warm up: the session, the holiday calendar
    with CaptureQueriesContext(connection) as few:
        small = client.get(url, {"queue": queue})
    assert numbers_listed(small)

    add_demands(journey, 20, start=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = client.get(url, {"queue": queue})

    assert len(numbers_listed(large)) > len(numbers_listed(small))


def test_the_tracking_list_query_count_does_not_grow_with_the_demands(
    log_in, journey, zhouxiang_clerk, django_assert_max_num_queries
):
    client = log_in(zhouxiang_clerk)
    url = reverse("demands-tracking")
    add_demands(journey, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    add_demands(journey, 15, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(numbers_listed(client.get(url))) == 18


def test_every_tab_counts_exactly_the_demands_it_lists(log_in, journey, zhouxiang_clerk):
    # Given demands at every step of the loop, including closed, merged and withdrawn ones
    for status in (*STEPS, Status.WAITING_INFO, Status.FEEDBACK_GIVEN, Status.RATED, Status.CLOSED):
        journey.demand_in(status, title=f"诉求{status}")
    client = log_in(zhouxiang_clerk)
    tabs = client.get(reverse("demands-list")).context["tabs"]
    # When each tab is opened, then it lists as many demands as its count says
    for tab in tabs:
        page = client.get(reverse("demands-list"), {"queue": tab["name"]}).context["page"]
        assert page.paginator.object_list.count() == tab["count"], tab["name"]
        assert len(page.object_list) == min(tab["count"], 20), tab["name"]
    assert {t["name"]: t["count"] for t in tabs}["all"] == 9
