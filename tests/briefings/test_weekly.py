"""The weekly 企情快报 of a known week: the right counts, and links to exactly those records."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from briefings import periods
from briefings.actions import do_request_issue
from briefings.models import BriefingIssue, IssueStatus, Kind
from demands.models import Demand

from .conftest import WEEK_START

pytestmark = pytest.mark.django_db


def _weekly():
    return do_request_issue(periods.period_of(Kind.WEEKLY, WEEK_START), background=False)


def _section(issue, key):
    return next(s for s in issue.sections if s["key"] == key)


def _figure(issue, section, key):
    return next(f for f in _section(issue, section)["figures"] if f["key"] == key)


def _ids(issue, key):
    return set(issue.record_sets.get(key=key).ids)


def test_weekly_headline_counts_the_week(week):
    issue = _weekly()
    assert issue.status == IssueStatus.READY
    assert (issue.period_start.isoformat(), issue.period_end.isoformat()) == ("2026-03-02", "2026-03-08")
    values = {f["key"]: f["value"] for f in _section(issue, "headline")["figures"]}
    assert values == {"new": 2, "closed": 2, "completion_rate": 50.0, "on_time_rate": 100.0,
                      "satisfaction_rate": 100.0, "overdue": 1, "supervision": 1}
    assert _ids(issue, "demands-all") == {week.done.pk, week.open.pk}
    assert _ids(issue, "demands-closed") == {week.carried.pk, week.done.pk}
    assert _ids(issue, "demands-answered") == {week.done.pk}
    assert _ids(issue, "demands-routed") == {week.done.pk, week.open.pk}
    assert _ids(issue, "demands-overdue") == {week.open.pk}
    assert issue.record_sets.get(key="supervision").ids == [week.open.supervision_orders.get().pk]


def test_issue_numbers_go_per_kind_and_year(week):
    first = _weekly()
    second = do_request_issue(periods.period_of(Kind.WEEKLY, WEEK_START).previous(), background=False)
    monthly = do_request_issue(periods.period_of(Kind.MONTHLY, WEEK_START), background=False)
    assert (first.year, first.sequence, second.sequence, monthly.sequence) == (2026, 1, 2, 1)
    with translation.override("zh-hans"):
        assert str(first.number) == "2026年第1期"


def _record_ids(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'data-record="(\d+)"', response.content.decode())}


def test_every_headline_link_opens_exactly_its_records(client, supervisor, week):
    issue = _weekly()
    client.force_login(supervisor)
    page = client.get(reverse("briefings-issue", args=[issue.pk])).content.decode()
    for key, expected in (("demands-all", {week.done.pk, week.open.pk}),
                          ("demands-closed", {week.carried.pk, week.done.pk}),
                          ("demands-overdue", {week.open.pk})):
        url = reverse("briefings-records", args=[issue.pk, key])
        assert f'href="{url}"' in page
        assert _record_ids(client, url) == expected


def test_the_live_link_of_new_demands_filters_the_workbench_to_the_week(client, supervisor, week):
    issue = _weekly()
    new = _figure(issue, "headline", "new")
    assert new["live"] == reverse("demands-list") + "?period=2026-03-02..2026-03-08&queue=all"
    client.force_login(supervisor)
    listed = {d.pk for d in client.get(new["live"]).context["page"]}
    assert listed == {week.done.pk, week.open.pk}


def test_the_records_stay_those_of_the_issue_after_the_data_moves_on(client, supervisor, week, journey):
    issue = _weekly()
    journey.to(Demand.objects.get(pk=week.open.pk), "closed")  # closed later: the issue still lists what it counted
    client.force_login(supervisor)
    assert _record_ids(client, reverse("briefings-records", args=[issue.pk, "demands-overdue"])) == {week.open.pk}
    issue.refresh_from_db()
    assert _figure(issue, "headline", "overdue")["value"] == 1


def test_league_table_row_of_the_lead_unit(week):
    issue = _weekly()
    league = _section(issue, "league")["tables"][0]
    row = next(r for r in league["rows"] if r[1]["value"] == "市科技局")
    assert [c["value"] for c in row[2:]] == [2, 2, 50.0, 100.0, 0, 100.0, 2, 1]
    assert set(issue.record_sets.get(key=row[2]["records"]).ids) == {week.done.pk, week.open.pk}
    assert "unit=dept_kjj" in row[4]["live"] and "state=answered" in row[4]["live"]


def test_trend_compares_with_the_week_before(week):
    issue = _weekly()
    values = {f["key"]: f["value"] for f in _section(issue, "trend")["figures"]}
    # The week before: ``before`` and ``carried`` received, ``before`` closed.
    assert (values["previous_new"], values["new_change"], values["previous_closed"]) == (2, 0.0, 1)
    chart = _section(issue, "trend")["charts"][0]
    assert chart["series"][0]["data"][-2:] == [2, 2] and chart["series"][1]["data"][-2:] == [1, 2]


def test_word_file_opens_and_holds_the_figures(client, supervisor, week, in_english):
    issue = _weekly()
    client.force_login(supervisor)
    response = client.get(reverse("briefings-word", args=[issue.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "2026-03-02" in text and "2026-03-08" in text
    assert any("2026" in p.text and "1" in p.text for p in document.paragraphs[:3])
    headline = document.tables[0]
    rows = {r.cells[0].text: r.cells[1].text for r in headline.rows}
    assert rows["New demands"] == "2" and rows["Demands closed"] == "2" and rows["Completion rate"] == "50.0%"
    unit = next(r[1]["value"] for r in _section(issue, "league")["tables"][0]["rows"])
    assert unit and unit in cells


def test_outsiders_and_enterprises_cannot_read_briefings(client, outsider, hongda_contact, week):
    issue = _weekly()
    for user in (outsider, hongda_contact):
        client.force_login(user)
        assert client.get(reverse("briefings-issue", args=[issue.pk])).status_code == 404
        assert client.get(reverse("briefings-archive")).status_code == 404


def test_records_outside_the_readers_scope_are_hidden(client, longshan_clerk, week):
    issue = _weekly()
    client.force_login(longshan_clerk)
    response = client.get(reverse("briefings-records", args=[issue.pk, "demands-all"]))
    assert response.status_code == 200
    assert response.content.decode().count("data-record-hidden") == 2
    assert BriefingIssue.objects.count() == 1


def test_hot_topics_group_the_weeks_demands_about_one_problem(real_topics, journey, clock):
    """Three enterprises' demands about one power cut make one topic, its link the three demands."""
    from enterprises.models import Enterprise

    clock.set(WEEK_START + dt.timedelta(days=1))
    text = "周巷镇工业园区昨天下午突然停电，生产线全部停工，希望供电公司尽快恢复供电并说明原因。"
    ids = [journey.submit(title="园区停电", text=text).pk for _ in range(3)]
    journey.submit(title="招聘补贴", text="想了解新招大学生的社保补贴怎么申请。")
    assert Enterprise.objects.exists()
    clock.set(WEEK_START + dt.timedelta(days=10))
    issue = _weekly()
    topics = _section(issue, "topics")
    assert topics["tables"][0]["rows"], topics
    first = topics["tables"][0]["rows"][0]
    assert set(issue.record_sets.get(key=first[2]["records"]).ids) == set(ids)


def test_pdf_edition_is_a_pdf_set_in_the_chinese_font(client, supervisor, week):
    issue = _weekly()
    client.force_login(supervisor)
    response = client.get(reverse("briefings-pdf", args=[issue.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF") and b"STSong-Light" in content


def test_visit_coverage_and_policy_pushes_of_the_week(journey, clock, hongda, zhouxiang_clerk, supervisor):
    from django.utils import timezone

    from liaisons.actions import ProblemInput, do_log_visit
    from policies.models import PolicyPush

    clock.set(WEEK_START + dt.timedelta(days=2))
    inside = do_log_visit(acting_user=zhouxiang_clerk, visited_on=clock.today, enterprises=[hongda],
                          summary="了解企业用工情况", cadres=[supervisor],
                          problems=[ProblemInput(enterprise=hongda, text="年底缺普工三十人，希望对接劳务招聘")])
    do_log_visit(acting_user=zhouxiang_clerk, visited_on=WEEK_START - dt.timedelta(days=1), enterprises=[hongda],
                 summary="上周走访")
    # The weekly push is written by policies.push; one row here stands for one sent in the week.
    push = PolicyPush.objects.create(week_start=WEEK_START + dt.timedelta(days=7), enterprise=hongda,
                                     policies=[{"id": 1}, {"id": 2}], sent_at=timezone.now())
    clock.set(WEEK_START + dt.timedelta(days=10))
    issue = _weekly()
    visits = {f["key"]: f["value"] for f in _section(issue, "visits")["figures"]}
    assert visits == {"enterprises_visited": 1, "visits": 1, "person_trips": 2, "problems": 1, "resolved": 0}
    assert issue.record_sets.get(key="visits").ids == [inside.pk]
    assert issue.record_sets.get(key="visit-problems").ids == [inside.problems.get().demand_id]
    pushes = {f["key"]: f["value"] for f in _section(issue, "pushes")["figures"]}
    assert pushes == {"pushes": 1, "pushed_enterprises": 1, "pushed_policies": 2}
    assert issue.record_sets.get(key="pushes").ids == [push.pk]


def test_an_issue_reads_in_the_readers_language(client, supervisor, week):
    issue = _weekly()  # made in Chinese, the default language
    client.force_login(supervisor)
    url = reverse("briefings-issue", args=[issue.pk])
    assert "核心指标" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    with translation.override("en"):
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Headline figures" in english and "Department league table" in english
