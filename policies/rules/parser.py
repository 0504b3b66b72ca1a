"""Read a rule as policy staff write it and turn it into the whitelisted node tree.

The text is SQL-expression-like (sqlglot parses it) with the units of policy texts:
``500万`` / ``1.2亿`` / ``300元`` are amounts (exact fen) and ``8%`` is a rate; ≥ ≤ ≠
and full-width （ ） ， are read as >= <= <> ( ) ,.  Those
literals are rewritten to placeholders before parsing, and every position reported
is mapped back to the author's own text.  Only the constructs below are accepted;
anything else (statements, queries, tables, ``*``, other functions, undeclared
names) is refused with a message and the character where it starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import sqlglot
from django.utils.translation import gettext as _
from sqlglot import errors as sqlglot_errors
from sqlglot import exp

from . import nodes
from .errors import RuleError
from .facts import FACTS, Type

UNIT_FEN = {"万元": 1_000_000, "万": 1_000_000, "亿元": 10**10, "亿": 10**10, "元": 100}
UNIT_LITERAL = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(万元|亿元|万|亿|元|%)")
# Symbols people type in Chinese text, read as their ASCII operators.
SYMBOLS = {"≥": ">=", "≤": "<=", "≠": "<>", "（": "(", "）": ")", "，": ","}
REWRITES = re.compile(UNIT_LITERAL.pattern + "|([" + "".join(SYMBOLS) + "])")
PLACEHOLDER = "__q"
COMPARISONS = {exp.EQ: "=", exp.NEQ: "<>", exp.LT: "<", exp.LTE: "<=", exp.GT: ">", exp.GTE: ">="}
ARITHMETIC = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/"}
EXTREMES = {exp.Least: "min", exp.Min: "min", exp.Greatest: "max", exp.Max: "max"}


@dataclass
class Source:
    """The rewritten text, its unit literals, and the way back to the author's positions."""

    original: str
    text: str = ""
    literals: dict[str, nodes.Literal] = field(default_factory=dict)
    shifts: list[tuple[int, int, int, int]] = field(default_factory=list)  # new start/end, original start/end

    def original_position(self, position: int) -> int:
        delta = 0
        for start, end, original_start, original_end in self.shifts:
            if position < start:
                break
            if position < end:
                return original_start
            delta = original_end - end
        return max(0, min(position + delta, len(self.original)))


def parse(text: str) -> nodes.Node:
    """The checked node tree of one expression, or a RuleError."""
    if not text or not text.strip():
        raise RuleError(_("The rule is empty."), 0, text)
    source = _rewrite_units(text)
    tree = _parse_sql(source)
    return _Converter(source).convert(tree)


def _rewrite_units(text: str) -> Source:
    source = Source(original=text)
    _check_balance(text.replace("（", "(").replace("）", ")"))
    if PLACEHOLDER in text:
        raise RuleError(_("Names may not start with two underscores."), text.index(PLACEHOLDER), text)
    pieces: list[str] = []
    cursor = 0
    new_length = 0
    for match in _unit_matches(text):
        pieces.append(text[cursor : match.start()])
        new_length += match.start() - cursor
        if match.group(3):
            name = SYMBOLS[match.group(3)]
        else:
            name = f"{PLACEHOLDER}{len(source.literals)}"
            source.literals[name] = _unit_literal(match, text)
        source.shifts.append((new_length, new_length + len(name), match.start(), match.end()))
        pieces.append(name)
        new_length += len(name)
        cursor = match.end()
    pieces.append(text[cursor:])
    source.text = "".join(pieces)
    return source


def _unit_matches(text: str):
    """Unit literals and Chinese symbols outside quoted strings."""
    quoted = [m.span() for m in re.finditer(r"'(?:[^']|'')*'", text)]
    for match in REWRITES.finditer(text):
        if not any(start <= match.start() < end for start, end in quoted):
            yield match


def _unit_literal(match: re.Match, text: str) -> nodes.Literal:
    number, unit = Decimal(match.group(1)), match.group(2)
    if unit == "%":
        return nodes.Literal(Type.NUMBER, Fraction(number) / 100, match.start())
    fen = Fraction(number) * UNIT_FEN[unit]
    if fen.denominator != 1:
        raise RuleError(_("An amount must be a whole number of fen."), match.start(), text)
    return nodes.Literal(Type.MONEY, fen, match.start())


def _check_balance(text: str) -> None:
    """Parentheses and quotes, checked here so that the position is the right one."""
    opened: list[int] = []
    in_quote: int | None = None
    for index, char in enumerate(text):
        if in_quote is not None:
            if char == "'":
                in_quote = None
            continue
        if char == "'":
            in_quote = index
        elif char == "(":
            opened.append(index)
        elif char == ")":
            if not opened:
                raise RuleError(_("This closing parenthesis has no opening one."), index, text)
            opened.pop()
    if in_quote is not None:
        raise RuleError(_("This quoted text is not closed."), in_quote, text)
    if opened:
        raise RuleError(_("This parenthesis is never closed."), opened[-1], text)


def _parse_sql(source: Source) -> exp.Expression:
    try:
        trees = [tree for tree in sqlglot.parse(source.text) if tree is not None]
    except sqlglot_errors.ParseError as error:
        detail = error.errors[0] if error.errors else {}
        position = _offset(source.text, detail.get("line", 1), detail.get("col", 1)) - len(detail.get("highlight", ""))
        raise RuleError(_("The rule cannot be read here."), source.original_position(max(0, position + 1)),
                        source.original) from error
    except sqlglot_errors.SqlglotError as error:
        raise RuleError(_("The rule cannot be read."), 0, source.original) from error
    if len(trees) != 1:
        raise RuleError(_("A rule is one expression; remove the semicolon."), source.original.find(";"),
                        source.original)
    return trees[0]


def _offset(text: str, line: int, col: int) -> int:
    lines = text.split("\n")
    return sum(len(previous) + 1 for previous in lines[: line - 1]) + col - 1


class _Converter:
    """sqlglot tree → nodes, refusing whatever is not whitelisted, checking types on the way."""

    def __init__(self, source: Source):
        self.source = source

    def fail(self, message: str, tree: exp.Expression | None) -> RuleError:
        return RuleError(message, self.position(tree), self.source.original)

    def position(self, tree: exp.Expression | None) -> int:
        starts = [n.meta["start"] for n in (tree.walk() if tree is not None else []) if "start" in n.meta]
        if starts:
            return self.source.original_position(min(starts))
        found = self.source.original.lower().find(tree.sql().lower()) if tree is not None else -1
        return max(found, 0)

    def convert(self, tree: exp.Expression) -> nodes.Node:
        kind = type(tree)
        if kind is exp.Paren:
            return self.convert(tree.this)
        if kind in COMPARISONS:
            return self.comparison(COMPARISONS[kind], tree.this, tree.expression, tree)
        if kind in (exp.And, exp.Or):
            left, right = self.boolean(tree.this), self.boolean(tree.expression)
            return nodes.Logic("and" if kind is exp.And else "or", left, right, self.position(tree))
        if kind is exp.Not:
            return nodes.Not(self.boolean(tree.this), self.position(tree))
        if kind in ARITHMETIC:
            return self.arithmetic(ARITHMETIC[kind], tree)
        if kind is exp.Neg:
            operand = self.convert(tree.this)
            self.expect_numeric(operand, tree.this)
            return nodes.Negate(operand, self.position(tree))
        if kind in EXTREMES:
            return self.extreme(EXTREMES[kind], tree)
        if kind is exp.In:
            return self.membership(tree)
        if kind is exp.Between:
            low = self.comparison(">=", tree.this, tree.args["low"], tree)
            high = self.comparison("<=", tree.this, tree.args["high"], tree)
            return nodes.Logic("and", low, high, self.position(tree))
        if kind is exp.Case:
            return self.case(tree)
        if kind is exp.If:
            return self.case_of([(tree.this, tree.args.get("true"))], tree.args.get("false"), tree)
        if kind is exp.Column:
            return self.fact(tree)
        if kind is exp.Literal:
            return self.literal(tree)
        if kind is exp.Boolean:
            return nodes.Literal(Type.BOOL, bool(tree.this), self.position(tree))
        raise self.refusal(tree)

    def refusal(self, tree: exp.Expression) -> RuleError:
        if isinstance(tree, exp.Query | exp.Subquery) or tree.find(exp.Select):
            keyword = re.search(r"select", self.source.original, re.IGNORECASE)
            return RuleError(_("A rule cannot contain a query."), keyword.start() if keyword else 0,
                             self.source.original)
        if isinstance(tree, exp.Star):
            return self.fail(_("“*” alone is not allowed; name the facts the rule uses."), tree)
        if isinstance(tree, exp.Dot | exp.Table):
            return self.fail(_("Only the declared facts may be named; tables and dotted names are not allowed."),
                             tree)
        if isinstance(tree, exp.Func):
            name = tree.sql_name() if not isinstance(tree, exp.Anonymous) else tree.name
            return self.fail(
                _("The function “%(name)s” is not allowed; a rule may use min, max, least, greatest and IF.")
                % {"name": name}, tree)
        if isinstance(tree, exp.Null):
            return self.fail(_("NULL is not allowed; a missing fact is handled by the rule engine."), tree)
        if not isinstance(tree, exp.Condition):
            return self.fail(_("A rule is an expression, not a statement."), None)
        return self.fail(_("“%(text)s” is not allowed in a rule.") % {"text": tree.sql()[:40]}, tree)

    # --- leaves -----------------------------------------------------------------

    def fact(self, tree: exp.Column) -> nodes.Node:
        if tree.table:
            raise self.fail(_("Only the declared facts may be named; tables and dotted names are not allowed."), tree)
        name = tree.name
        if name in self.source.literals:
            return self.source.literals[name]
        fact = FACTS.get(name.lower())
        if fact is None or tree.this.quoted:
            if name.lower().endswith("_fen") and name.lower()[:-4] in FACTS:
                raise self.fail(_("Write “%(name)s” without “_fen”; amounts in rules are in 万 or 元.")
                                % {"name": name[:-4]}, tree)
            raise self.fail(_("“%(name)s” is not a known fact.") % {"name": name}, tree)
        return nodes.FactRef(fact, self.position(tree))

    def literal(self, tree: exp.Literal) -> nodes.Node:
        if tree.is_string:
            return nodes.Literal(Type.STRING, tree.this, self.position(tree))
        try:
            number = Fraction(Decimal(tree.this))
        except (InvalidOperation, ValueError) as error:
            raise self.fail(_("This number cannot be read."), tree) from error
        return nodes.Literal(Type.NUMBER, number, self.position(tree))

    # --- composites -------------------------------------------------------------

    def boolean(self, tree: exp.Expression) -> nodes.Node:
        node = self.convert(tree)
        if node.type is not Type.BOOL:
            raise self.fail(_("A condition (yes/no) is needed here, but this is of type “%(type)s”.")
                            % {"type": node.type.label}, tree)
        return node

    def expect_numeric(self, node: nodes.Node, tree: exp.Expression) -> None:
        if node.type not in (Type.MONEY, Type.NUMBER):
            raise self.fail(_("A number or an amount is needed here, but this is of type “%(type)s”.")
                            % {"type": node.type.label}, tree)

    def comparison(self, op: str, left_tree, right_tree, tree) -> nodes.Node:
        left, right = _zero_as_money(self.convert(left_tree), self.convert(right_tree))
        if left.type is not right.type:
            raise self.fail(self.mismatch(left, right), tree)
        if op not in ("=", "<>") and left.type in (Type.BOOL, Type.STRING):
            raise self.fail(_("Values of type “%(type)s” can only be compared with = and <>.") % {"type": left.type.label}, tree)
        return nodes.Compare(op, left, right, self.position(tree))

    def mismatch(self, left: nodes.Node, right: nodes.Node) -> str:
        message = _("A value of type “%(left)s” cannot be compared or combined with one of type “%(right)s”.") % {
            "left": left.type.label, "right": right.type.label}
        if Type.MONEY in (left.type, right.type) and Type.NUMBER in (left.type, right.type):
            message += " " + _("Write amounts with a unit, e.g. 500万.")
        return message

    def arithmetic(self, op: str, tree: exp.Expression) -> nodes.Node:
        left, right = _zero_as_money(self.convert(tree.this), self.convert(tree.expression))
        self.expect_numeric(left, tree.this)
        self.expect_numeric(right, tree.expression)
        result = _arithmetic_type(op, left.type, right.type)
        if result is None:
            raise self.fail(self.mismatch(left, right), tree)
        return nodes.Arith(op, left, right, result, self.position(tree))

    def extreme(self, op: str, tree: exp.Expression) -> nodes.Node:
        trees = [tree.this, *tree.expressions]
        if len(trees) < 2:
            raise self.fail(_("%(name)s needs at least two values.") % {"name": op}, tree)
        args = [self.convert(t) for t in trees]
        for arg, arg_tree in zip(args, trees, strict=True):
            self.expect_numeric(arg, arg_tree)
        if len({arg.type for arg in args}) != 1:
            raise self.fail(self.mismatch(args[0], next(a for a in args if a.type is not args[0].type)), tree)
        return nodes.Extreme(op, tuple(args), args[0].type, self.position(tree))

    def membership(self, tree: exp.In) -> nodes.Node:
        if tree.args.get("query") or tree.args.get("unnest") or tree.args.get("field"):
            raise self.fail(_("A rule cannot contain a query."), tree)
        if not tree.expressions:
            raise self.fail(_("IN needs a list of values."), tree)
        result: nodes.Node | None = None
        for value_tree in tree.expressions:
            if not isinstance(value_tree, exp.Literal | exp.Column | exp.Boolean | exp.Neg):
                raise self.fail(_("IN lists plain values only."), value_tree)
            equal = self.comparison("=", tree.this, value_tree, value_tree)
            result = equal if result is None else nodes.Logic("or", result, equal, equal.position)
        assert result is not None
        return result

    def case(self, tree: exp.Case) -> nodes.Node:
        operand = tree.this
        pairs = []
        for branch in tree.args.get("ifs") or []:
            condition = exp.EQ(this=operand.copy(), expression=branch.this) if operand is not None else branch.this
            pairs.append((condition, branch.args.get("true")))
        return self.case_of(pairs, tree.args.get("default"), tree)

    def case_of(self, pairs, default_tree, tree) -> nodes.Node:
        whens = tuple((self.boolean(condition), self.convert(result)) for condition, result in pairs)
        default = self.convert(default_tree) if default_tree is not None else None
        results = [result for _c, result in whens] + ([default] if default else [])
        results = _zero_as_money_all(results)
        types = {r.type for r in results}
        if len(types) != 1:
            raise self.fail(_("All branches must give the same kind of value: %(types)s.")
                            % {"types": ", ".join(sorted(t.label for t in types))}, tree)
        whens = tuple((condition, result) for (condition, _r), result in zip(whens, results, strict=False))
        default = results[-1] if default is not None else None
        return nodes.Case(whens, default, results[0].type, self.position(tree))


def _is_zero(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Literal) and node.type is Type.NUMBER and node.literal == 0


def _zero_as_money(left: nodes.Node, right: nodes.Node) -> tuple[nodes.Node, nodes.Node]:
    """A bare 0 beside an amount is 0 fen: ``leasing_interest > 0`` reads naturally."""
    if left.type is Type.MONEY and _is_zero(right):
        right = nodes.Literal(Type.MONEY, Fraction(0), right.position)
    if right.type is Type.MONEY and _is_zero(left):
        left = nodes.Literal(Type.MONEY, Fraction(0), left.position)
    return left, right


def _zero_as_money_all(results: list[nodes.Node]) -> list[nodes.Node]:
    if any(r.type is Type.MONEY for r in results):
        return [nodes.Literal(Type.MONEY, Fraction(0), r.position) if _is_zero(r) else r for r in results]
    return results


def _arithmetic_type(op: str, left: Type, right: Type) -> Type | None:
    money, number = Type.MONEY, Type.NUMBER
    if op in "+-":
        return left if left is right else None
    if op == "*":
        return {(money, number): money, (number, money): money, (number, number): number}.get((left, right))
    return {(money, number): money, (money, money): number, (number, number): number}.get((left, right))
