"""Coverage figures on a known fixture, against numbers worked out by hand.

March 2026 (V5 on 27 February is outside):

    visit  date   cadres (organisation)                 enterprises (town)          problems
    V1     03-02  A (周巷窗口), C (市经信局)               宏达 (周巷)                  p1 resolved, p2 open
    V2     03-10  A                                     宏达, 小厂 (周巷)             p3 (小厂) open
    V3     03-15  C, D (龙山窗口)                         龙腾 (龙山)                  p4 resolved
    V4     03-20  A, B (周巷窗口), C                      宏达 (周巷), 龙腾 (龙山)       —
    V5     02-27  A                                     宏达                         p5
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from demands.models import Demand, Status
from enterprises import actions as enterprise_actions
from liaisons import actions, figures
from liaisons.actions import ProblemInput
from liaisons.models import VisitProblem

from ..factories import credit_code

pytestmark = pytest.mark.django_db

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 4, 1))
KEYS = ("enterprises_visited", "visits", "enterprise_visits", "person_trips", "problems", "resolved")


@pytest.fixture
def known(hongda, longteng, system_admin, zhouxiang, zhouxiang_cadre, zhouxiang_cadre_2, city_cadre,
          longshan_cadre):
    a, b, c, d = zhouxiang_cadre, zhouxiang_cadre_2, city_cadre, longshan_cadre
    small = enterprise_actions.do_create_enterprise(acting_user=system_admin, credit_code=credit_code(55),
                                                    name="慈溪市小厂", town=zhouxiang)

    def visit(day, who, where, problems=()):
        return actions.do_log_visit(
            acting_user=who[0], cadres=who[1:], visited_on=day, enterprises=where, summary="走访",
            problems=[ProblemInput(enterprise=e, text=text) for text, e in problems],
        )

    visits = {
        "V1": visit(dt.date(2026, 3, 2), [a, c], [hongda], [("p1", hongda), ("p2", hongda)]),
        "V2": visit(dt.date(2026, 3, 10), [a], [hongda, small], [("p3", small)]),
        "V3": visit(dt.date(2026, 3, 15), [c, d], [longteng], [("p4", longteng)]),
        "V4": visit(dt.date(2026, 3, 20), [a, b, c], [hongda, longteng]),
        "V5": visit(dt.date(2026, 2, 27), [a], [hongda], [("p5", hongda)]),
    }
    # The demand workflow is tested in tests/demands; here only the resulting status matters.
    Demand.objects.filter(text="p1").update(status=Status.ANSWERED)
    Demand.objects.filter(text="p4").update(status=Status.CLOSED)
    Demand.objects.filter(text="p5").update(status=Status.CLOSED)
    return visits


def numbers(row):
    return tuple(row[key] for key in KEYS)


def by(rows, key, value):
    return next(numbers(r) for r in rows if r[key] == value)


def test_totals_match_the_hand_count(known):
    result = figures.coverage(*MARCH)
    #                               enterprises visits 家次 人次 problems resolved
    assert numbers(result.total) == (3, 4, 6, 8, 4, 2)


def test_by_cadre(known, zhouxiang_cadre, zhouxiang_cadre_2, city_cadre, longshan_cadre):
    rows = figures.coverage(*MARCH).by_cadre
    assert by(rows, "id", zhouxiang_cadre.pk) == (3, 3, 5, 3, 3, 1)
    assert by(rows, "id", zhouxiang_cadre_2.pk) == (2, 1, 2, 1, 0, 0)
    assert by(rows, "id", city_cadre.pk) == (2, 3, 4, 3, 3, 2)
    assert by(rows, "id", longshan_cadre.pk) == (1, 1, 1, 1, 1, 1)
    assert sum(r["person_trips"] for r in rows) == 8  # every person-trip is someone's


def test_by_department(known):
    rows = figures.coverage(*MARCH).by_department
    assert by(rows, "code", "window_zhouxiang") == (3, 3, 5, 4, 3, 1)
    assert by(rows, "code", "dept_jxj") == (2, 3, 4, 3, 3, 2)
    assert by(rows, "code", "window_longshan") == (1, 1, 1, 1, 1, 1)


def test_by_town(known, zhouxiang):
    rows = figures.coverage(*MARCH).by_town
    assert by(rows, "code", "zhouxiang") == (2, 3, 4, 6, 3, 1)
    assert by(rows, "code", "longshan") == (1, 2, 2, 5, 1, 1)
    assert numbers(figures.coverage(*MARCH, town=zhouxiang).total) == (2, 3, 4, 6, 3, 1)


def test_every_figure_links_to_exactly_its_records(client, known, supervisor, zhouxiang_cadre):
    client.force_login(supervisor)
    page = client.get(reverse("liaisons-coverage"), {"period": "2026-03"})
    assert page.context["total"]["person_trips"] == 8
    cadre_row = next(r for r in page.context["tables"][0]["rows"] if r["id"] == zhouxiang_cadre.pk)
    visits = client.get(reverse("liaisons-visits") + "?" + cadre_row["links"]["visits"])
    assert set(visits.context["page"].object_list) == {known["V1"], known["V2"], known["V4"]}
    town_row = next(r for r in page.context["tables"][2]["rows"] if r["code"] == "longshan")
    resolved = client.get(reverse("liaisons-problems") + "?" + town_row["links"]["resolved"])
    assert [p.demand.text for p in resolved.context["page"]] == ["p4"]
    problems = client.get(reverse("liaisons-problems") + "?" + cadre_row["links"]["problems"])
    assert sorted(p.demand.text for p in problems.context["page"]) == ["p1", "p2", "p3"]
    assert VisitProblem.objects.count() == 5


def test_a_cadre_sees_figures_of_their_own_visits_only(client, known, zhouxiang_cadre_2):
    client.force_login(zhouxiang_cadre_2)
    page = client.get(reverse("liaisons-coverage"), {"period": "2026-03"})
    assert numbers(page.context["total"]) == (2, 1, 2, 3, 0, 0)


def test_enterprises_visited_links_to_exactly_those_enterprises(client, known, supervisor, hongda, longteng):
    client.force_login(supervisor)
    page = client.get(reverse("liaisons-coverage"), {"period": "2026-03"})
    town_row = next(r for r in page.context["tables"][2]["rows"] if r["code"] == "zhouxiang")
    listed = client.get(reverse("liaisons-visited") + "?" + town_row["links"]["visits"])
    counts = {e.name: e.visit_count for e in listed.context["page"]}
    assert counts == {hongda.name: 3, "慈溪市小厂": 1}  # 龙腾 (龙山) was on V4 but is not a 周巷 enterprise
    everyone = client.get(reverse("liaisons-visited"), {"period": "2026-03"})
    assert {e.name: e.visit_count for e in everyone.context["page"]} == {hongda.name: 3, "慈溪市小厂": 1,
                                                                         longteng.name: 2}


def test_narrowed_to_a_cadre_or_a_department(known, zhouxiang_cadre_2, city_cadre):
    from accounts.models import Organisation

    assert figures.coverage(*MARCH, cadre=zhouxiang_cadre_2).total["visits"] == 1  # V4 only
    jxj = Organisation.objects.get(code="dept_jxj")
    narrowed = figures.coverage(*MARCH, department=jxj)
    assert narrowed.total["visits"] == 3 and by(narrowed.by_cadre, "id", city_cadre.pk) == (2, 3, 4, 3, 3, 2)
