"""Visits: logged on the phone form, problems become linked demands, photos checked, scopes kept."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from demands.models import Demand, Status
from liaisons import actions
from liaisons.models import Level, Visit, VisitProblem, visit_of
from liaisons.visiting import not_visited

pytestmark = pytest.mark.django_db


def png() -> bytes:
    from ..demands.test_attachments import png_bytes

    return png_bytes()


def visit_form(enterprises, problems=(), **extra):
    data = {
        "visited_on": timezone.localdate().isoformat(), "enterprises": [e.pk for e in enterprises],
        "summary": "了解企业订单和用工情况", "problems-TOTAL_FORMS": str(max(len(problems), 2)),
        "problems-INITIAL_FORMS": "0", "problems-MIN_NUM_FORMS": "0", "problems-MAX_NUM_FORMS": "20",
    }
    for index, (text, enterprise) in enumerate(problems):
        data[f"problems-{index}-text"] = text
        data[f"problems-{index}-enterprise"] = enterprise.pk if enterprise else ""
        data[f"problems-{index}-appeal_type"] = "request"
    for index in range(len(problems), 2):
        data[f"problems-{index}-appeal_type"] = "request"
    return data | extra


@pytest.fixture
def assigned(hongda, longteng, zhouxiang_cadre, supervisor):
    actions.do_assign(hongda, zhouxiang_cadre, Level.TOWN, acting_user=supervisor)
    return hongda


def test_a_visit_turns_two_problems_into_two_linked_demands(client, assigned, zhouxiang_cadre, zhouxiang_cadre_2,
                                                           django_capture_on_commit_callbacks):
    client.force_login(zhouxiang_cadre)
    problems = [("年底缺普工三十人，希望对接劳务招聘", None), ("厂房产权证补办卡在消防验收", assigned)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("liaisons-visit-new"),
                               visit_form([assigned], problems, cadres=[zhouxiang_cadre_2.pk]))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert response.url == reverse("liaisons-visit-detail", args=[visit.pk])
    assert set(visit.cadres.all()) == {zhouxiang_cadre, zhouxiang_cadre_2}  # two person-trips
    demands = Demand.objects.order_by("id")
    assert [d.text for d in demands] == [text for text, _e in problems]
    for demand in demands:
        assert (demand.channel.code, demand.enterprise, demand.created_by) == ("visit", assigned, zhouxiang_cadre)
        assert demand.status == Status.RECEIVED and demand.contact_phone  # the primary contact, for the window
        assert visit_of(demand) == visit
    assert VisitProblem.objects.filter(visit=visit).count() == 2
    # The visit and its links are in the operation log, attributed to the cadre.
    logged = LogEntry.objects.get_for_object(visit)
    assert logged.count() == 1 and logged.get().actor == zhouxiang_cadre
    assert LogEntry.objects.get_for_model(VisitProblem).filter(actor=zhouxiang_cadre).count() == 2
    page = client.get(response.url).content.decode()
    for demand in demands:
        assert f'data-demand="{demand.number}"' in page
    # ... and each demand's page links back to the visit it came from.
    for demand in demands:
        demand_page = client.get(reverse("demands-detail", args=[demand.pk])).content.decode()
        assert f'href="{response.url}" id="source-visit"' in demand_page


def test_a_problem_added_later_is_linked_to_the_visit(client, assigned, zhouxiang_cadre):
    visit = actions.do_log_visit(acting_user=zhouxiang_cadre, visited_on=timezone.localdate(), enterprises=[assigned],
                                 summary="回访")
    client.force_login(zhouxiang_cadre)
    response = client.post(reverse("liaisons-visit-add-problem", args=[visit.pk]), {
        "add-text": "希望了解技改奖励申报", "add-enterprise": assigned.pk, "add-appeal_type": "consultation",
    })
    assert response.status_code == 302
    assert visit_of(Demand.objects.get()) == visit


def test_a_problem_about_an_enterprise_not_visited_is_refused(assigned, longteng, zhouxiang_cadre):
    with pytest.raises(ValidationError):
        actions.do_log_visit(acting_user=zhouxiang_cadre, visited_on=timezone.localdate(), enterprises=[assigned],
                             summary="走访", problems=[actions.ProblemInput(enterprise=longteng, text="问题")])
    assert not Visit.objects.exists() and not Demand.objects.exists()


def test_photos_are_checked_by_content(client, assigned, zhouxiang_cadre, in_english):
    client.force_login(zhouxiang_cadre)
    fake = SimpleUploadedFile("现场.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response = client.post(reverse("liaisons-visit-new"), visit_form([assigned], photos=[fake]))
    assert response.status_code == 200 and not Visit.objects.exists()
    assert "its content was checked" in response.content.decode()
    real = SimpleUploadedFile("现场.png", png(), content_type="application/octet-stream")
    response = client.post(reverse("liaisons-visit-new"), visit_form([assigned], photos=[real]))
    photo = Visit.objects.get().photos.get()
    assert (photo.content_type, photo.original_name) == ("image/png", "现场.png")
    assert client.get(reverse("liaisons-photo", args=[photo.pk]))["Content-Type"] == "image/png"


def test_a_visit_date_in_the_future_is_refused(assigned, zhouxiang_cadre):
    with pytest.raises(ValidationError):
        actions.do_log_visit(acting_user=zhouxiang_cadre, visited_on=timezone.localdate() + dt.timedelta(days=1),
                             enterprises=[assigned], summary="走访")


def test_scopes_cadre_sees_own_town_window_its_town(client, assigned, longteng, zhouxiang_cadre, zhouxiang_cadre_2,
                                                    longshan_cadre, zhouxiang_clerk, longshan_clerk, supervisor):
    today = timezone.localdate()
    mine = actions.do_log_visit(acting_user=zhouxiang_cadre, visited_on=today, enterprises=[assigned], summary="甲")
    other = actions.do_log_visit(acting_user=longshan_cadre, visited_on=today, enterprises=[longteng], summary="乙")
    for user, expected in [(zhouxiang_cadre, {mine}), (zhouxiang_cadre_2, set()), (zhouxiang_clerk, {mine}),
                           (longshan_clerk, {other}), (supervisor, {mine, other})]:
        client.force_login(user)
        response = client.get(reverse("liaisons-visits"))
        assert set(response.context["page"].object_list) == expected, user
    client.force_login(zhouxiang_cadre_2)
    assert client.get(reverse("liaisons-visit-detail", args=[mine.pk])).status_code == 404


def test_the_list_of_enterprises_not_visited_within_the_interval(client, assigned, hongda, zhouxiang_cadre,
                                                                 supervisor, system_admin, zhouxiang, settings):
    from enterprises import actions as enterprise_actions

    from ..factories import credit_code

    quiet = enterprise_actions.do_create_enterprise(acting_user=system_admin, credit_code=credit_code(44),
                                                    name="慈溪市久未走访厂", town=zhouxiang)
    actions.do_assign(quiet, zhouxiang_cadre, Level.TOWN, acting_user=supervisor)
    today = timezone.localdate()
    actions.do_log_visit(acting_user=zhouxiang_cadre, visited_on=today - dt.timedelta(days=10),
                         enterprises=[hongda], summary="近期走访")
    assert [a.enterprise for a in not_visited(zhouxiang_cadre, days=90)] == [quiet]
    assert {a.enterprise for a in not_visited(zhouxiang_cadre, days=5)} == {quiet, hongda}
    settings.QIFU_VISIT_INTERVAL_DAYS = 5
    client.force_login(zhouxiang_cadre)
    response = client.get(reverse("liaisons-unvisited"))
    assert response.context["days"] == 5 and response.context["page"].paginator.count == 2
    export = client.get(reverse("liaisons-unvisited-export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_condition_items_with_the_four_new_tags(client, hongda, zhouxiang_clerk, longshan_clerk):
    from liaisons.models import ConditionItem
    from reference.models import ConditionTag

    client.force_login(zhouxiang_clerk)
    burden = ConditionTag.objects.get(code="new_burden")
    response = client.post(reverse("liaisons-conditions"), {
        "text": "原材料铜价上涨，多家电器企业反映成本压力", "tags": [burden.pk], "enterprise_name": hongda.credit_code,
    })
    assert response.status_code == 302
    item = ConditionItem.objects.get()
    assert (item.enterprise, item.town, list(item.tags.all())) == (hongda, hongda.town, [burden])
    listed = client.get(reverse("liaisons-conditions"), {"tag": "new_burden"})
    assert list(listed.context["page"].object_list) == [item]
    assert client.get(reverse("liaisons-conditions"), {"tag": "new_risk"}).context["page"].paginator.count == 0
    client.force_login(longshan_clerk)
    assert client.get(reverse("liaisons-conditions")).context["page"].paginator.count == 0


def test_the_weekly_reminder_tells_each_cadre_of_their_overdue_enterprises(assigned, zhouxiang_cadre,
                                                                          zhouxiang_cadre_2, longteng, supervisor):
    from liaisons.tasks import remind_unvisited
    from notifications.models import Notification

    actions.do_log_visit(acting_user=zhouxiang_cadre_2, visited_on=timezone.localdate(), enterprises=[assigned],
                         summary="同事走访")  # a visit by someone else does not count for the cadre
    assert remind_unvisited.call() == 1
    message = Notification.objects.get()
    assert message.recipient == zhouxiang_cadre and message.link == reverse("liaisons-unvisited")
