"""Assigning liaison cadres: by hand, by tier rule, by Excel (bad rows reported); history and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from enterprises import actions as enterprise_actions
from enterprises.models import ImportJob
from liaisons import actions
from liaisons.models import Assignment, Level
from reference.models import EnterpriseTag

from ..factories import HONGDA_NAME, credit_code, xlsx_file

pytestmark = pytest.mark.django_db

HEADERS = ["统一社会信用代码", "责任人账号", "责任人姓名", "责任人单位", "层级", "起始日期"]


def test_a_new_cadre_ends_the_previous_assignment(hongda, zhouxiang_cadre, zhouxiang_cadre_2, supervisor):
    first = actions.do_assign(hongda, zhouxiang_cadre, Level.TOWN, acting_user=supervisor,
                              started_on=dt.date(2026, 1, 5))
    second = actions.do_assign(hongda, zhouxiang_cadre_2, Level.TOWN, acting_user=supervisor,
                               started_on=dt.date(2026, 3, 1))
    first.refresh_from_db()
    assert (first.ended_on, first.ended_by) == (dt.date(2026, 3, 1), supervisor)
    assert second.is_current and second.assigned_by == supervisor
    assert list(Assignment.objects.filter(enterprise=hongda, ended_on__isnull=True)) == [second]
    assert LogEntry.objects.get_for_model(Assignment).filter(actor=supervisor).count() == 3  # 2 created, 1 ended


def test_assigning_the_same_cadre_again_changes_nothing(hongda, zhouxiang_cadre, supervisor):
    first = actions.do_assign(hongda, zhouxiang_cadre, Level.TOWN, acting_user=supervisor)
    again = actions.do_assign(hongda, zhouxiang_cadre, Level.TOWN, acting_user=supervisor)
    assert again == first and Assignment.objects.count() == 1


def test_a_town_cadre_must_work_for_the_enterprises_town(longteng, zhouxiang_cadre, city_cadre, supervisor):
    with pytest.raises(ValidationError):
        actions.do_assign(longteng, zhouxiang_cadre, Level.TOWN, acting_user=supervisor)
    with pytest.raises(ValidationError):
        actions.do_assign(longteng, zhouxiang_cadre, Level.CITY, acting_user=supervisor)
    assert actions.do_assign(longteng, city_cadre, Level.CITY, acting_user=supervisor).is_current


def test_by_rule_every_above_scale_enterprise_of_zhouxiang(hongda, longteng, system_admin, zhouxiang,
                                                          zhouxiang_cadre, supervisor):
    above = EnterpriseTag.objects.get(code="above_scale")
    third = enterprise_actions.do_create_enterprise(acting_user=system_admin, credit_code=credit_code(33),
                                                    name="慈溪市小厂", town=zhouxiang)
    for enterprise in (hongda, longteng):
        enterprise.tags.add(above)
    from enterprises.models import Enterprise

    changed = actions.do_assign_by_rule(acting_user=supervisor, tier="above_scale", cadre=zhouxiang_cadre,
                                        level=Level.TOWN, enterprises=Enterprise.objects.filter(town=zhouxiang))
    assert changed == 1
    assignment = Assignment.objects.get()
    assert (assignment.enterprise, assignment.via, assignment.rule) == (hongda, "rule", "above_scale")
    assert not Assignment.objects.filter(enterprise=third).exists()


def test_by_hand_on_the_board(client, hongda, zhouxiang_cadre, zhouxiang_clerk):
    client.force_login(zhouxiang_clerk)
    board = client.get(reverse("liaisons-assignments"), {"liaison": "none"})
    assert HONGDA_NAME in board.content.decode()
    response = client.post(reverse("liaisons-assign-hand"), {
        "cadre": zhouxiang_cadre.pk, "level": "town", "enterprises": [hongda.pk],
        "back": "/liaisons/assignments/",
    })
    assert response.status_code == 302
    assert Assignment.objects.get().cadre == zhouxiang_cadre
    # A town window may not assign city-level liaisons.
    client.post(reverse("liaisons-assign-hand"), {"cadre": zhouxiang_cadre.pk, "level": "city",
                                                  "enterprises": [hongda.pk]})
    assert Assignment.objects.count() == 1


def test_the_enterprise_page_shows_its_liaisons(client, hongda, zhouxiang_cadre, city_cadre, supervisor,
                                                hongda_contact):
    actions.do_assign(hongda, zhouxiang_cadre, Level.TOWN, acting_user=supervisor)
    actions.do_assign(hongda, city_cadre, Level.CITY, acting_user=supervisor)
    client.force_login(hongda_contact)
    page = client.get(reverse("enterprises-detail", args=[hongda.pk])).content.decode()
    assert 'data-liaison="zx_cadre" data-level="town"' in page
    assert 'data-liaison="jxj_cadre" data-level="city"' in page


# --- Excel ------------------------------------------------------------------------------------


@pytest.fixture
def sheet(hongda, longteng, zhouxiang_cadre, city_cadre, longshan_cadre):
    """Two good rows and four bad ones, each bad for a different reason."""
    return xlsx_file(HEADERS, [
        [hongda.credit_code, "zx_cadre", None, None, "镇级", "2026-01-01"],  # row 2: good
        [longteng.credit_code, None, "钱干部", "市经信局", "市级", None],  # row 3: good, by name + organisation
        ["91330282XXXXXXXXX1", "zx_cadre", None, None, "镇级", None],  # row 4: bad credit code
        [credit_code(999), "zx_cadre", None, None, "镇级", None],  # row 5: no such enterprise
        [longteng.credit_code, "zx_cadre", None, None, "镇级", None],  # row 6: wrong town for the cadre
        [hongda.credit_code, "nobody", None, None, "区级", "someday"],  # row 7: three bad cells
    ])


def post_import(client, content, mode):
    return client.post(reverse("liaisons-import"),
                       {"mode": mode, "file": SimpleUploadedFile("责任人.xlsx", content)})


def reported(response):
    return [(row, column) for row, column, _reason in response.context["report"].errors]


def test_all_or_nothing_reports_every_bad_row_and_imports_nothing(client, supervisor, sheet, in_english):
    client.force_login(supervisor)
    response = post_import(client, sheet, ImportJob.Mode.ALL_OR_NOTHING)
    assert response.status_code == 200
    assert reported(response) == [
        (4, "统一社会信用代码"), (5, "统一社会信用代码"), (6, "责任人账号"),
        (7, "责任人账号"), (7, "层级"), (7, "起始日期"),
    ]
    reasons = dict(((row, column), reason) for row, column, reason in response.context["report"].errors)
    assert reasons[(5, "统一社会信用代码")] == "No enterprise with this credit code in your scope."
    assert "does not work for the town" in reasons[(6, "责任人账号")]
    assert 'data-row="7"' in response.content.decode()
    assert not Assignment.objects.exists()


def test_valid_only_imports_the_good_rows(client, supervisor, sheet, hongda, longteng):
    client.force_login(supervisor)
    response = post_import(client, sheet, ImportJob.Mode.GOOD_ROWS)
    report = response.context["report"]
    assert report.imported and report.changed == 2 and report.bad_rows == 4
    got = {(a.enterprise.name, a.cadre.username, a.level, a.via) for a in Assignment.objects.all()}
    assert got == {(hongda.name, "zx_cadre", "town", "import"), (longteng.name, "jxj_cadre", "city", "import")}
    assert Assignment.objects.get(enterprise=hongda).started_on == dt.date(2026, 1, 1)


def test_a_town_window_imports_only_its_own_town(client, zhouxiang_clerk, sheet):
    client.force_login(zhouxiang_clerk)
    response = post_import(client, sheet, ImportJob.Mode.ALL_OR_NOTHING)
    errors = reported(response)
    assert (3, "统一社会信用代码") in errors  # 龙腾 is in 龙山, outside the clerk's scope
    assert not Assignment.objects.exists()


def test_a_file_that_is_no_spreadsheet_is_refused(client, supervisor, in_english):
    client.force_login(supervisor)
    response = post_import(client, b"not a spreadsheet", ImportJob.Mode.ALL_OR_NOTHING)
    assert response.status_code == 400
    assert "not an Excel" in response.content.decode()
