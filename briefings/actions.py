"""Every write to the briefings: requesting an issue, generating it, distributing it.

``do_request_issue`` creates (or re-queues) the issue of a period and hands it to the
worker after commit; ``do_generate_issue`` computes and freezes it, writes the Word
and PDF files and, the first time, tells the distribution list through the outbox.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as
from notifications.actions import notify, notify_users

from . import access, generation, pdf, word
from .models import BriefingIssue, IssueStatus, Kind, RecordSet
from .periods import Period


def issue_year(period: Period) -> int:
    """A week belongs to the year of its Thursday (ISO weeks), a month to its own year."""
    return period.start.isocalendar().year if period.kind == Kind.WEEKLY else period.start.year


# A queued or generating issue untouched this long lost its worker: it may be queued again.
STUCK_AFTER = dt.timedelta(minutes=30)


def _stuck(issue: BriefingIssue) -> bool:
    return issue.updated_at < timezone.now() - STUCK_AFTER


def _next_sequence(kind: str, year: int) -> int:
    top = BriefingIssue.objects.filter(kind=kind, year=year).aggregate(top=Max("sequence"))["top"]
    return (top or 0) + 1


def do_request_issue(period: Period, *, acting_user=None, background: bool = True) -> BriefingIssue:
    """The issue of ``period``, queued for (re)generation; an issue on its way is left alone.

    Numbers go per kind and year in the order issues are first made (2026年第48期).
    """
    with transaction.atomic(), acting_as(acting_user):
        issue = BriefingIssue.objects.select_for_update().filter(kind=period.kind, period_start=period.start).first()
        if issue is None:
            year = issue_year(period)
            issue = BriefingIssue.objects.create(
                kind=period.kind, period_start=period.start, period_end=period.last_day, year=year,
                sequence=_next_sequence(period.kind, year), requested_by=acting_user)
        elif issue.status in (IssueStatus.QUEUED, IssueStatus.GENERATING) and not _stuck(issue):
            return issue
        else:
            issue.status, issue.error, issue.requested_by = IssueStatus.QUEUED, "", acting_user
            issue.save(update_fields=["status", "error", "requested_by", "updated_at"])
        if background:
            from .tasks import generate_briefing

            transaction.on_commit(lambda: generate_briefing.enqueue(issue.pk))
    if not background:
        do_generate_issue(issue)
    return issue


def _set_status(issue: BriefingIssue, status: str, error: str = "") -> None:
    with transaction.atomic(), acting_as(issue.requested_by):
        issue.status, issue.error = status, error
        issue.save(update_fields=["status", "error", "updated_at"])


def do_generate_issue(issue: BriefingIssue, *, today: dt.date | None = None) -> BriefingIssue:
    """Compute every section, freeze figures and record ids, write the files, distribute once."""
    _set_status(issue, IssueStatus.GENERATING)
    period = Period(issue.kind, issue.period_start, issue.end_exclusive)
    try:
        sections, records = generation.build(period, today or timezone.localdate())
    except Exception as error:
        _set_status(issue, IssueStatus.FAILED, f"{type(error).__name__}: {error}")
        raise
    with transaction.atomic(), acting_as(issue.requested_by):
        issue.sections, issue.generated_at = sections, timezone.now()
        issue.status, issue.error = IssueStatus.READY, ""
        issue.record_sets.all().delete()
        RecordSet.objects.bulk_create([RecordSet(issue=issue, key=key, model=r.model, ids=r.ids, label=r.label)
                                       for key, r in records.items()], batch_size=500)
        _write_files(issue)
        if issue.distributed_at is None:
            _distribute(issue)
            issue.distributed_at = timezone.now()
        issue.save()
    return issue


def _file_name(issue: BriefingIssue, extension: str) -> str:
    return f"{issue.kind}-{issue.period_start:%Y%m%d}.{extension}"


def _write_files(issue: BriefingIssue) -> None:
    for field, render, extension in ((issue.word_file, word.render, "docx"), (issue.pdf_file, pdf.render, "pdf")):
        content = render(issue)
        if field:
            field.delete(save=False)
        if content is not None:
            field.save(_file_name(issue, extension), ContentFile(content), save=False)


def _distribute(issue: BriefingIssue) -> None:
    """An in-app message to the staff of each listed organisation; a post to each listed group robot."""
    link = reverse("briefings-issue", args=[issue.pk])
    subject = _("%(briefing)s %(number)s is out") % {"briefing": issue.get_kind_display(), "number": issue.number}
    body = _("The %(briefing)s for %(start)s to %(end)s is ready: %(link)s") % {
        "briefing": issue.get_kind_display(), "start": issue.period_start.isoformat(),
        "end": issue.period_end.isoformat(), "link": link}
    for recipient in access.recipients_for(issue.kind):
        if recipient.organisation_id:
            notify_users(access.staff_of(recipient.organisation), subject=subject, body=body, link=link)
        if recipient.robot_id and recipient.robot.is_active:
            notify(channel=recipient.robot.channel, address=recipient.robot.name, subject=subject, body=body,
                   link=link)


def do_add_recipient(*, acting_user, kind: str = "", organisation=None, robot=None):
    """Put an organisation or a group robot on the distribution list."""
    from .models import Recipient

    with transaction.atomic(), acting_as(acting_user):
        return Recipient.objects.create(kind=kind, organisation=organisation, robot=robot)
