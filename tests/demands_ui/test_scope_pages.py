"""A town window sees its own town on every staff page and export; the enterprise sees no staff page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demands.models import Status

from ..factories import HONGDA_NAME, LONGTENG_NAME, read_xlsx
from .conftest import numbers_listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_towns(journey, longteng_journey):
    """In each town one demand closed out this month and one still open (accepted)."""
    closed = {
        "zhouxiang": journey.demand_in(Status.CLOSED).number,
        "longshan": longteng_journey.demand_in(Status.CLOSED).number,
    }
    towns = {
        "zhouxiang": {closed["zhouxiang"], journey.demand_in(Status.ACCEPTED).number},
        "longshan": {closed["longshan"], longteng_journey.demand_in(Status.ACCEPTED).number},
    }
    return {**towns, "closed": closed}


def exported_numbers(response) -> set[str]:
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content) if response.streaming else response.content)
    return {row[0] for row in rows[1:]}


@pytest.mark.parametrize("list_name", ["demands-list", "demands-tracking"])
def test_a_town_window_lists_only_its_town(list_name, log_in, zhouxiang_clerk, two_towns):
    response = log_in(zhouxiang_clerk).get(reverse(list_name), {"queue": "all", "month": "2026-03"})

    assert numbers_listed(response) == two_towns["zhouxiang"]
    assert LONGTENG_NAME not in response.content.decode()


def test_a_town_window_closes_out_only_its_town(log_in, zhouxiang_clerk, two_towns):
    response = log_in(zhouxiang_clerk).get(reverse("demands-closeout"), {"month": "2026-03"})

    assert numbers_listed(response) == {two_towns["closed"]["zhouxiang"]}
    assert LONGTENG_NAME not in response.content.decode()


@pytest.mark.parametrize(
    ("export_name", "only_closed"),
    [
        pytest.param("demands-export", False, id="workbench"),
        pytest.param("demands-tracking-export", False, id="tracking"),
        pytest.param("demands-closeout-export", True, id="close-out"),
    ],
)
def test_a_town_window_exports_only_its_town(
    export_name, only_closed, log_in, zhouxiang_clerk, longshan_clerk, two_towns
):
    query = {"queue": "all", "month": "2026-03"}
    zhouxiang = exported_numbers(log_in(zhouxiang_clerk).get(reverse(export_name), query))
    longshan = exported_numbers(log_in(longshan_clerk).get(reverse(export_name), query))

    if only_closed:
        assert (zhouxiang, longshan) == ({two_towns["closed"]["zhouxiang"]}, {two_towns["closed"]["longshan"]})
    else:
        assert (zhouxiang, longshan) == (two_towns["zhouxiang"], two_towns["longshan"])


def test_the_figures_of_a_town_window_count_only_its_town(log_in, zhouxiang_clerk, platform_clerk, two_towns):
    mine = log_in(zhouxiang_clerk).get(reverse("demands-figures"), {"period": "2026"})
    city = log_in(platform_clerk).get(reverse("demands-figures"), {"period": "2026"})

    assert mine.context["overall"]["total"] == 2
    assert city.context["overall"]["total"] == 4
    towns = {row["code"] for table in mine.context["tables"] if table["key"] == "town" for row in table["rows"]}
    assert towns == {"zhouxiang"}
    assert 'data-code="longshan"' not in mine.content.decode()
    assert 'data-code="longshan"' in city.content.decode()


def test_the_intake_search_finds_only_enterprises_of_the_town(log_in, zhouxiang_clerk, hongda, longteng):
    client = log_in(zhouxiang_clerk)
    search = reverse("demands-enterprise-search")

    assert [r["name"] for r in client.get(search, {"q": "慈溪市"}).json()["results"]] == [HONGDA_NAME]
    assert client.get(search, {"q": "龙腾"}).json()["results"] == []
    assert client.get(search, {"q": longteng.credit_code}).json()["results"] == []


STAFF_PAGES = [
    "demands-list",
    "demands-export",
    "demands-tracking",
    "demands-tracking-export",
    "demands-closeout",
    "demands-closeout-export",
    "demands-figures",
    "demands-new",
    "demands-enterprise-search",
]


@pytest.mark.parametrize("page_name", STAFF_PAGES)
def test_an_enterprise_contact_gets_404_on_staff_pages(page_name, log_in, hongda_contact):
    assert log_in(hongda_contact).get(reverse(page_name), {"q": "宏达"}).status_code == 404


@pytest.mark.parametrize("page_name", ["demands-list", "demands-tracking", "demands-figures"])
def test_an_outsider_gets_404_on_staff_pages(page_name, log_in, outsider):
    assert log_in(outsider).get(reverse(page_name)).status_code == 404


def test_a_town_window_cannot_open_a_demand_of_another_town(log_in, zhouxiang_clerk, longteng_journey):
    demand = longteng_journey.submit()

    assert log_in(zhouxiang_clerk).get(reverse("demands-detail", args=[demand.pk])).status_code == 404
