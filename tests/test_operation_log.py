"""The operation log (操作日志, django-auditlog): who changed what, from where, before and after."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from core.audit import acting_as
from enterprises import actions
from enterprises.models import Enterprise
from reference.models import Town

from .factories import HONGDA_NAME, credit_code, make_user, read_xlsx, sheet

pytestmark = pytest.mark.django_db


WINDOW_IP = "10.1.2.3"
ADMIN_IP = "10.9.8.7"


def entries_for(obj, action=None):
    qs = LogEntry.objects.get_for_object(obj).order_by("id")
    return qs.filter(action=action) if action is not None else qs


# --- Writes through actions ---------------------------------------------------------


def test_creating_an_enterprise_records_actor_ip_and_values(platform_clerk, zhouxiang):
    # When the platform clerk registers an enterprise from the office
    with acting_as(platform_clerk, remote_addr=WINDOW_IP):
        enterprise = actions.do_create_enterprise(
            acting_user=platform_clerk, credit_code=credit_code(1), name=HONGDA_NAME, town=zhouxiang
        )

    # Then one creation is logged with who, where from and the new values
    (entry,) = entries_for(enterprise)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == platform_clerk
    assert entry.remote_addr == WINDOW_IP
    assert entry.changes["name"] == ["None", HONGDA_NAME]
    assert entry.changes["credit_code"] == ["None", credit_code(1)]


def test_updating_an_enterprise_records_before_and_after(hongda, zhouxiang_clerk):
    with acting_as(zhouxiang_clerk, remote_addr=WINDOW_IP):
        actions.do_update_enterprise(
            hongda, acting_user=zhouxiang_clerk, name="慈溪市宏达智能科技有限公司", address="周巷镇兴业路8号"
        )

    (entry,) = entries_for(hongda, LogEntry.Action.UPDATE)
    assert (entry.actor, entry.remote_addr) == (zhouxiang_clerk, WINDOW_IP)
    assert entry.changes["name"] == [HONGDA_NAME, "慈溪市宏达智能科技有限公司"]
    assert entry.changes["address"] == ["", "周巷镇兴业路8号"]
    assert entry.changes["former_names"] == ["", HONGDA_NAME]
    assert "name_initials" not in entry.changes


def test_consecutive_actions_in_one_process_are_each_attributed(zhouxiang_clerk, longshan_clerk, zhouxiang, longshan):
    # As in the worker or a management command: one action after another, by different people
    first = actions.do_create_enterprise(
        acting_user=zhouxiang_clerk, credit_code=credit_code(7), name="慈溪市第一有限公司", town=zhouxiang
    )
    second = actions.do_create_enterprise(
        acting_user=longshan_clerk, credit_code=credit_code(8), name="慈溪市第二有限公司", town=longshan
    )

    assert entries_for(first).get().actor == zhouxiang_clerk
    assert entries_for(second).get().actor == longshan_clerk


def test_an_action_outside_a_request_is_still_attributed(zhouxiang_clerk, zhouxiang):
    enterprise = actions.do_create_enterprise(
        acting_user=zhouxiang_clerk, credit_code=credit_code(3), name="慈溪市命令行有限公司", town=zhouxiang
    )

    (entry,) = entries_for(enterprise)
    assert entry.actor == zhouxiang_clerk
    assert entry.remote_addr is None


def test_yearly_figures_changes_are_logged(hongda, zhouxiang_clerk):
    figures = actions.do_set_year_figures(hongda, 2023, acting_user=zhouxiang_clerk, employees=120)
    actions.do_set_year_figures(hongda, 2023, acting_user=zhouxiang_clerk, employees=150)

    update = entries_for(figures, LogEntry.Action.UPDATE).last()
    assert update.actor == zhouxiang_clerk
    assert update.changes["employees"] == ["120", "150"]


def test_password_hashes_never_reach_the_log(reference):
    user = make_user("new_clerk", org="window_zhouxiang")
    user.set_password("Another-pass-2024!")
    user.save()

    for entry in entries_for(user):
        assert "password" not in entry.changes


# --- Writes through the web ------------------------------------------------------------


def edit_english_name_in_admin(client, town: Town, new_name: str, **request):
    """Post the admin's change form of a town with only its English name changed."""
    return client.post(
        reverse("admin:reference_town_change", args=[town.pk]),
        {
            "code": town.code,
            "name_zh": town.name_zh,
            "name_en": new_name,
            "kind": town.kind,
            "sort_order": town.sort_order,
            "is_active": "on",
        },
        **request,
    )


def test_a_change_in_the_admin_records_the_request_ip(client, superuser, zhouxiang):
    client.force_login(superuser)
    before = zhouxiang.name_en

    response = edit_english_name_in_admin(client, zhouxiang, "Zhouxiang Town (edited)", REMOTE_ADDR=ADMIN_IP)

    assert response.status_code == 302
    (entry,) = entries_for(zhouxiang, LogEntry.Action.UPDATE)
    assert (entry.actor, entry.remote_addr) == (superuser, ADMIN_IP)
    assert entry.changes == {"name_en": [before, "Zhouxiang Town (edited)"]}


def test_a_forged_forwarded_for_header_does_not_change_the_logged_ip(client, superuser, zhouxiang, settings):
    # Given no trusted proxy is configured (USE_X_FORWARDED_FOR unset), as the login log assumes
    assert not getattr(settings, "USE_X_FORWARDED_FOR", False)
    client.force_login(superuser)

    # When a client sends its own X-Forwarded-For header with a change
    edit_english_name_in_admin(
        client, zhouxiang, "Zhouxiang Town (edited)", REMOTE_ADDR=ADMIN_IP, HTTP_X_FORWARDED_FOR="6.6.6.6"
    )

    # Then the log keeps the address the connection came from
    assert entries_for(zhouxiang, LogEntry.Action.UPDATE).get().remote_addr == ADMIN_IP


def test_an_import_logs_created_and_updated_enterprises(client, upload, platform_clerk, hongda):
    # Given 宏达 exists, when the platform clerk imports a sheet renaming it and adding another
    client.force_login(platform_clerk)
    rows = [
        {"credit_code": hongda.credit_code, "name": "慈溪市宏达智能科技有限公司", "town": "周巷镇"},
        {"credit_code": credit_code(60), "name": "慈溪市新光照明有限公司", "town": "龙山镇"},
    ]
    _response, job = upload(sheet("enterprises", rows), REMOTE_ADDR=WINDOW_IP)
    assert job.status == "done"

    # Then the update of 宏达 is logged with before and after, attributed to the clerk
    (update,) = entries_for(hongda, LogEntry.Action.UPDATE)
    assert update.actor == platform_clerk
    assert update.changes["name"] == [HONGDA_NAME, "慈溪市宏达智能科技有限公司"]

    # and so is the creation of the new one
    created = Enterprise.objects.get(credit_code=credit_code(60))
    (creation,) = entries_for(created, LogEntry.Action.CREATE)
    assert creation.actor == platform_clerk
    assert creation.changes["name"][1] == "慈溪市新光照明有限公司"
    assert creation.changes["town"][1] == str(created.town_id)


# --- The log cannot be edited --------------------------------------------------------------------


@pytest.fixture
def logged_entry(hongda) -> LogEntry:
    return entries_for(hongda).first()


def test_the_admin_shows_the_log(client, superuser, logged_entry):
    client.force_login(superuser)

    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/admin/auditlog/logentry/{id}/delete/"),
        ("post", "/admin/auditlog/logentry/{id}/delete/"),
        ("get", "/admin/auditlog/logentry/add/"),
        ("post", "/admin/auditlog/logentry/add/"),
        ("post", "/admin/auditlog/logentry/{id}/change/"),
    ],
)
def test_the_admin_refuses_to_add_change_or_delete_log_entries(client, superuser, logged_entry, method, url):
    client.force_login(superuser)
    before = LogEntry.objects.values().get(pk=logged_entry.pk)

    response = getattr(client, method)(url.format(id=logged_entry.pk), {"object_repr": "tampered", "post": "yes"})

    assert response.status_code == 403
    assert LogEntry.objects.values().get(pk=logged_entry.pk) == before


def test_the_admin_refuses_bulk_deletion_of_log_entries(client, superuser, logged_entry):
    client.force_login(superuser)

    client.post(
        reverse("admin:auditlog_logentry_changelist"),
        {"action": "delete_selected", "_selected_action": [logged_entry.pk], "post": "yes"},
    )

    assert LogEntry.objects.filter(pk=logged_entry.pk).exists()


# --- Searching and exporting the log ------------------------------------------------------------------


@pytest.fixture
def two_actors(hongda, platform_clerk, zhouxiang):
    """宏达 was registered by the administrator; the platform clerk registers another from the office."""
    with acting_as(platform_clerk, remote_addr=WINDOW_IP):
        return actions.do_create_enterprise(
            acting_user=platform_clerk, credit_code=credit_code(5), name="慈溪市平台登记有限公司", town=zhouxiang
        )


def test_operation_log_search_by_actor(client, system_admin, platform_clerk, two_actors):
    client.force_login(system_admin)

    by_clerk = client.get(reverse("audit-operations"), {"actor": "pf_clerk"}).context["page"].object_list
    assert by_clerk and {e.actor for e in by_clerk} == {platform_clerk}
    assert "慈溪市平台登记有限公司" in {e.object_repr for e in by_clerk}

    by_admin = client.get(reverse("audit-operations"), {"actor": "admin_li"}).context["page"].object_list
    assert by_admin and {e.actor for e in by_admin} == {system_admin}
    assert "慈溪市平台登记有限公司" not in {e.object_repr for e in by_admin}


def test_operation_log_search_by_ip_and_text(client, system_admin, two_actors):
    client.force_login(system_admin)

    by_ip = client.get(reverse("audit-operations"), {"ip": WINDOW_IP}).context["page"].object_list
    assert {e.object_repr for e in by_ip} == {"慈溪市平台登记有限公司"}
    by_text = client.get(reverse("audit-operations"), {"q": "宏达"}).context["page"].object_list
    assert {e.object_repr for e in by_text} == {HONGDA_NAME}


def test_operation_log_exports_to_excel(client, system_admin, two_actors):
    client.force_login(system_admin)

    response = client.get(reverse("audit-operations-export"), {"actor": "pf_clerk"})

    assert response.status_code == 200
    header, *rows = read_xlsx(response.content)
    assert len(header) == 7
    assert rows and {row[1] for row in rows} == {"pf_clerk"}
    assert {row[2] for row in rows} == {WINDOW_IP}
    assert any("name: None → 慈溪市平台登记有限公司" in row[6] for row in rows)


def test_login_log_search_and_export(client, system_admin, zhouxiang_clerk):
    client.post("/accounts/login/", {"username": "zx_window", "password": "wrong"}, REMOTE_ADDR=WINDOW_IP)
    client.force_login(system_admin)

    page = client.get(reverse("audit-logins"), {"q": "zx_window"}).context["page"].object_list
    assert [(e.username, e.event, e.ip_address) for e in page] == [("zx_window", "failed", WINDOW_IP)]
    by_ip = client.get(reverse("audit-logins"), {"q": WINDOW_IP}).context["page"].object_list
    assert [e.username for e in by_ip] == ["zx_window"]

    header, *rows = read_xlsx(client.get(reverse("audit-logins-export"), {"q": "zx_window"}).content)
    assert [(row[1], row[3]) for row in rows] == [("zx_window", WINDOW_IP)]
