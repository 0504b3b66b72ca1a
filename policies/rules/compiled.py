"""A policy version compiled once and evaluated two ways: one subject, or a whole table.

A rule is an ordered list of named conditions (all must hold), an optional amount
formula and an optional cap.  The amount is computed exactly, rounded down to the
fen, then capped: ``min(floor(amount), floor(cap))``.  For one subject:

* a condition that is FALSE makes it ``ineligible`` (the first one is reported);
* otherwise a condition, the amount or the cap that is unknown makes it ``unknown``
  (with the missing facts that would settle it);
* otherwise it is ``eligible`` with the amount (None for a rule without money).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from . import nodes
from .errors import RuleError
from .evaluate import prepare_facts
from .facts import Type
from .parser import parse

ELIGIBLE, INELIGIBLE, UNKNOWN = "eligible", "ineligible", "unknown"


@dataclass(frozen=True)
class Condition:
    name: str
    label: str
    expression: str
    node: nodes.Node


@dataclass
class CompiledRule:
    code: str
    conditions: list[Condition]
    amount: nodes.Node | None = None
    cap: nodes.Node | None = None
    exclusive_group: str = ""
    version: int | None = None
    subject_kind: str = ""  # "enterprise" / "project"; "" applies to every subject

    def applies_to(self, facts: dict[str, Any]) -> bool:
        """A row with a ``subject_kind`` column is evaluated only by the rules of its kind."""
        kind = facts.get("subject_kind")
        return not (kind and self.subject_kind and kind != self.subject_kind)

    def facts(self) -> set:
        found = set()
        for node in self.parts():
            found |= node.facts()
        return found

    def parts(self) -> list[nodes.Node]:
        return [c.node for c in self.conditions] + [n for n in (self.amount, self.cap) if n is not None]


@dataclass(frozen=True)
class Result:
    status: str
    amount_fen: int | None = None
    failed_condition: str | None = None
    missing_facts: tuple[str, ...] = ()


def compile_rule(code: str, conditions: list[dict], amount: str | None = None, cap: str | None = None, *,
                 exclusive_group: str = "", version: int | None = None, subject_kind: str = "") -> CompiledRule:
    """Parse and type-check every part; a RuleError names the part that is wrong."""
    compiled = []
    for index, condition in enumerate(conditions):
        name = condition.get("name") or f"condition_{index + 1}"
        node = _part(condition.get("expression", ""), Type.BOOL, _("condition “%(name)s”") % {"name": name})
        compiled.append(Condition(name, condition.get("label", ""), condition["expression"], node))
    amount_node = _part(amount, Type.MONEY, _("amount formula")) if amount else None
    cap_node = _part(cap, Type.MONEY, _("cap")) if cap else None
    if cap_node is not None and amount_node is None:
        raise RuleError(_("A cap needs an amount formula."))
    if not compiled and amount_node is None:
        raise RuleError(_("A rule needs at least one condition or an amount formula."))
    return CompiledRule(code, compiled, amount_node, cap_node, exclusive_group or "", version, subject_kind or "")


@functools.lru_cache(maxsize=4096)
def compile_cached(code: str, conditions_json: str, amount: str | None, cap: str | None, exclusive_group: str,
                   version: int | None, subject_kind: str) -> CompiledRule:
    """``compile_rule`` once per distinct rule text: a published version never changes, so the
    check-up and the match refresh reuse its compiled form instead of parsing 1,000 rules again.

    Callers must not change the rule they get (it is shared).
    """
    return compile_rule(code, json.loads(conditions_json), amount, cap, exclusive_group=exclusive_group,
                        version=version, subject_kind=subject_kind)


def _part(text: str, expected: Type, what: str) -> nodes.Node:
    try:
        node = parse(text)
    except RuleError as error:
        raise RuleError(_("In the %(part)s: %(message)s") % {"part": what, "message": error.message},
                        error.position, text) from error
    if node.type is not expected:
        raise RuleError(_("The %(part)s must give a value of type “%(expected)s”, not “%(actual)s”.")
                        % {"part": what, "expected": expected.label, "actual": node.type.label}, 0, text)
    return node


def evaluate_one(rule: CompiledRule, facts: dict[str, Any]) -> Result:
    """The result of one rule for one subject; ``facts`` is keyed by column (money in fen)."""
    if not rule.applies_to(facts):
        return Result(INELIGIBLE, failed_condition="subject_kind")
    undecided: list[nodes.Node] = []
    for condition in rule.conditions:
        decided = condition.node.value(facts)
        if decided is False:
            return Result(INELIGIBLE, failed_condition=condition.name)
        if decided is None:
            undecided.append(condition.node)
    amount = None
    if not undecided and rule.amount is not None:
        amount = nodes.floor_fen(rule.amount.value(facts))
        cap = nodes.floor_fen(rule.cap.value(facts)) if rule.cap is not None else amount
        if amount is None or cap is None:
            undecided.extend(rule.parts()[len(rule.conditions):])
            amount = None
        else:
            amount = min(amount, cap)
    if undecided:
        return Result(UNKNOWN, missing_facts=_missing(undecided, facts))
    return Result(ELIGIBLE, amount_fen=amount)


def _missing(parts: list[nodes.Node], facts: dict[str, Any]) -> tuple[str, ...]:
    columns = {fact.column for part in parts for fact in part.facts()}
    return tuple(sorted(column for column in columns if facts.get(column) is None))


def evaluate_subject(rules: list[CompiledRule], facts: dict[str, Any]) -> dict[str, Result]:
    """Every rule for one subject, exclusive groups applied; excluded and ineligible rules stay in."""
    facts = prepare_facts(facts)  # each number is read once, not once per rule
    results = {rule.code: evaluate_one(rule, facts) for rule in rules}
    for code in excluded_codes(rules, results):
        results[code] = Result(INELIGIBLE, failed_condition="exclusive_group")
    return results


def excluded_codes(rules: list[CompiledRule], results: dict[str, Result]) -> list[str]:
    """In each exclusive group the eligible rule with the highest amount wins (tie: first listed)."""
    excluded = []
    groups: dict[str, list[str]] = {}
    for rule in rules:
        if rule.exclusive_group and results[rule.code].status == ELIGIBLE:
            groups.setdefault(rule.exclusive_group, []).append(rule.code)
    for codes in groups.values():
        winner = codes[0]
        for code in codes[1:]:
            if (results[code].amount_fen or 0) > (results[winner].amount_fen or 0):
                winner = code
        excluded.extend(code for code in codes if code != winner)
    return excluded
