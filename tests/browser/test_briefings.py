"""A supervisor opens the weekly 企情快报 from the archive, follows a figure to its demands,
and downloads the Word file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from playwright.sync_api import expect

from briefings import periods
from briefings.actions import do_request_issue
from briefings.models import Kind

from ..briefings.conftest import (  # noqa: F401 - the known week of the briefing tests
    WEEK_START,
    clock,
    hotline,
    innovation,
    journey,
    kjj,
    model_dir,
    no_topics,
    week,
)
from ..factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_opens_the_weekly_report_and_downloads_word(page, supervisor, week, clock):  # noqa: F811
    issue = do_request_issue(periods.period_of(Kind.WEEKLY, WEEK_START), background=False)
    clock.set(dt.date.today())  # the browser's session cookie lives in real time

    page.goto("/accounts/login/")
    page.fill('input[name="username"]', supervisor.username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('#login-form button[type="submit"]')
    expect(page.locator("#login-form")).to_have_count(0)

    page.goto("/briefings/")
    page.click(f'#issue-list tr[data-issue="{issue.pk}"] a[href="/briefings/{issue.pk}/"]')
    new = page.locator('#section-headline [data-figure="new"] a[data-records]')
    expect(new).to_have_attribute("data-value", "2")
    expect(page.locator("#chart-trend-trend canvas")).to_have_count(1)

    with page.expect_download() as download_info:
        page.click("#download-word")
    document = Document(io.BytesIO(open(download_info.value.path(), "rb").read()))
    # The headline table in section order: header, new, closed, completion rate …
    values = [row.cells[1].text for row in document.tables[0].rows]
    assert values[1:4] == ["2", "2", "50.0%"]

    new.click()
    expect(page.locator("#record-list")).to_have_attribute("data-count", "2")
    listed = {int(pk) for pk in page.locator("#record-list tr[data-record]").evaluate_all(
        "rows => rows.map(r => r.dataset.record)")}
    assert listed == {week.done.pk, week.open.pk}
