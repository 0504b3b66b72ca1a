"""The similar open demands at intake: the open-demand index and the staff endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from demands import actions as demand_actions
from intelligence import entities, open_index, similarity

pytestmark = pytest.mark.django_db

POWER_CUT = "周巷工业园区今天上午突然停电，注塑机全停了，什么时候来电"
TYPED = "周巷园区停电一上午了，车间全停了，供电所电话打不通"


def similar(client, user, text, title=""):
    client.force_login(user)
    return client.get(reverse("intelligence-similar"), {"title": title, "text": text})


def test_the_same_problem_comes_first_with_its_score_and_page(client, platform_clerk, submit):
    power_cut = submit(POWER_CUT)
    submit("想咨询技改补助什么时候兑现，公示名单里有我们")
    submit("新城大道北段封路施工，货车只能绕行")

    results = similar(client, platform_clerk, TYPED).json()["results"]

    assert results[0]["id"] == power_cut.pk
    assert results[0]["number"] == power_cut.number
    assert results[0]["url"] == reverse("demands-detail", kwargs={"demand_id": power_cut.pk})
    assert 0 < results[0]["score"] <= 1
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert len(results) <= 5


def test_a_town_clerk_finds_only_demands_of_their_town(client, zhouxiang_clerk, longshan_clerk, submit,
                                                        longteng_contact):
    in_zhouxiang = submit(POWER_CUT)
    in_longshan = submit("龙山工业区今天上午突然停电，注塑机全停了，什么时候来电", contact=longteng_contact)

    seen_by_zhouxiang = {r["id"] for r in similar(client, zhouxiang_clerk, "工业区停电，注塑机全停了").json()["results"]}
    seen_by_longshan = {r["id"] for r in similar(client, longshan_clerk, "工业区停电，注塑机全停了").json()["results"]}

    assert seen_by_zhouxiang == {in_zhouxiang.pk}
    assert seen_by_longshan == {in_longshan.pk}


def test_people_who_do_not_record_demands_get_no_answer(client, hongda_contact, department_handler, submit):
    submit(POWER_CUT)

    assert similar(client, hongda_contact, TYPED).status_code == 404
    assert similar(client, department_handler, TYPED).status_code == 404
    client.logout()
    assert client.get(reverse("intelligence-similar"), {"text": TYPED}).status_code == 302


def test_a_few_characters_ask_nothing_yet(client, platform_clerk, submit):
    submit(POWER_CUT)

    assert similar(client, platform_clerk, "停电").json() == {"results": []}


def test_the_index_takes_in_new_demands_and_lets_go_of_withdrawn_ones(submit, hongda_contact):
    first = submit(POWER_CUT)
    assert [d for d, _ in similarity.similar_open_demands(TYPED)] == [first]
    built = open_index._cache["index"]

    second = submit("周巷工业园区停电了，我们厂的注塑机全停了，供电所电话打不通")
    demand_actions.do_withdraw(first, acting_user=hongda_contact, version=first.version)

    assert [d for d, _ in similarity.similar_open_demands(TYPED)] == [second]
    assert open_index._cache["index"] is built  # brought up to date, not built again


def test_a_saved_index_is_what_a_new_process_starts_from(submit):
    power_cut = submit(POWER_CUT)
    open_index.save(open_index.build())
    open_index._cache.clear()

    assert similarity.similar_open_demands(TYPED)[0][0] == power_cut
    assert open_index._cache["index"].watermark is not None


def test_the_place_rule_keeps_the_same_outage_in_two_towns_apart():
    clusters = similarity.cluster_texts([
        ("a", "周巷镇工业园区今天上午突然停电，注塑机全停了"),
        ("b", "我们在周巷工业园区，今天一早就停电了"),
        ("c", "观海卫镇工业园区今天上午突然停电，注塑机全停了"),
    ])

    assert clusters["a"] == clusters["b"] == "a"
    assert clusters["c"] is None


def test_the_intake_form_carries_the_similar_demands_panel(client, platform_clerk):
    client.force_login(platform_clerk)

    page = client.get(reverse("demands-new")).content.decode()

    assert 'data-similar-demands' in page
    assert reverse("intelligence-similar") in page
    assert "intelligence/similar.js" in page


def test_named_places_roads_routes_and_dates_are_found():
    towns, others = entities.find("周巷镇工业园区3月5日停电，新城大道北段封路，209路公交也停了，厂门口的路坏了")

    assert towns == {"周巷"}
    assert {"3月5日", "新城大道", "209路"} <= others
    assert not any("门口" in thing for thing in others)
