"""Data scopes: who sees which enterprise, on every path that shows one."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises import actions

from .factories import HONGDA_NAME, HONGDA_PHONE, LONGTENG_NAME, credit_code, read_xlsx, sheet

pytestmark = pytest.mark.django_db

MASKED_HONGDA_PHONE = "138****5678"


def comparable_page(response) -> str:
    """The page without what differs by nature between two requests: its CSRF token and its own URL."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return page.replace(response.request["PATH_INFO"], "<path>")


def listed_names(response) -> set[str]:
    return {e.name for e in response.context["page"].object_list}


def exported_codes(response) -> set[str]:
    assert response.status_code == 200
    header, *rows = read_xlsx(response.content)
    return {row[0] for row in rows}


# --- Enterprise pages -------------------------------------------------------------


def test_town_clerk_gets_the_same_404_for_another_towns_enterprise_as_for_a_missing_one(
    client, zhouxiang_clerk, hongda, longteng
):
    # Given a window clerk of 周巷镇
    client.force_login(zhouxiang_clerk)

    # When they open an enterprise of their own town, one of 龙山镇 and one that does not exist
    own = client.get(reverse("enterprises-detail", args=[hongda.pk]))
    other_town = client.get(reverse("enterprises-detail", args=[longteng.pk]))
    missing = client.get(reverse("enterprises-detail", args=[longteng.pk + 1000]))

    # Then their own is shown, and the other town's cannot be told apart from a missing one
    assert own.status_code == 200
    assert other_town.status_code == 404
    assert missing.status_code == 404
    assert comparable_page(other_town) == comparable_page(missing)


def test_longshan_clerk_sees_longshan_and_not_zhouxiang(client, longshan_clerk, hongda, longteng):
    client.force_login(longshan_clerk)

    assert client.get(reverse("enterprises-detail", args=[longteng.pk])).status_code == 200
    assert client.get(reverse("enterprises-detail", args=[hongda.pk])).status_code == 404
    assert listed_names(client.get(reverse("enterprises-list"))) == {LONGTENG_NAME}


# --- List, search, export ---------------------------------------------------------


def test_town_clerk_lists_only_their_towns_enterprises(client, zhouxiang_clerk, platform_clerk, hongda, longteng):
    # Given both enterprises exist, when the 周巷 clerk opens the list
    client.force_login(zhouxiang_clerk)
    response = client.get(reverse("enterprises-list"))

    # Then only 周巷's enterprise is listed, in the context and on the page
    assert response.status_code == 200
    assert listed_names(response) == {HONGDA_NAME}
    assert LONGTENG_NAME not in response.content.decode()

    # while the city platform sees both
    client.force_login(platform_clerk)
    assert listed_names(client.get(reverse("enterprises-list"))) == {HONGDA_NAME, LONGTENG_NAME}


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(LONGTENG_NAME, id="full-name"),
        pytest.param("龙腾", id="part-of-name"),
        pytest.param(credit_code(2), id="credit-code"),
        pytest.param(credit_code(2)[:17], id="credit-code-prefix"),
        pytest.param("ltwj", id="pinyin-initials"),
    ],
)
def test_search_never_finds_another_towns_enterprise(client, zhouxiang_clerk, longshan_clerk, hongda, longteng, query):
    # Given a search that finds 龙腾 for the 龙山 clerk
    client.force_login(longshan_clerk)
    assert listed_names(client.get(reverse("enterprises-list"), {"q": query})) == {LONGTENG_NAME}

    # When the 周巷 clerk runs the same search, then nothing is found
    client.force_login(zhouxiang_clerk)
    assert listed_names(client.get(reverse("enterprises-list"), {"q": query})) == set()


def test_search_by_shared_initials_stays_in_town(client, zhouxiang_clerk, platform_clerk, hongda, longteng):
    # Both names start with 慈溪市 (cxs)
    client.force_login(platform_clerk)
    assert listed_names(client.get(reverse("enterprises-list"), {"q": "cxs"})) == {HONGDA_NAME, LONGTENG_NAME}

    client.force_login(zhouxiang_clerk)
    assert listed_names(client.get(reverse("enterprises-list"), {"q": "cxs"})) == {HONGDA_NAME}


def test_excel_export_holds_only_the_towns_enterprises(client, zhouxiang_clerk, platform_clerk, hongda, longteng):
    client.force_login(zhouxiang_clerk)
    assert exported_codes(client.get(reverse("enterprises-export"))) == {hongda.credit_code}
    assert exported_codes(client.get(reverse("enterprises-export"), {"q": "cxs"})) == {hongda.credit_code}
    assert exported_codes(client.get(reverse("enterprises-export"), {"q": longteng.credit_code})) == set()

    client.force_login(platform_clerk)
    assert exported_codes(client.get(reverse("enterprises-export"))) == {hongda.credit_code, longteng.credit_code}


# --- Enterprise contacts and outsiders ----------------------------------------------


def test_enterprise_contact_sees_only_their_own_enterprise(client, hongda_contact, hongda, longteng):
    client.force_login(hongda_contact)

    mine = client.get(reverse("enterprises-mine"))
    assert mine.status_code == 200
    assert mine.context["enterprise"] == hongda
    assert HONGDA_NAME in mine.content.decode()

    assert client.get(reverse("enterprises-detail", args=[longteng.pk])).status_code == 404
    assert client.get(reverse("enterprises-list")).status_code == 404
    assert client.get(reverse("enterprises-export")).status_code == 404


def test_staff_have_no_my_enterprise_page(client, zhouxiang_clerk, hongda):
    client.force_login(zhouxiang_clerk)
    assert client.get(reverse("enterprises-mine")).status_code == 404


def test_outsider_sees_no_enterprise(client, outsider, hongda):
    client.force_login(outsider)

    assert client.get(reverse("enterprises-list")).status_code == 404
    assert client.get(reverse("enterprises-export")).status_code == 404
    assert client.get(reverse("enterprises-detail", args=[hongda.pk])).status_code == 404
    assert client.get(reverse("enterprises-mine")).status_code == 404


def test_anonymous_visitor_is_sent_to_the_login_page(client, hongda):
    response = client.get(reverse("enterprises-detail", args=[hongda.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts-login"))


# --- Contact phones ----------------------------------------------------------------


def test_department_handler_sees_contact_phones_masked(client, department_handler, hongda):
    client.force_login(department_handler)

    page = client.get(reverse("enterprises-detail", args=[hongda.pk])).content.decode()
    assert MASKED_HONGDA_PHONE in page
    assert HONGDA_PHONE not in page

    header, row = read_xlsx(client.get(reverse("enterprises-export")).content)
    assert row[-1] == MASKED_HONGDA_PHONE


def test_window_clerk_sees_contact_phones_in_full(client, zhouxiang_clerk, hongda):
    client.force_login(zhouxiang_clerk)

    page = client.get(reverse("enterprises-detail", args=[hongda.pk])).content.decode()
    assert HONGDA_PHONE in page

    header, row = read_xlsx(client.get(reverse("enterprises-export")).content)
    assert row[-1] == HONGDA_PHONE


# --- Logs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["zhouxiang_clerk", "platform_clerk", "department_handler", "supervisor", "hongda_contact", "outsider"]
)
@pytest.mark.parametrize(
    "url_name", ["audit-operations", "audit-operations-export", "audit-logins", "audit-logins-export"]
)
def test_logs_are_404_for_everyone_but_administrators(client, request, persona, url_name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(url_name)).status_code == 404


@pytest.mark.parametrize("url_name", ["audit-operations", "audit-logins"])
def test_system_admin_reads_the_logs(client, system_admin, url_name):
    client.force_login(system_admin)
    assert client.get(reverse(url_name)).status_code == 200


# --- Query counts -----------------------------------------------------------------------


def add_enterprises(town, acting_user, count: int, start: int) -> None:
    for serial in range(start, start + count):
        actions.do_create_enterprise(
            acting_user=acting_user, credit_code=credit_code(serial), name=f"慈溪市测试{serial}号有限公司", town=town
        )


@pytest.mark.parametrize("query", [{}, {"q": "cxs"}])
def test_list_page_queries_stay_flat_as_enterprises_grow(
    client, zhouxiang_clerk, system_admin, zhouxiang, django_assert_max_num_queries, query
):
    # Given a town with 3 enterprises, count the queries of one list page
    add_enterprises(zhouxiang, system_admin, 3, start=100)
    client.force_login(zhouxiang_clerk)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("enterprises-list"), query).status_code == 200

    # When the town has 40 enterprises (two pages)
    add_enterprises(zhouxiang, system_admin, 37, start=200)

    # Then a full page costs no more queries than the small list did
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("enterprises-list"), query)
    assert len(response.context["page"].object_list) == 20


# --- Excel import stays in scope -------------------------------------------------------------

def test_town_clerk_cannot_rename_or_move_another_towns_enterprise_by_import(client, upload, zhouxiang_clerk, longteng):
    # Given the 周巷 clerk, who may import the registry of their own town
    client.force_login(zhouxiang_clerk)

    # When their sheet names 龙腾 (of 龙山镇) by its credit code, renamed and moved to 周巷
    rows = [{"credit_code": longteng.credit_code, "name": "慈溪市改名有限公司", "town": "周巷镇"}]
    upload(sheet("enterprises", rows), mode="good_rows")

    # Then 龙腾 is untouched
    longteng.refresh_from_db()
    assert (longteng.name, longteng.town.code) == (LONGTENG_NAME, "longshan")


def test_town_clerk_cannot_import_figures_for_another_towns_enterprise(client, upload, zhouxiang_clerk, longteng):
    client.force_login(zhouxiang_clerk)

    rows = [{"credit_code": longteng.credit_code, "year": 2023, "revenue_fen": "100", "employees": 5}]
    upload(sheet("year_figures", rows), kind="year_figures", mode="good_rows")

    assert not longteng.year_figures.exists()
