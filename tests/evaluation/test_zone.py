"""The enterprise zone: the code's page behind login, module opens counted, usage and retiring, QR codes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import actions
from evaluation.models import ModuleOpen, ZoneModule
from evaluation.seeding import seed_zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone(reference):
    seed_zone()


def test_the_code_link_asks_for_login_and_comes_back(client, zone, hongda):
    code = actions.ensure_zone_code(hongda)
    response = client.get(f"/z/{code.token}/")
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts-login')}?next=/z/{code.token}/"


def test_the_contact_sees_its_zone_with_the_installed_modules_in_order(client, zone, hongda, hongda_contact):
    code = actions.ensure_zone_code(hongda)
    client.force_login(hongda_contact)
    page = client.get(f"/z/{code.token}/")
    modules = [link["module"].code for link in page.context["links"]]
    assert modules[:4] == ["my_demands", "my_policies", "my_evaluation", "rankings"]
    assert "appointments" in modules


def test_another_enterprises_code_is_not_found(client, zone, hongda, longteng_contact):
    code = actions.ensure_zone_code(hongda)
    client.force_login(longteng_contact)
    assert client.get(f"/z/{code.token}/").status_code == 404
    assert client.get(f"/z/{code.token}/my_policies/").status_code == 404
    assert not ModuleOpen.objects.exists()


def test_each_module_open_is_counted_per_module_and_day(client, zone, hongda, hongda_contact):
    code = actions.ensure_zone_code(hongda)
    client.force_login(hongda_contact)
    for _ in range(3):
        assert client.get(f"/z/{code.token}/my_policies/").url == reverse("policies-checkup")
    client.get(f"/z/{code.token}/my_evaluation/")
    counts = dict(ModuleOpen.objects.values_list("module__code", "count"))
    assert counts == {"my_policies": 3, "my_evaluation": 1}
    assert ModuleOpen.objects.get(module__code="my_policies").day == timezone.localdate()


def test_usage_per_period_and_a_retired_module_leaves_the_zone(client, zone, hongda, hongda_contact, supervisor):
    # Given opens on three days, one of them outside the period asked for
    talent = ZoneModule.objects.get(code="my_demands")
    today = timezone.localdate()
    for days_ago, times in ((0, 2), (5, 1), (40, 7)):
        for _ in range(times):
            actions.record_module_open(talent, day=today - dt.timedelta(days=days_ago))
    # When the supervisor looks at the last 30 days and retires the module
    client.force_login(supervisor)
    page = client.get(reverse("zone-usage"))
    usage = {row["module"].code: row["total"] for row in page.context["modules"]}
    assert usage["my_demands"] == 3 and usage["rankings"] == 0
    client.post(reverse("zone-module-toggle", args=[talent.pk]))
    # Then the contact's zone no longer shows it, and opening it is not found
    code = actions.ensure_zone_code(hongda)
    client.force_login(hongda_contact)
    assert "my_demands" not in [link["module"].code for link in client.get(f"/z/{code.token}/").context["links"]]
    assert client.get(f"/z/{code.token}/my_demands/").status_code == 404


def test_a_module_whose_page_is_not_installed_is_not_shown(client, zone, hongda, hongda_contact):
    ZoneModule.objects.create(code="legal", name_zh="企业学法", url_name="legal-home-not-installed", sort_order=1)
    code = actions.ensure_zone_code(hongda)
    client.force_login(hongda_contact)
    assert "legal" not in [link["module"].code for link in client.get(f"/z/{code.token}/").context["links"]]


def test_codes_are_unguessable_and_the_qr_encodes_the_zone_link(client, zone, hongda, longteng, zhouxiang_clerk):
    first, second = actions.ensure_zone_code(hongda), actions.ensure_zone_code(longteng)
    assert len(first.token) >= 24 and first.token != second.token and str(hongda.pk) != first.token
    client.force_login(zhouxiang_clerk)
    svg = client.get(reverse("zone-qr", args=[hongda.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client.get(reverse("zone-qr", args=[longteng.pk])).status_code == 404  # another town's enterprise


def test_the_printable_sheet_of_a_town_window_holds_only_its_town(client, zone, hongda, longteng, zhouxiang_clerk):
    client.force_login(zhouxiang_clerk)
    page = client.get(reverse("zone-sheet"))
    assert [card["enterprise"].pk for card in page.context["cards"]] == [hongda.pk]
    assert page.content.count(b"<svg") == 1


def test_a_module_the_menu_does_not_open_to_the_user_is_left_out(client, zone, hongda, hongda_contact, supervisor):
    # "Zone module usage" is for the evaluation office only; as a module it must not reach an enterprise
    ZoneModule.objects.create(code="usage", name_zh="使用情况", url_name="zone-usage", sort_order=1)
    code = actions.ensure_zone_code(hongda)
    client.force_login(hongda_contact)
    assert "usage" not in [link["module"].code for link in client.get(f"/z/{code.token}/").context["links"]]
    assert client.get(f"/z/{code.token}/usage/").status_code == 404
    client.force_login(supervisor)
    assert "usage" in [link["module"].code for link in client.get(f"/z/{code.token}/").context["links"]]
