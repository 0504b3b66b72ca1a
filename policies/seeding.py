"""Load the seed policy set (policies/data/seed_policies.yaml) and find the rules in force.

Running the loader twice is harmless: a policy whose published rule already matches
the file is left alone; a changed rule becomes a new version, published only if its
test cases pass (the same action administrators use).
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import yaml
from django.db import transaction

from reference.models import Department

from .models import Policy, PolicyVersion
from .rules import CompiledRule, compile_rule
from .rules.facts import FACTS_BY_COLUMN, Type
from .rules.parser import UNIT_FEN

SEED_FILE = Path(__file__).resolve().parent / "data" / "seed_policies.yaml"
AMOUNT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(万元|亿元|万|亿|元)\s*$")
POLICY_FIELDS = ("title", "issuing_body", "document_number", "source", "level", "subject_kind", "exclusive_group",
                 "tags", "beneficiaries", "conditions_text", "materials", "payout_time_limit", "where_to_apply",
                 "enquiry_phone", "auto_payout", "is_monetary", "budget_fen")


def load_seed(path: Path = SEED_FILE) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["policies"]


def amount_fen(value) -> int | None:
    """``48万`` / ``12.345678万`` / integer fen → integer fen."""
    if value is None or isinstance(value, int):
        return value
    match = AMOUNT.match(str(value))
    if not match:
        raise ValueError(f"not an amount: {value!r}")
    fen = Fraction(Decimal(match.group(1))) * UNIT_FEN[match.group(2)]
    if fen.denominator != 1:
        raise ValueError(f"not a whole number of fen: {value!r}")
    return int(fen)


def seed_facts(facts: dict) -> dict:
    """Test-case facts as stored: money in integer fen, land area as a decimal string."""
    converted = {}
    for column, value in (facts or {}).items():
        fact = FACTS_BY_COLUMN.get(column)
        if fact is not None and fact.type is Type.MONEY:
            value = amount_fen(value)
        converted[column] = value
    return converted


def seed_rules(path: Path = SEED_FILE) -> list[CompiledRule]:
    """The seed set compiled straight from the file (no database)."""
    return [
        compile_rule(item["code"], item["rule"].get("conditions", []), item["rule"].get("amount"),
                     item["rule"].get("cap"), exclusive_group=item.get("exclusive_group", ""),
                     subject_kind=item.get("subject_kind", ""))
        for item in load_seed(path)
    ]


def published_rules(codes: list[str] | None = None) -> list[CompiledRule]:
    """The published version of every policy (or of ``codes``), in the library's order.

    With an empty library (right after set-up) the seed file is used instead.
    """
    if not Policy.objects.exists():
        rules = seed_rules()
    else:
        versions = (PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED)
                    .select_related("policy").order_by("policy__sort_order", "policy__code"))
        rules = [version.compile() for version in versions]
    if codes:
        known = {rule.code for rule in rules}
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise LookupError(", ".join(unknown))
        rules = [rule for rule in rules if rule.code in codes]
    return rules


@transaction.atomic
def seed_policies(*, acting_user=None, path: Path = SEED_FILE) -> dict[str, str]:
    """Create or update every seed policy; returns {code: what happened}."""
    from . import actions

    outcome = {}
    for order, item in enumerate(load_seed(path)):
        fields = {name: item[name] for name in POLICY_FIELDS if name in item}
        department = Department.objects.filter(code=item.get("department") or "").first()
        policy = Policy.objects.filter(code=item["code"]).first()
        if policy is None:
            policy = actions.do_create_policy(acting_user=acting_user, code=item["code"], sort_order=order,
                                              department=department, **fields)
        elif policy.department_id is None and department is not None:  # filled in, never overwritten
            policy = actions.do_update_policy(policy, acting_user=acting_user, department=department)
        rule = item["rule"]
        current = policy.published_version()
        wanted = (rule.get("conditions", []), rule.get("amount") or "", rule.get("cap") or "")
        if current and (current.conditions, current.amount_formula, current.cap_expression) == wanted:
            outcome[policy.code] = "unchanged"
            continue
        version = actions.do_create_version(policy, acting_user=acting_user, conditions=wanted[0],
                                            amount_formula=wanted[1], cap_expression=wanted[2],
                                            change_note="seed_policies", copy_test_cases=False)
        for case in item.get("tests", []):
            actions.do_add_test_case(version, acting_user=acting_user, name=case["name"],
                                     facts=seed_facts(case.get("facts")), expected_status=case["expected"],
                                     expected_amount_fen=amount_fen(case.get("amount")))
        actions.publish_version(version, acting_user=acting_user)
        outcome[policy.code] = "published" if current is None else "new version"
    return outcome
