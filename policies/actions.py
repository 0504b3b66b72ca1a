"""All writes to the policy library.  Each runs in a transaction and is attributed in
the operation log; a published version is never changed (a change is a new version)."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as, log_bulk_changes
from enterprises.models import Project
from notifications.actions import notify
from notifications.models import Channel

from . import facts_io, payouts
from .models import PayoutBatch, PayoutLine, Policy, PolicyTestCase, PolicyVersion
from .payouts import PayoutRefused
from .push import contacts_of
from .rules import evaluate_one


class PublishRefused(Exception):
    """Publishing was refused; the message says why (e.g. which test cases fail)."""


def do_create_policy(*, acting_user, **fields) -> Policy:
    policy = Policy(**fields)
    policy.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        policy.save()
    return policy


def do_update_policy(policy: Policy, *, acting_user, **changes) -> Policy:
    """Change the guide fields of a policy (its rule changes through versions)."""
    for field, value in changes.items():
        setattr(policy, field, value)
    policy.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        policy.save()
    return policy


def do_create_version(policy: Policy, *, acting_user, conditions: list[dict], amount_formula: str = "",
                      cap_expression: str = "", change_note: str = "", copy_test_cases: bool = True
                      ) -> PolicyVersion:
    """A new draft version (the next number); the rule must read (RuleError otherwise).

    The test cases of the latest version are copied, so a change is checked against
    every example the policy already had.
    """
    with transaction.atomic(), acting_as(acting_user):
        latest = policy.versions.order_by("-number").first()
        number = (policy.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = PolicyVersion(policy=policy, number=number, conditions=conditions, amount_formula=amount_formula,
                                cap_expression=cap_expression, change_note=change_note)
        version.compile()
        version.full_clean()
        version.save()
        if latest is not None and copy_test_cases:
            for case in latest.test_cases.all():
                PolicyTestCase.objects.create(version=version, name=case.name, facts=case.facts,
                                              expected_status=case.expected_status,
                                              expected_amount_fen=case.expected_amount_fen)
    return version


def do_add_test_case(version: PolicyVersion, *, acting_user, name: str, facts: dict, expected_status: str,
                     expected_amount_fen: int | None = None) -> PolicyTestCase:
    if version.status != PolicyVersion.Status.DRAFT:
        raise PublishRefused(_("Test cases can only be added to a draft version."))
    case = PolicyTestCase(version=version, name=name, facts=facts, expected_status=expected_status,
                          expected_amount_fen=expected_amount_fen)
    case.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        case.save()
    return case


def failing_test_cases(version: PolicyVersion) -> list[tuple[PolicyTestCase, object]]:
    """(case, actual result) for every test case the version does not reproduce."""
    rule = version.compile()
    failing = []
    for case in version.test_cases.all():
        result = evaluate_one(rule, case.facts)
        if result.status != case.expected_status or result.amount_fen != case.expected_amount_fen:
            failing.append((case, result))
    return failing


def publish_version(version: PolicyVersion, *, acting_user) -> PolicyVersion:
    """Put a draft version in force and retire the one it replaces.

    Refused (PublishRefused, listing the cases) unless every test case passes.
    """
    if version.status != PolicyVersion.Status.DRAFT:
        raise PublishRefused(_("Only a draft version can be published."))
    failing = failing_test_cases(version)
    if failing:
        lines = [
            _("“%(name)s”: expected %(expected)s %(expected_amount)s, got %(actual)s %(actual_amount)s") % {
                "name": case.name, "expected": case.expected_status,
                "expected_amount": _amount_text(case.expected_amount_fen),
                "actual": result.status, "actual_amount": _amount_text(result.amount_fen)}
            for case, result in failing
        ]
        raise PublishRefused(_("Version %(number)d was not published; these test cases fail: %(cases)s")
                             % {"number": version.number, "cases": "; ".join(lines)})
    with transaction.atomic(), acting_as(acting_user):
        for previous in version.policy.versions.filter(status=PolicyVersion.Status.PUBLISHED):
            previous.status = PolicyVersion.Status.RETIRED
            previous.save()
        version.status = PolicyVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = acting_user
        version.save()
    return version


def _amount_text(fen: int | None) -> str:
    return "" if fen is None else _("%(fen)d fen") % {"fen": fen}


# --- Payouts without application (免申即享); see policies.payouts.


def do_generate_payouts(version: PolicyVersion, *, acting_user=None, run=None) -> PayoutBatch | None:
    """The payout list of ``version`` from the match table of ``run`` (the latest run by default).

    Only eligible subjects with an amount that are not yet on a list of this policy for
    the run's year are listed; None when there is no one new.  Refused for a policy not
    paid without application or a version not in force.
    """
    if not version.policy.auto_payout:
        raise PayoutRefused(_("“%(title)s” is not paid without application.") % {"title": version.policy.title})
    if version.status != PolicyVersion.Status.PUBLISHED:
        raise PayoutRefused(_("Only the version in force makes payout lists."))
    run = run or payouts.latest_run()
    year = payouts.review_year(run)
    with transaction.atomic(), acting_as(acting_user):
        lines = payouts.payout_lines_for(version, year)
        if not lines:
            return None
        batch = PayoutBatch.objects.create(version=version, run=run, year=year, created_by=acting_user)
        for line in lines:
            line.batch = batch
        PayoutLine.objects.bulk_create(lines, batch_size=1000)
        log_bulk_changes(PayoutLine, [(line, LogEntry.Action.CREATE, _line_changes(line)) for line in lines],
                         acting_user)
    return batch


def do_generate_due_payouts(*, acting_user=None) -> list[PayoutBatch]:
    """A payout list for every policy paid without application that has newly eligible subjects."""
    run = payouts.latest_run()
    batches = [do_generate_payouts(version, acting_user=acting_user, run=run) for version in payouts.payout_versions()]
    return [batch for batch in batches if batch is not None]


def do_decide_payout_line(line: PayoutLine, *, acting_user, approve: bool, reason: str = "") -> PayoutLine:
    """Approve one line, or reject it with a reason; only while its batch is under review."""
    reason = reason.strip()
    if not approve and not reason:
        raise PayoutRefused(_("A rejection needs a reason."))
    with transaction.atomic(), acting_as(acting_user):
        batch = PayoutBatch.objects.select_for_update().get(pk=line.batch_id)
        _require_under_review(batch)
        line.status = PayoutLine.Status.APPROVED if approve else PayoutLine.Status.REJECTED
        line.reason = "" if approve else reason
        line.decided_at, line.decided_by = timezone.now(), acting_user
        line.full_clean()
        line.save()
    return line


def do_approve_payout_batch(batch: PayoutBatch, *, acting_user) -> PayoutBatch:
    """Approve every line still pending, close the batch and tell each enterprise's contacts its result.

    A second approval is refused (PayoutRefused), so nobody is paid or told twice.
    """
    with transaction.atomic(), acting_as(acting_user):
        batch = PayoutBatch.objects.select_for_update().select_related("version__policy").get(pk=batch.pk)
        _require_under_review(batch)
        now = timezone.now()
        pending = list(batch.lines.filter(status=PayoutLine.Status.PENDING).only("pk", "batch_id", "enterprise_id",
                                                                                 "project_id", "amount_fen"))
        # The same lines: every decision on a line locks its batch first (see do_decide_payout_line).
        batch.lines.filter(status=PayoutLine.Status.PENDING).update(
            status=PayoutLine.Status.APPROVED, decided_at=now, decided_by=acting_user, updated_at=now)
        log_bulk_changes(PayoutLine, [(line, LogEntry.Action.UPDATE, {"status": ["pending", "approved"]})
                                      for line in pending], acting_user)
        batch.status, batch.approved_at, batch.approved_by = PayoutBatch.Status.APPROVED, now, acting_user
        batch.save()
        _notify_results(batch)
    return batch


def _require_under_review(batch: PayoutBatch) -> None:
    if batch.status != PayoutBatch.Status.UNDER_REVIEW:
        when = timezone.localtime(batch.approved_at).strftime("%Y-%m-%d %H:%M") if batch.approved_at else ""
        raise PayoutRefused(_("This payout list was already approved (%(when)s by %(who)s); it cannot change.")
                            % {"when": when, "who": batch.approved_by or "—"})


def _notify_results(batch: PayoutBatch) -> None:
    """One in-app message per enterprise contact, with the result of each of its lines."""
    by_enterprise: dict[int, list[PayoutLine]] = {}
    for line in batch.lines.select_related("enterprise", "project").order_by("enterprise_id", "project_id"):
        by_enterprise.setdefault(line.enterprise_id, []).append(line)
    link = reverse("policies-checkup")
    contacts: dict[int, list] = {}
    for user in contacts_of(list(by_enterprise)):
        contacts.setdefault(user.enterprise_id, []).append(user)
    for enterprise_id, lines in by_enterprise.items():
        subject, body = payouts.result_message(batch.version.policy, lines)
        for user in contacts.get(enterprise_id, []):
            notify(channel=Channel.IN_APP, recipient=user, subject=subject, body=body, link=link)


def _line_changes(line: PayoutLine) -> dict:
    return {"enterprise": [None, str(line.enterprise_id)], "project": [None, str(line.project_id or "")],
            "amount_fen": [None, str(line.amount_fen)], "status": [None, line.status]}


# --- Facts import (policies.facts_io): yearly figures and project facts from a facts file.


def do_import_facts(path, *, acting_user=None, mode: str = "all-or-nothing", year: int | None = None
                    ) -> facts_io.ImportReport:
    """Check every row of a facts file, then store all rows (none if one is bad) or only the good ones.

    The report lists every bad row with its column and reason; ``imported`` says whether
    anything was written.  FactsImportError for a file that cannot be read at all.
    """
    if mode not in facts_io.MODES:
        raise ValueError(mode)
    header, raw = facts_io.read_table(path)
    rows, errors = facts_io.parse_rows(header, raw, year=year)
    report = facts_io.ImportReport(rows=len(raw), errors=errors,
                                   ignored_columns=[c for c in header if c in facts_io.DERIVED])
    if errors and mode == "all-or-nothing":
        return report
    with transaction.atomic(), acting_as(acting_user):
        report.figures_created, report.figures_updated = _import_figures(rows, acting_user)
        report.projects_updated = _import_projects([r for r in rows if r.kind == "project"], acting_user)
    report.imported = True
    return report


def _import_figures(rows: list, acting_user) -> tuple[int, int]:
    """Enterprise rows into that year's figures; a row of empty cells makes no empty figures."""
    from enterprises.actions import do_import_year_rows

    existing = facts_io.existing_figures(rows)
    figure_rows = [
        {"credit_code": row.target.credit_code, "year": row.year, **row.values}
        for row in rows
        if row.kind == "enterprise" and (any(v is not None for v in row.values.values())
                                         or (row.target.pk, row.year) in existing)
    ]
    if not figure_rows:
        return 0, 0
    enterprises = {row.target.credit_code: row.target for row in rows if row.kind == "enterprise"}
    created, updated = 0, 0
    for year in sorted({r["year"] for r in figure_rows}):  # one call per year: its rows are keyed by credit code
        done = do_import_year_rows([r for r in figure_rows if r["year"] == year], enterprises, acting_user=acting_user)
        created, updated = created + done[0], updated + done[1]
    return created, updated


def _import_projects(rows: list, acting_user) -> int:
    changed, log_rows = [], []
    for row in rows:
        project, changes = row.target, {}
        for column, value in row.values.items():
            name = facts_io.PROJECT_FIELDS.get(column, column)
            if value is None and column in facts_io.NOT_NULL:
                continue
            value = "" if value is None and column == "industry_class" else value
            if getattr(project, name) != value:
                changes[name] = [str(getattr(project, name)), str(value)]
                setattr(project, name, value)
        if changes:
            changed.append(project)
            log_rows.append((project, LogEntry.Action.UPDATE, changes))
    fields = sorted({facts_io.PROJECT_FIELDS.get(c, c) for c in facts_io.PROJECT_COLUMNS})
    Project.objects.bulk_update(changed, fields, batch_size=1000)
    log_bulk_changes(Project, log_rows, acting_user)
    return len(changed)
