"""Will the batch path's Int128 arithmetic hold a rule?  A worst-case bound, worked out before evaluating.

The vectorised path carries every number as an exact fraction of Int128 columns
(``nodes.Num``).  Int64 facts times percentages never come near 2^127, but a rule
may: ``a * b * c`` of three money facts, a division by a decimal fact with nine
decimals, a CASE over many denominators.  Polars does not stop on an Int128
overflow, so such a rule must not reach the vector path.  ``fits_int128`` bounds
the largest numerator and denominator every step can produce (the same steps
``Node.vector`` takes, or more: the bound is conservative), from the largest value
each fact column actually holds (``column_bounds``: one pass over the table, so a
Decimal(38, 2) column of ordinary land areas is not taken to hold 10^36 mu);
``rules.vector`` evaluates a rule that may not fit with the exact per-row path
instead.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction

import polars as pl

from . import nodes
from .facts import FACTS, Type

LIMIT = 2**127 - 1
INT64 = 2**63


class Overflow(Exception):
    """A step of the rule could exceed Int128."""


@dataclass(frozen=True)
class Bound:
    n: int  # the largest |numerator|
    d: int  # the largest denominator


def column_bounds(frame: pl.LazyFrame, schema: pl.Schema) -> dict[str, Bound]:
    """Per number fact column: the largest |value| in the table as a numerator, and its denominator."""
    columns = [fact.column for fact in FACTS.values()
               if fact.type in (Type.MONEY, Type.NUMBER) and fact.column in schema]
    if not columns:
        return {}
    largest = frame.select(pl.col(c).abs().max() for c in columns).collect().row(0)
    found = {}
    for column, value in zip(columns, largest, strict=True):
        dtype = schema[column]
        scale = (dtype.scale or 0) if isinstance(dtype, pl.Decimal) else 0
        found[column] = Bound(int(Fraction(value or 0) * 10**scale), 10**scale)
    return found


def fits_int128(rule, columns: dict[str, Bound]) -> bool:
    """True if no step of the rule's conditions, amount and cap can exceed Int128 on these columns."""
    try:
        for part in rule.parts():
            bound(part, columns)
    except Overflow:
        return False
    return True


def _checked(n: int, d: int) -> Bound:
    if n > LIMIT or d > LIMIT:
        raise Overflow
    return Bound(n, d)


def _fact(fact, columns: dict[str, Bound]) -> Bound:
    # A column not measured is taken at the Int64 limit.
    return _checked(*dataclasses.astuple(columns.get(fact.column, Bound(INT64, 1))))


def _aligned(a: Bound, b: Bound) -> Bound:
    """Both over one denominator (the product, which is at least the least common multiple)."""
    return _checked(max(a.n * b.d, b.n * a.d), a.d * b.d)


def bound(node, columns: dict[str, Bound]) -> Bound | None:
    """The bound of a number node (None for a yes/no or text node, whose parts are checked)."""
    numeric = node.type in (Type.MONEY, Type.NUMBER)
    if isinstance(node, nodes.Literal):
        return Bound(abs(node.literal.numerator), node.literal.denominator) if numeric else None
    if isinstance(node, nodes.FactRef):
        return _fact(node.fact, columns) if numeric else None
    children = [bound(child, columns) for child in node.children()]
    if isinstance(node, nodes.Compare) and children[0] is not None:
        _aligned(children[0], children[1])
        return None
    if isinstance(node, nodes.Arith):
        a, b = children
        if node.op in "+-":
            return _checked(a.n * b.d + b.n * a.d, a.d * b.d)
        if node.op == "*":
            return _checked(a.n * b.n, a.d * b.d)
        return _checked(a.n * b.d, a.d * b.n)
    if isinstance(node, nodes.Negate):
        return children[0]
    if isinstance(node, nodes.Extreme):
        result = children[0]
        for other in children[1:]:
            result = _aligned(result, other)
        return result
    if isinstance(node, nodes.Case) and numeric:
        results = [bound(result, columns) for _condition, result in node.whens]
        results += [bound(node.default, columns)] if node.default is not None else []
        common = 1
        for result in results:
            common *= result.d
        return _checked(max(r.n * (common // r.d) for r in results), common)
    return None
