"""No-application payouts (免申即享): payout lists made from the match table, reviewed by the policy's department.

``payout_lines_for`` turns a version's eligible match rows into unsaved lines (amount,
the facts the rule reads, their hash); the actions in ``policies.actions`` save them
as a batch, record decisions and approve.  A subject is listed once per policy and
year: a line in an earlier batch (whatever its decision) keeps it off later ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from .matching import default_year, facts_hash
from .models import PayoutBatch, PayoutLine, Policy, PolicyMatch, PolicyMatchRun, PolicyVersion
from .subjects import subjects_facts


class PayoutRefused(Exception):
    """A payout action was refused; the message says why."""


def latest_run() -> PolicyMatchRun | None:
    return PolicyMatchRun.objects.order_by("-finished_at", "-id").first()


def payout_versions() -> list[PolicyVersion]:
    """The published versions of the policies paid without application."""
    return list(
        PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED, policy__auto_payout=True)
        .select_related("policy")
        .order_by("policy__sort_order", "policy__code")
    )


def listed_subjects(policy: Policy, year: int) -> set[tuple[int, int | None]]:
    """(enterprise id, project id) already on a payout list of ``policy`` for ``year``."""
    return set(
        PayoutLine.objects.filter(batch__version__policy=policy, batch__year=year).values_list(
            "enterprise_id", "project_id"
        )
    )


def payout_lines_for(version: PolicyVersion, year: int) -> list[PayoutLine]:
    """Unsaved lines for every eligible subject with money under ``version`` not yet listed this year."""
    listed = listed_subjects(version.policy, year)
    matches = [
        m
        for m in PolicyMatch.objects.filter(version=version, status=PolicyMatch.Status.ELIGIBLE, amount_fen__gt=0)
        .order_by("enterprise_id", "project_id")
        .only("enterprise_id", "project_id", "amount_fen")
        if (m.enterprise_id, m.project_id) not in listed
    ]
    facts = subjects_facts(
        [m.enterprise_id for m in matches if m.project_id is None],
        [m.project_id for m in matches if m.project_id is not None],
        year,
    )
    used = sorted(fact.column for fact in version.compile().facts())
    lines = []
    for match in matches:
        row = facts[f"project:{match.project_id}" if match.project_id else f"enterprise:{match.enterprise_id}"]
        snapshot = {column: _json_value(row.get(column)) for column in used}
        lines.append(PayoutLine(enterprise_id=match.enterprise_id, project_id=match.project_id,
                                amount_fen=match.amount_fen, facts=snapshot, facts_hash=facts_hash(row)))
    return lines


def _json_value(value):
    # Decimals (land area) are kept as text so the snapshot stays exact.
    return value if value is None or isinstance(value, bool | int | str) else str(value)


@dataclass(frozen=True)
class Totals:
    lines: int
    total_fen: int
    approved_fen: int
    pending_fen: int
    rejected_fen: int
    budget_fen: int | None
    paid_before_fen: int  # approved in earlier batches of the same policy and year

    @property
    def over_budget(self) -> bool:
        return self.budget_fen is not None and self.paid_before_fen + self.total_fen - self.rejected_fen > self.budget_fen


def batch_totals(batch: PayoutBatch) -> Totals:
    """What the batch would pay, by decision, against the policy's budget."""
    sums = batch.lines.aggregate(
        lines=Count("id"),
        total=Sum("amount_fen"),
        approved=Sum("amount_fen", filter=Q(status=PayoutLine.Status.APPROVED)),
        pending=Sum("amount_fen", filter=Q(status=PayoutLine.Status.PENDING)),
        rejected=Sum("amount_fen", filter=Q(status=PayoutLine.Status.REJECTED)),
    )
    before = PayoutLine.objects.filter(
        batch__version__policy_id=batch.version.policy_id, batch__year=batch.year,
        batch__status=PayoutBatch.Status.APPROVED, status=PayoutLine.Status.APPROVED,
    ).exclude(batch=batch).aggregate(total=Sum("amount_fen"))["total"]
    return Totals(sums["lines"], sums["total"] or 0, sums["approved"] or 0, sums["pending"] or 0,
                  sums["rejected"] or 0, batch.version.policy.budget_fen, before or 0)


def result_message(policy: Policy, lines: list[PayoutLine]) -> tuple[str, str]:
    """The subject and body of the message an enterprise gets when its payout list is approved."""
    subject = _("Payout without application: %(title)s") % {"title": policy.title}
    parts = []
    for line in lines:
        what = line.project.name if line.project_id else policy.title
        if line.status == PayoutLine.Status.APPROVED:
            parts.append(_("%(what)s: approved, %(yuan)s yuan will be paid without an application.")
                         % {"what": what, "yuan": f"{Decimal(line.amount_fen) / 100:,.2f}"})
        else:
            parts.append(_("%(what)s: not approved (%(reason)s).") % {"what": what, "reason": line.reason})
    return subject, "\n".join(parts)


def review_year(run: PolicyMatchRun | None) -> int:
    return run.year if run else default_year()
