"""The rule language of the policy library (rules as data).

``compile_rule`` reads a version's conditions, amount and cap; ``evaluate_one``
decides one subject, ``evaluate_frame`` a whole table, with identical results.
"""

from .compiled import (
    ELIGIBLE,
    INELIGIBLE,
    UNKNOWN,
    CompiledRule,
    Condition,
    Result,
    compile_rule,
    evaluate_one,
    evaluate_subject,
)
from .errors import RuleError
from .facts import FACTS, Fact, Type
from .parser import parse

__all__ = [
    "ELIGIBLE", "INELIGIBLE", "UNKNOWN", "FACTS", "CompiledRule", "Condition", "Fact", "Result", "RuleError",
    "Type", "compile_rule", "evaluate_one", "evaluate_subject", "parse",
]
