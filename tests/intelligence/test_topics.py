"""Hot topics of a period for the briefings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from demands.models import Demand
from intelligence.topics import hot_topics

pytestmark = pytest.mark.django_db

MONDAY = timezone.make_aware(dt.datetime(2026, 11, 23, 9, 0))


def received(demand, days):
    Demand.objects.filter(pk=demand.pk).update(received_at=MONDAY + dt.timedelta(days=days))
    return demand


@pytest.fixture
def week(submit, longteng_contact):
    """One week of demands: a road closure told by both enterprises, a power cut told twice by 宏达, one alone."""
    return {
        "road": [received(submit("新城大道北段封路施工，我们厂的货车只能绕行，出货延误", contact=longteng_contact), 0),
                 received(submit("新城大道北段封路施工，货车开不进厂，出货延误"), 1),
                 received(submit("喂，新城大道北段封路了，货车开不进来，这要封多久", contact=longteng_contact), 2)],
        "power": [received(submit("周巷工业园区今天上午突然停电，注塑机里的料全废了"), 3),
                  received(submit("周巷工业园区又停电了，注塑机全停，供电所电话打不通"), 4)],
        "alone": received(submit("想申请国家高新技术企业认定，研发费用归集不清楚"), 2),
        "last_week": received(submit("新城大道北段封路施工，货车只能绕行"), -3),
    }


def test_hot_topics_are_the_clusters_of_the_period_most_enterprises_first(week, hongda, longteng):
    topics = hot_topics(MONDAY, MONDAY + dt.timedelta(days=7))

    assert [t.demand_ids for t in topics] == [[d.pk for d in week["road"]], [d.pk for d in week["power"]]]
    road, power = topics
    assert (road.size, road.enterprise_count) == (3, 2)
    assert {pk for pk, _ in road.enterprises} == {hongda.pk, longteng.pk}
    assert road.enterprises[0] == (longteng.pk, longteng.name)  # the first to report it
    assert (power.size, power.enterprises) == (2, [(hongda.pk, hongda.name)])
    assert "封路" in road.keywords and "停电" in power.keywords
    assert road.label == " · ".join(road.keywords)


def test_the_limit_keeps_the_biggest_topics(week):
    topics = hot_topics(MONDAY, MONDAY + dt.timedelta(days=7), limit=1)

    assert [t.size for t in topics] == [3]


def test_a_quiet_period_has_no_hot_topics(week):
    assert hot_topics(MONDAY + dt.timedelta(days=30), MONDAY + dt.timedelta(days=37)) == []
