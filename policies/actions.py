"""All writes to the policy library.  Each runs in a transaction and is attributed in
the operation log; a published version is never changed (a change is a new version)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as

from .models import Policy, PolicyTestCase, PolicyVersion
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
