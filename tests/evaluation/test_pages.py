"""Results pages: scope, filters, export, the calculation, figures by town."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluation import actions
from evaluation.models import Result
from tests.factories import read_xlsx

pytestmark = pytest.mark.django_db


def test_a_town_window_lists_only_its_towns_results(client, round_, zhouxiang_clerk):
    client.force_login(zhouxiang_clerk)
    page = client.get(reverse("evaluation-results", args=[round_.pk]))
    shown = {r.enterprise.name[2:4] for r in page.context["page"].object_list}
    assert shown == {"E1", "E2", "E3", "E4", "E5"}
    other = Result.objects.get(round=round_, enterprise__name__contains="E7")
    assert client.get(reverse("evaluation-result", args=[other.pk])).status_code == 404


def test_the_low_efficiency_filter_and_the_export_agree(client, round_, evaluation_admin):
    client.force_login(evaluation_admin)
    page = client.get(reverse("evaluation-results", args=[round_.pk]), {"low": "on"})
    assert {r.enterprise.name[2:4] for r in page.context["page"].object_list} == {"E6", "E9"}
    export = client.get(reverse("evaluation-results-export", args=[round_.pk]), {"low": "on"})
    rows = read_xlsx(export.content)
    assert len(rows) == 3 and {row[1][2:4] for row in rows[1:]} == {"E6", "E9"}


def test_the_result_page_shows_each_indicator_of_the_calculation(client, round_, evaluation_admin):
    client.force_login(evaluation_admin)
    e3 = Result.objects.get(round=round_, enterprise__name__contains="E3")
    page = client.get(reverse("evaluation-result", args=[e3.pk])).content.decode()
    assert 'data-metric="tax_per_mu" data-points="54.0" data-filled="group_average"' in page
    assert 'data-metric="rd_intensity" data-points="16.0" data-filled="data"' in page


def test_the_summary_counts_classes_per_town(client, round_, evaluation_admin):
    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    client.force_login(evaluation_admin)
    page = client.get(reverse("evaluation-summary", args=[round_.pk]))
    towns = {row["name"]: row["classes"] for row in page.context["towns"]}
    assert towns == {"周巷镇": [2, 2, 1, 0], "龙山镇": [1, 0, 3, 0]}
    assert page.context["chart"]["series"][0] == [2, 1]  # class A: 周巷 2, 龙山 1
    assert [y["total"] for y in page.context["years"]] == [9]


def test_outsiders_and_enterprises_do_not_see_the_staff_pages(client, round_, outsider):
    client.force_login(outsider)
    for name in ("evaluation-results", "evaluation-summary", "evaluation-round"):
        assert client.get(reverse(name, args=[round_.pk])).status_code == 404


def test_the_result_list_costs_the_same_queries_whatever_the_rows(client, round_, evaluation_admin,
                                                                  django_assert_max_num_queries):
    client.force_login(evaluation_admin)
    url = reverse("evaluation-results", args=[round_.pk])
    client.get(url)  # warm the session and the user's roles
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert len(page.context["page"].object_list) == 9


def test_the_round_page_lists_the_measures_of_each_class(client, round_, evaluation_admin):
    client.force_login(evaluation_admin)
    page = client.get(reverse("evaluation-round", args=[round_.pk]))
    measures = dict(page.context["measures"])
    assert measures["A"] == [("land_use_tax_relief_pct", 100), ("land_quota_priority", True)]
    assert measures["D"] == [("electricity_yuan_per_kwh", 0.1)]
    assert b'data-measure="electricity_yuan_per_kwh"' in page.content


def test_starting_a_round_from_the_page_computes_it_in_the_worker(client, scheme, firms, evaluation_admin,
                                                                  django_capture_on_commit_callbacks):
    from evaluation.models import Round

    client.force_login(evaluation_admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("evaluation-round-start", args=[scheme.pk]))
    round_ = Round.objects.get()
    assert response.url == reverse("evaluation-round", args=[round_.pk]) and len(callbacks) == 1
    round_.refresh_from_db()
    assert round_.computed_at is not None and round_.results.count() == 9
    assert list(round_.events.order_by("id").values_list("kind", flat=True)) == ["round_queued", "round_computed"]
