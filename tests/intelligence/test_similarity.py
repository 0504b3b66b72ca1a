"""Similar open demands and clusters of demands about the same problem."""

from __future__ import annotations

import random

import pytest

from intelligence import similarity

pytestmark = pytest.mark.django_db

ITEMS = [
    ("d3", "周巷镇工业园区今天上午突然停电，注塑机里的料全废了"),
    ("d1", "我们在周巷工业园区，今天一早就停电了，供电所电话打不通"),
    ("d7", "周巷园区今天停电大半天，冷库里的货担心变质，停电也没通知"),
    ("d2", "想申请国家高新技术企业认定，研发费用归集不清楚"),
    ("d5", "新城大道北段封路施工，货车只能绕行，出货延误"),
    ("d4", "新城大道北段封路施工，我们厂的货车开不进来，出货延误"),
]


def test_cluster_ids_are_stable_for_the_same_input():
    first = similarity.cluster_texts(ITEMS)
    shuffled = ITEMS[:]
    random.Random(3).shuffle(shuffled)

    assert similarity.cluster_texts(shuffled) == first == similarity.cluster_texts(ITEMS)


def test_demands_about_the_same_problem_share_a_cluster_named_by_their_smallest_id():
    clusters = similarity.cluster_texts(ITEMS)

    assert clusters["d1"] == clusters["d3"] == clusters["d7"] == "d1"
    assert clusters["d4"] == clusters["d5"] == "d4"
    assert clusters["d2"] is None


def test_similar_open_demands_puts_the_same_problem_first(submit):
    power_cut = submit("周巷工业园区停电一上午了，什么时候来电")
    submit("想咨询技改补助什么时候兑现")

    found = similarity.similar_open_demands("周巷园区今天停电，车间全停了")

    assert found[0][0] == power_cut
    assert 0 < found[0][1] <= 1
    assert len(found) <= 5


def test_clustering_stored_demands_keys_by_primary_key(submit):
    a = submit("新城大道北段封路施工，货车只能绕行")
    b = submit("新城大道北段封路了，货车开不进厂")

    clusters = similarity.cluster_demands([b, a])

    assert clusters == {a.pk: a.pk, b.pk: a.pk}
