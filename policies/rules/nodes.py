"""The whitelisted tree a rule is turned into, with both ways of evaluating it.

Every node knows its type (facts.Type), where it starts in the author's text, how
to evaluate itself on one subject (``value``: Python objects, None = unknown) and
how to become a Polars expression over many subjects (``vector``).

Numbers are exact everywhere: one subject uses ``Fraction``; the batch path carries
every number as an exact fraction ``Num(n, d)`` of Int128 columns (``d`` > 0), so that
rates never meet floating point and amounts near 2^63 fen multiply without overflow.

Missing facts follow SQL's three-valued logic: FALSE AND unknown is FALSE, TRUE OR
unknown is TRUE, any arithmetic or comparison with unknown is unknown.  One product
decision goes beyond SQL: in a CASE, a condition that is unknown makes the whole
CASE unknown (a missing fact never silently selects the ELSE branch).  Dividing by
zero gives unknown as well.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import polars as pl

from .evaluate import read_fact
from .facts import Fact, Type

I128 = pl.Int128


def lit128(value: int) -> pl.Expr:
    return pl.lit(value, dtype=I128)


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class Num:
    """An exact rational column: numerator and a positive denominator (int or column).

    ``narrow`` marks a whole number still in Int64 (a fact or a small literal): it is
    compared as it is, and widened to Int128 only when arithmetic could overflow.
    """

    n: pl.Expr
    d: int | pl.Expr
    narrow: bool = False


def widen(num: Num) -> Num:
    return Num(num.n.cast(I128), num.d) if num.narrow else num


def whole(value: int) -> Num:
    if INT64_MIN <= value <= INT64_MAX:
        return Num(pl.lit(value, dtype=pl.Int64), 1, narrow=True)
    return Num(lit128(value), 1)


def _times(a: int | pl.Expr, b: int | pl.Expr) -> int | pl.Expr:
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    if isinstance(a, int):
        a, b = b, a
    return a if isinstance(b, int) and b == 1 else a * (lit128(b) if isinstance(b, int) else b)


def _scale(n: pl.Expr, factor: int | pl.Expr) -> pl.Expr:
    if isinstance(factor, int):
        return n if factor == 1 else n * lit128(factor)
    return n * factor


def align(a: Num, b: Num) -> tuple[pl.Expr, pl.Expr, int | pl.Expr]:
    """Both numerators over one common denominator."""
    if a.narrow and b.narrow:
        return a.n, b.n, 1
    a, b = widen(a), widen(b)
    if isinstance(a.d, int) and isinstance(b.d, int):
        common = math.lcm(a.d, b.d)
        return _scale(a.n, common // a.d), _scale(b.n, common // b.d), common
    return _scale(a.n, b.d), _scale(b.n, a.d), _times(a.d, b.d)


class Node:
    type: Type
    position: int

    def children(self) -> tuple[Node, ...]:
        return ()

    def facts(self) -> set[Fact]:
        """The facts this node reads, directly or below (worked out once: a compiled rule never changes)."""
        cached = self.__dict__.get("_facts")
        if cached is None:
            cached = frozenset().union(*(child.facts() for child in self.children()))
            self.__dict__["_facts"] = cached
        return cached

    def value(self, facts: dict[str, Any]) -> Any:
        raise NotImplementedError

    def vector(self, ctx) -> pl.Expr | Num:
        raise NotImplementedError


@dataclass(eq=False)
class Literal(Node):
    type: Type
    literal: Any  # bool, str or Fraction
    position: int = 0

    def value(self, facts):
        return self.literal

    def vector(self, ctx):
        if self.type in (Type.MONEY, Type.NUMBER):
            if self.literal.denominator == 1:
                return whole(self.literal.numerator)
            return Num(lit128(self.literal.numerator), self.literal.denominator)
        return pl.lit(self.literal)


@dataclass(eq=False)
class FactRef(Node):
    fact: Fact
    position: int = 0

    @property
    def type(self) -> Type:  # type: ignore[override]
        return self.fact.type

    def facts(self):
        return {self.fact}

    def value(self, facts):
        return read_fact(self.fact, facts)

    def vector(self, ctx):
        return ctx.column(self.fact)


@dataclass(eq=False)
class Not(Node):
    operand: Node
    position: int = 0
    type: Type = Type.BOOL

    def children(self):
        return (self.operand,)

    def value(self, facts):
        result = self.operand.value(facts)
        return None if result is None else not result

    def vector(self, ctx):
        return self.operand.vector(ctx).not_()


@dataclass(eq=False)
class Logic(Node):
    """AND / OR with SQL's three-valued logic (Kleene)."""

    op: str  # "and" | "or"
    left: Node
    right: Node
    position: int = 0
    type: Type = Type.BOOL

    def children(self):
        return (self.left, self.right)

    def value(self, facts):
        left, right = self.left.value(facts), self.right.value(facts)
        decisive = self.op == "or"  # TRUE decides an OR, FALSE an AND
        if left is decisive or right is decisive:
            return decisive
        if left is None or right is None:
            return None
        return not decisive

    def vector(self, ctx):
        left, right = self.left.vector(ctx), self.right.vector(ctx)
        return (left | right) if self.op == "or" else (left & right)


COMPARE = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


@dataclass(eq=False)
class Compare(Node):
    op: str
    left: Node
    right: Node
    position: int = 0
    type: Type = Type.BOOL

    def children(self):
        return (self.left, self.right)

    def value(self, facts):
        left, right = self.left.value(facts), self.right.value(facts)
        if left is None or right is None:
            return None
        return COMPARE[self.op](left, right)

    def vector(self, ctx):
        left, right = self.left.vector(ctx), self.right.vector(ctx)
        if isinstance(left, Num):
            left, right, _common = align(left, right)
        return COMPARE[self.op](left, right)


@dataclass(eq=False)
class Arith(Node):
    op: str  # + - * /
    left: Node
    right: Node
    type: Type
    position: int = 0

    def children(self):
        return (self.left, self.right)

    def value(self, facts):
        left, right = self.left.value(facts), self.right.value(facts)
        if left is None or right is None:
            return None
        if self.op == "+":
            return left + right
        if self.op == "-":
            return left - right
        if self.op == "*":
            return left * right
        return None if right == 0 else left / right

    def vector(self, ctx):
        a, b = widen(self.left.vector(ctx)), widen(self.right.vector(ctx))
        if self.op in "+-":
            an, bn, common = align(a, b)
            return Num(an + bn if self.op == "+" else an - bn, common)
        if self.op == "*":
            return Num(a.n * b.n, _times(a.d, b.d))
        return _divide(a, b)


def _negate(expr: pl.Expr) -> pl.Expr:
    # Polars has no unary minus for Int128.
    return lit128(0) - expr


def _divide(a: Num, b: Num) -> Num:
    """a / b with a positive denominator; unknown where b is zero."""
    n = _scale(a.n, b.d)
    d = _times(a.d, b.n)
    d = d if isinstance(d, pl.Expr) else lit128(d)
    return Num(
        pl.when(b.n == 0).then(None).when(b.n < 0).then(_negate(n)).otherwise(n),
        pl.when(b.n < 0).then(_negate(d)).otherwise(d),
    )


@dataclass(eq=False)
class Negate(Node):
    operand: Node
    position: int = 0

    @property
    def type(self) -> Type:  # type: ignore[override]
        return self.operand.type

    def children(self):
        return (self.operand,)

    def value(self, facts):
        result = self.operand.value(facts)
        return None if result is None else -result

    def vector(self, ctx):
        operand = widen(self.operand.vector(ctx))
        return Num(_negate(operand.n), operand.d)


@dataclass(eq=False)
class Extreme(Node):
    """min(a, b, …) / max(a, b, …): unknown if any argument is unknown."""

    op: str  # "min" | "max"
    args: tuple[Node, ...]
    type: Type
    position: int = 0

    def children(self):
        return self.args

    def value(self, facts):
        values = [arg.value(facts) for arg in self.args]
        if any(v is None for v in values):
            return None
        return min(values) if self.op == "min" else max(values)

    def vector(self, ctx):
        result = self.args[0].vector(ctx)
        for arg in self.args[1:]:
            result = self._pair(result, arg.vector(ctx))
        return result

    def _pair(self, a: Num, b: Num) -> Num:
        an, bn, common = align(a, b)
        first = an <= bn if self.op == "min" else an >= bn
        chosen = pl.when(an.is_null() | bn.is_null()).then(None).when(first).then(an).otherwise(bn)
        return Num(chosen, common, narrow=a.narrow and b.narrow)


@dataclass(eq=False)
class Case(Node):
    """CASE WHEN c THEN v … [ELSE e] END, strict: an unknown condition makes it unknown."""

    whens: tuple[tuple[Node, Node], ...]
    default: Node | None
    type: Type
    position: int = 0

    def children(self):
        nodes = [node for pair in self.whens for node in pair]
        return tuple(nodes + ([self.default] if self.default else []))

    def value(self, facts):
        for condition, result in self.whens:
            decided = condition.value(facts)
            if decided is None:
                return None
            if decided:
                return result.value(facts)
        return self.default.value(facts) if self.default else None

    def vector(self, ctx):
        conditions = [condition.vector(ctx) for condition, _result in self.whens]
        results = [result.vector(ctx) for _condition, result in self.whens]
        default = self.default.vector(ctx) if self.default else None
        if self.type not in (Type.MONEY, Type.NUMBER):
            return _chain(conditions, results, default)
        results = [widen(r) for r in results]
        default = widen(default) if default is not None else None
        every = results + ([default] if default is not None else [])
        if all(isinstance(r.d, int) for r in every):
            common = math.lcm(*(r.d for r in every))
            scaled = [_scale(r.n, common // r.d) for r in results]
            fallback = _scale(default.n, common // default.d) if default is not None else None
            return Num(_chain(conditions, scaled, fallback), common)
        n = _chain(conditions, [r.n for r in results], default.n if default is not None else None)
        d = _chain(
            conditions,
            [r.d if isinstance(r.d, pl.Expr) else lit128(r.d) for r in results],
            None if default is None else (default.d if isinstance(default.d, pl.Expr) else lit128(default.d)),
        )
        return Num(n, d)


def _chain(conditions: list[pl.Expr], results: list[pl.Expr], default: pl.Expr | None) -> pl.Expr:
    chain: Any = pl
    for condition, result in zip(conditions, results, strict=True):
        chain = chain.when(condition.is_null()).then(None).when(condition).then(result)
    return chain.otherwise(default if default is not None else None)


def floor_fen(value: Fraction | None) -> int | None:
    """Round down to the fen (never pay more than the formula)."""
    return None if value is None else math.floor(value)


def floor_vector(num: Num) -> pl.Expr:
    num = widen(num)
    return num.n if isinstance(num.d, int) and num.d == 1 else num.n // (num.d if isinstance(num.d, pl.Expr) else lit128(num.d))
