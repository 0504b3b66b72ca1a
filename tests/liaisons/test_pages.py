"""Every liaisons page opens for the people who use it and is closed to those who do not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from liaisons import actions
from liaisons.models import Level

pytestmark = pytest.mark.django_db

LISTS = ["liaisons-unvisited", "liaisons-visits", "liaisons-problems", "liaisons-conditions", "liaisons-coverage"]
EXPORTS = ["liaisons-unvisited-export", "liaisons-visits-export", "liaisons-problems-export",
           "liaisons-conditions-export"]


@pytest.fixture
def some_data(hongda, zhouxiang_cadre, supervisor):
    actions.do_assign(hongda, zhouxiang_cadre, Level.TOWN, acting_user=supervisor)
    visit = actions.do_log_visit(acting_user=zhouxiang_cadre, visited_on=timezone.localdate(), enterprises=[hongda],
                                 summary="走访", problems=[actions.ProblemInput(enterprise=hongda, text="问题")])
    return visit


@pytest.mark.parametrize("who", ["supervisor", "zhouxiang_clerk", "zhouxiang_cadre"])
def test_lists_and_exports_open_for_staff(client, some_data, who, request):
    client.force_login(request.getfixturevalue(who))
    for name in LISTS:
        assert client.get(reverse(name)).status_code == 200, name
    for name in EXPORTS:
        assert client.get(reverse(name))["Content-Type"].startswith("application/vnd.openxmlformats"), name
    # Supervisors read visits; cadres and window clerks log them.
    assert client.get(reverse("liaisons-visit-new")).status_code == (404 if who == "supervisor" else 200)
    assert client.get(reverse("liaisons-visit-detail", args=[some_data.pk])).status_code == 200


def test_enterprise_contacts_and_outsiders_get_404(client, some_data, hongda_contact, outsider):
    for user in (hongda_contact, outsider):
        client.force_login(user)
        for name in [*LISTS, "liaisons-visit-new", "liaisons-assignments", "liaisons-import"]:
            assert client.get(reverse(name)).status_code == 404, (user, name)


def test_assignment_pages_for_those_who_assign(client, some_data, supervisor, zhouxiang_cadre, hongda):
    client.force_login(supervisor)
    for name in ("liaisons-assignments", "liaisons-import", "liaisons-import-template"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("liaisons-assignments"), {"tier": "above_scale"}).status_code == 200
    history = client.get(reverse("liaisons-history", args=[hongda.pk]))
    assert 'data-current="yes"' in history.content.decode()
    client.force_login(zhouxiang_cadre)
    assert client.get(reverse("liaisons-assignments")).status_code == 404


def test_the_enterprise_search_keeps_to_the_scope(client, hongda, longteng, zhouxiang_cadre):
    client.force_login(zhouxiang_cadre)
    names = [r["name"] for r in client.get(reverse("liaisons-enterprise-search"), {"q": "慈溪"}).json()["results"]]
    assert names == [hongda.name]  # 龙腾 is in 龙山, outside a 周巷 cadre's scope


def test_list_pages_run_a_fixed_number_of_queries(client, hongda, zhouxiang_cadre, supervisor,
                                                  django_assert_max_num_queries):
    actions.do_assign(hongda, zhouxiang_cadre, Level.TOWN, acting_user=supervisor)
    for day in range(1, 12):
        actions.do_log_visit(acting_user=zhouxiang_cadre, enterprises=[hongda], summary="走访",
                             visited_on=timezone.localdate() - dt.timedelta(days=day),
                             problems=[actions.ProblemInput(enterprise=hongda, text=f"问题{day}")])
    client.force_login(supervisor)
    for name in ("liaisons-visits", "liaisons-problems", "liaisons-unvisited", "liaisons-assignments",
                 "liaisons-coverage"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name)).status_code == 200
