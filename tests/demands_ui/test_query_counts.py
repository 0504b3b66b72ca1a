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
