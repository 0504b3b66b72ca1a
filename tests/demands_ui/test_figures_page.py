"""The figures dashboard on four hand-built demands: each rate as computed by hand, each link to its demands."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from demands import actions
from demands.models import Satisfaction, Status

from .conftest import numbers_listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_demands(journey, clock, hongda_contact, zhouxiang_clerk, department_handler):
    """All received on Monday 2026-03-02 and routed to 市科技局:

    * ``on_time`` — answered the same day, rated satisfied, closed out;
    * ``reopened`` — answered the same day, given back, reopened by the enterprise (counts as dissatisfied);
    * ``fed_back`` — answered the same day, given back, not rated yet;
    * ``late`` — answered sixty days later (after its deadline), rated dissatisfied, closed out.
    """
    on_time, reopened, fed_back, late = (journey.demand_in(Status.ROUTED, title=t) for t in "ABCD")
    on_time = journey.to(on_time, Status.CLOSED)
    reopened = journey.to(reopened, Status.FEEDBACK_GIVEN)
    actions.do_reopen(reopened, acting_user=hongda_contact, version=reopened.version, comment="材料清单不全")
    fed_back = journey.to(fed_back, Status.FEEDBACK_GIVEN)

    clock.advance(days=60)
    late = journey.to(late, Status.FEEDBACK_GIVEN)
    late = actions.do_rate(
        late, acting_user=hongda_contact, version=late.version, satisfaction=Satisfaction.DISSATISFIED, solved=False
    )
    late = actions.do_close(late, acting_user=zhouxiang_clerk, version=late.version)
    assert late.answered_late and not on_time.answered_late
    return {"on_time": on_time.number, "reopened": reopened.number, "fed_back": fed_back.number, "late": late.number}


def figure(content: str, element_id: str) -> tuple[str, str]:
    """(text, link) of one headline figure."""
    match = re.search(rf'<a [^>]*href="([^"]+)" id="{element_id}">([^<]+)</a>', content)
    assert match, element_id
    return match[2].strip(), html.unescape(match[1])


# figure id: (shown, the demands its link lists); hand-computed from the fixture's docstring:
#   routed 4; answered 3 (on_time, fed_back, late)            → completion 3/4
#   on time 2 of the 3 answered                               → on-time 2/3
#   rated 3 (on_time, late, reopened), satisfied 1 (on_time)  → satisfaction 1/3
#   answer given 4, reopened 1                                → reopen 1/4
EXPECTED = {
    "fig-total": ("4", {"on_time", "reopened", "fed_back", "late"}),
    "fig-completion": ("75.0%", {"on_time", "fed_back", "late"}),
    "fig-on-time": ("66.7%", {"on_time", "fed_back"}),
    "fig-satisfaction": ("33.3%", {"on_time"}),
    "fig-reopen": ("25.0%", {"reopened"}),
}


def test_the_headline_rates_equal_the_hand_computed_ones(log_in, zhouxiang_clerk, four_demands):
    response = log_in(zhouxiang_clerk).get(reverse("demands-figures"), {"period": "2026-03"})

    overall = response.context["overall"]
    assert (overall["total"], overall["routed"], overall["answered"], overall["on_time"], overall["late"]) == (
        4,
        4,
        3,
        2,
        1,
    )
    assert (overall["rated"], overall["satisfied"], overall["fed_back"], overall["reopened"]) == (3, 1, 4, 1)
    content = response.content.decode()
    assert {key: figure(content, key)[0] for key in EXPECTED} == {key: shown for key, (shown, _d) in EXPECTED.items()}


@pytest.mark.parametrize("element_id", list(EXPECTED))
def test_each_headline_figure_links_to_exactly_its_demands(element_id, log_in, zhouxiang_clerk, four_demands):
    client = log_in(zhouxiang_clerk)
    content = client.get(reverse("demands-figures"), {"period": "2026-03"}).content.decode()
    _shown, link = figure(content, element_id)

    listed = client.get(link)

    assert listed.status_code == 200
    assert numbers_listed(listed) == {four_demands[name] for name in EXPECTED[element_id][1]}
    assert listed.context["page"].paginator.count == len(EXPECTED[element_id][1])


def test_the_unit_table_links_to_the_units_late_demands(log_in, zhouxiang_clerk, kjj, four_demands):
    client = log_in(zhouxiang_clerk)
    response = client.get(reverse("demands-figures"), {"period": "2026"})
    rows = next(t["rows"] for t in response.context["tables"] if t["key"] == "unit")
    assert [
        (r["code"], r["total"], r["completion_rate"], r["on_time_rate"], r["satisfaction_rate"], r["reopen_rate"])
        for r in rows
    ] == [(kjj.code, 4, 75.0, 66.7, 33.3, 25.0)]

    late = client.get(f"{reverse('demands-list')}?{rows[0]['query']}&state=late")

    assert numbers_listed(late) == {four_demands["late"]}


def test_a_period_without_demands_shows_no_rates(log_in, zhouxiang_clerk, four_demands):
    response = log_in(zhouxiang_clerk).get(reverse("demands-figures"), {"period": "2025"})

    assert response.context["overall"]["total"] == 0
    assert figure(response.content.decode(), "fig-completion")[0] == "—"
