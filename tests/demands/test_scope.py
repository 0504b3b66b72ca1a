"""Who sees which demand: visible_demands and access_demand for every persona."""

from __future__ import annotations

import pytest
from django.http import Http404

from demands import actions
from demands.access import access_demand, scope_branches, visible_demands
from demands.models import Demand, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def demands(journey, longteng_contact, power, platform_clerk):
    """Three demands:

    * ``hongda_routed`` — 宏达 (周巷), routed to 市科技局 with 供电公司 as co-handler;
    * ``hongda_new`` — 宏达 (周巷), just received;
    * ``longteng_power`` — 龙腾 (龙山), routed by the city platform to 供电公司.
    """
    hongda_routed = journey.demand_in(Status.ROUTED, co_handlers=[power])
    hongda_new = journey.submit(title="厂房消防验收咨询")
    longteng_power = journey.submit(acting_user=longteng_contact, enterprise=longteng_contact.enterprise,
                                    title="龙山工业区停电频繁")
    # 龙腾 is in 龙山: the city platform (a window for the whole city) accepts and routes it
    longteng_power = actions.do_accept(longteng_power, acting_user=platform_clerk, version=longteng_power.version,
                                       category=journey.category)
    longteng_power = actions.do_route(longteng_power, acting_user=platform_clerk, version=longteng_power.version,
                                      lead_unit=power)
    return {"hongda_routed": hongda_routed, "hongda_new": hongda_new, "longteng_power": longteng_power}


EVERYONE = ["hongda_routed", "hongda_new", "longteng_power"]


@pytest.mark.parametrize(("persona", "sees"), [
    pytest.param("zhouxiang_clerk", ["hongda_routed", "hongda_new"], id="zhouxiang-window-its-town"),
    pytest.param("longshan_clerk", ["longteng_power"], id="longshan-window-its-town"),
    pytest.param("platform_clerk", EVERYONE, id="city-platform-all"),
    pytest.param("supervisor", EVERYONE, id="supervisor-all"),
    pytest.param("department_handler", ["hongda_routed"], id="kjj-what-it-leads"),
    pytest.param("power_handler", ["hongda_routed", "longteng_power"], id="power-leads-and-co-handles"),
    pytest.param("hongda_contact", ["hongda_routed", "hongda_new"], id="hongda-its-own"),
    pytest.param("longteng_contact", ["longteng_power"], id="longteng-its-own"),
    pytest.param("outsider", [], id="outsider-nothing"),
])
def test_each_person_sees_only_the_demands_in_their_scope(persona, sees, demands, request):
    user = request.getfixturevalue(persona)
    visible = set(visible_demands(user).values_list("pk", flat=True))
    assert visible == {demands[name].pk for name in sees}


def test_a_unit_no_longer_sees_a_demand_after_it_is_transferred_away(journey, supervisor, department_handler,
                                                                     power_handler, power):
    demand = journey.demand_in(Status.ROUTED)
    actions.do_transfer(demand, acting_user=supervisor, version=demand.version, lead_unit=power)

    assert not visible_demands(department_handler).filter(pk=demand.pk).exists()
    assert visible_demands(power_handler).filter(pk=demand.pk).exists()


def test_another_towns_demand_is_the_same_404_as_a_missing_one(demands, zhouxiang_clerk):
    own = access_demand(zhouxiang_clerk, demands["hongda_new"].pk)
    assert own == demands["hongda_new"]

    with pytest.raises(Http404) as other_town:
        access_demand(zhouxiang_clerk, demands["longteng_power"].pk)
    with pytest.raises(Http404) as missing:
        access_demand(zhouxiang_clerk, demands["longteng_power"].pk + 1000)
    with pytest.raises(Http404) as garbage:
        access_demand(zhouxiang_clerk, "1 OR 1=1")
    assert str(other_town.value) == str(missing.value) == str(garbage.value)


@pytest.mark.parametrize(("persona", "name"), [
    ("department_handler", "longteng_power"),
    ("longteng_contact", "hongda_new"),
    ("outsider", "hongda_new"),
])
def test_access_demand_refuses_what_is_outside_the_scope(persona, name, demands, request):
    with pytest.raises(Http404):
        access_demand(request.getfixturevalue(persona), demands[name].pk)


def test_a_town_window_co_handling_another_towns_demand_sees_it(journey, longteng_contact, platform_clerk,
                                                                zhouxiang_clerk, power):
    # Given 龙腾 (龙山) has a demand routed to 供电公司 with the 周巷 window as co-handler
    # (say, about 龙腾's second workshop in 周巷)
    window = zhouxiang_clerk.organisation
    demand = journey.submit(acting_user=longteng_contact, enterprise=longteng_contact.enterprise)
    demand = actions.do_accept(demand, acting_user=platform_clerk, version=demand.version, category=journey.category)
    demand = actions.do_route(demand, acting_user=platform_clerk, version=demand.version, lead_unit=power,
                              co_handlers=[window])

    # Then the 周巷 window, which may add notes to it as co-handler, can also open it
    noted = actions.do_add_note(demand, acting_user=zhouxiang_clerk, note="周巷车间情况已核实")
    assert noted.events.last().kind == "demand_noted"
    assert visible_demands(zhouxiang_clerk).filter(pk=demand.pk).exists()


PERSONAS = ["zhouxiang_clerk", "longshan_clerk", "platform_clerk", "supervisor", "department_handler", "power_handler",
            "hongda_contact", "longteng_contact", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_workbench_branches_split_the_scope_without_overlap(persona, demands, request, journey, power,
                                                                longteng_contact, platform_clerk, zhouxiang_clerk):
    # 龙腾's second demand is led by 供电公司 and co-handled by the 周巷 window: it lies in
    # no town branch of 周巷 and must come in exactly once through the co-handled branch.
    extra = journey.submit(acting_user=longteng_contact, enterprise=longteng_contact.enterprise, title="周巷车间")
    extra = actions.do_accept(extra, acting_user=platform_clerk, version=extra.version, category=journey.category)
    actions.do_route(extra, acting_user=platform_clerk, version=extra.version, lead_unit=power,
                     co_handlers=[zhouxiang_clerk.organisation])
    user = request.getfixturevalue(persona)
    visible = set(visible_demands(user).values_list("pk", flat=True))

    branches = scope_branches(user)
    if branches is None:
        assert visible == set(Demand.objects.values_list("pk", flat=True))
        return
    parts = [list(Demand.objects.filter(branch).values_list("pk", flat=True)) for branch in branches]
    together = [pk for part in parts for pk in part]
    assert sorted(together) == sorted(visible)  # the same demands, none twice
