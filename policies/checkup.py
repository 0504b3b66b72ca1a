"""The policy check-up (政策体检) and the policy calculator (政策计算器).

A check-up evaluates every published policy on one enterprise: the enterprise-level
rules on the enterprise's facts, the project-level rules on each of its projects
(joined with the enterprise's facts).  ``extra_facts`` are what-if values typed in by
the enterprise; they are never written to the registry.  The evaluation itself is the
rule engine's (``evaluate_subject``, exclusive groups included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, YearFigures

from .models import Policy, PolicyVersion, SubjectKind, Window
from .rules import ELIGIBLE, UNKNOWN, CompiledRule, Fact, Result, evaluate_subject
from .rules.facts import FACTS, FACTS_BY_COLUMN
from .subjects import FIGURE_FACTS, enterprise_facts, project_facts

ENTERPRISE_KEY = "enterprise"
# The columns that come from the enterprise (not the project) in a project's facts.
ENTERPRISE_COLUMNS = frozenset(FIGURE_FACTS) | {"is_manufacturing", "is_tech_sme"}


@dataclass(frozen=True)
class Finding:
    """One policy's result for one subject of the check-up."""

    policy: Policy
    subject_key: str  # "enterprise" or "project:<id>"
    subject_label: str
    result: Result
    rule: CompiledRule | None = None
    missing: tuple[tuple[str, Fact], ...] = ()  # (subject key of the form field, fact) that would settle it
    window: str = Window.NOT_ANNOUNCED  # the application window on the day of the check-up

    @property
    def failed_label(self) -> str:
        """The named condition that failed (ineligible only); worked out for the results shown."""
        return _failed_label(self.rule, self.result) if self.rule is not None else ""

    @property
    def actionable(self) -> bool:
        """Something to apply for (or paid anyway): not when the window has closed."""
        return self.window != Window.CLOSED

    @property
    def amount_fen(self) -> int | None:
        return self.result.amount_fen


@dataclass
class Checkup:
    today: date = field(default_factory=timezone.localdate)
    eligible: list[Finding] = field(default_factory=list)
    unknown: list[Finding] = field(default_factory=list)
    ineligible: list[Finding] = field(default_factory=list)
    closed: list[Finding] = field(default_factory=list)  # eligible or might qualify, but the window has closed

    @property
    def total_fen(self) -> int:
        return sum(finding.amount_fen or 0 for finding in self.eligible)

    def missing_fields(self) -> list[tuple[str, Fact]]:
        """Every (subject key, fact) an unknown result needs, once each, in the order found."""
        return list(dict.fromkeys(pair for finding in self.unknown for pair in finding.missing))


def published_policies(today: date | None = None) -> list[tuple[Policy, CompiledRule]]:
    """Every policy in force on ``today`` with a published version, in the library's order, with its rule."""
    today = today or timezone.localdate()
    return [(policy, rule) for policy, rule in _library() if policy.is_in_force(today)]


_LIBRARY: dict[tuple, list[tuple[Policy, CompiledRule]]] = {}


def _library() -> list[tuple[Policy, CompiledRule]]:
    """The published versions with their policies, loaded again only when one of them changed.

    One aggregate query decides: the number of published versions and the latest
    change to any of them or to their policies (every write goes through an action,
    which saves and so moves ``updated_at``).  With 1,000 policies this saves
    loading and compiling them on every check-up.
    """
    published = PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED)
    stamp = tuple(published.aggregate(n=Count("id"), ids=Sum("id"), version=Max("updated_at"),
                                      policy=Max("policy__updated_at")).values())
    if stamp not in _LIBRARY:
        versions = published.select_related("policy").order_by("policy__sort_order", "policy__code")
        _LIBRARY.clear()
        _LIBRARY[stamp] = [(version.policy, version.compile()) for version in versions]
    return _LIBRARY[stamp]


def checkup_for(enterprise: Enterprise, extra_facts: dict | None = None, *, today: date | None = None) -> Checkup:
    """The check-up of one enterprise; ``extra_facts`` is {subject key: {column: value}} (what-if only).

    Policies whose validity ended before ``today`` are left out; results whose
    application window has closed are listed apart (``closed``), not as something to do.
    """
    extra = extra_facts or {}
    today = today or timezone.localdate()
    policies = published_policies(today)
    year = _checkup_year(enterprise)
    own = enterprise_facts(enterprise, year) | extra.get(ENTERPRISE_KEY, {})
    checkup = Checkup(today=today)
    _add(
        checkup,
        _of_kind(policies, SubjectKind.ENTERPRISE),
        own,
        ENTERPRISE_KEY,
        _("%(name)s (%(year)s)") % {"name": enterprise.name, "year": year},
    )
    by_year: dict[int, dict[str, Any]] = {year: own}
    for project in enterprise.projects.all():
        if project.year not in by_year:
            by_year[project.year] = enterprise_facts(enterprise, project.year) | extra.get(ENTERPRISE_KEY, {})
        key = f"project:{project.pk}"
        facts = project_facts(project, by_year[project.year]) | extra.get(key, {})
        _add(checkup, _of_kind(policies, SubjectKind.PROJECT), facts, key, project.name)
    return _sorted(checkup)


def calculator(facts: dict, *, today: date | None = None) -> Checkup:
    """Which project-level policies a planned project (facts typed in by hand) would get, and how much."""
    checkup = Checkup(today=today or timezone.localdate())
    _add(
        checkup,
        _of_kind(published_policies(checkup.today), SubjectKind.PROJECT),
        {**facts, "subject_kind": "project"},
        "project",
        _("planned project"),
    )
    return _sorted(checkup)


def calculator_facts() -> list[Fact]:
    """The facts the project-level rules use, in the order of the facts format."""
    used = {
        fact.column for _policy, rule in _of_kind(published_policies(), SubjectKind.PROJECT) for fact in rule.facts()
    }
    return [fact for fact in FACTS.values() if fact.column in used]


def _checkup_year(enterprise: Enterprise) -> int:
    """The latest year with figures, else the latest project year, else last year."""
    years = [
        y
        for y in (
            YearFigures.objects.filter(enterprise=enterprise).order_by("-year").values_list("year", flat=True).first(),
            enterprise.projects.order_by("-year").values_list("year", flat=True).first(),
        )
        if y
    ]
    return max(years) if years else timezone.localdate().year - 1


def _of_kind(policies, kind: str) -> list[tuple[Policy, CompiledRule]]:
    # A rule without a subject kind applies to enterprises only, so it is not counted once per project.
    return [(p, r) for p, r in policies if (r.subject_kind or SubjectKind.ENTERPRISE) == kind]


def _add(checkup: Checkup, policies, facts: dict[str, Any], key: str, label: str) -> None:
    results = evaluate_subject([rule for _policy, rule in policies], facts)
    for policy, rule in policies:
        result = results[rule.code]
        finding = Finding(
            policy,
            key,
            label,
            result,
            rule,
            tuple((_field_key(key, column), FACTS_BY_COLUMN[column]) for column in result.missing_facts),
            policy.window(checkup.today),
        )
        if result.status in (ELIGIBLE, UNKNOWN) and not finding.actionable:
            checkup.closed.append(finding)
            continue
        {ELIGIBLE: checkup.eligible, UNKNOWN: checkup.unknown}.get(result.status, checkup.ineligible).append(finding)


def _field_key(subject_key: str, column: str) -> str:
    """A missing enterprise fact is supplied once for the enterprise, not once per project."""
    if subject_key.startswith("project:") and column in ENTERPRISE_COLUMNS:
        return ENTERPRISE_KEY
    return subject_key


def _failed_label(rule: CompiledRule, result: Result) -> str:
    if result.failed_condition is None:
        return ""
    if result.failed_condition == "exclusive_group":
        return _("Not paid together with a higher reward of the same group")
    condition = next((c for c in rule.conditions if c.name == result.failed_condition), None)
    return (condition.label or condition.expression) if condition else result.failed_condition


def _sorted(checkup: Checkup) -> Checkup:
    # Highest amount first; rules without money (or not yet known) after, in the library's order.
    for findings in (checkup.eligible, checkup.unknown, checkup.ineligible, checkup.closed):
        findings.sort(key=lambda f: -(f.amount_fen if f.amount_fen is not None else -1))
    return checkup
