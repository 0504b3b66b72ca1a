"""The one matching engine of every market: score whole blocks of needs × offers with
numpy, keep the best pairs, and bring the Match table in line with them.

``score_block`` is pure (frames in, arrays out) and is what the tests compute by hand;
``find_pairs`` walks the needs in chunks so memory stays bounded and returns the pairs
as arrays; ``store`` writes the difference (new pairs, changed scores, pairs that no
longer fit) with one ``executemany`` per kind of change: the ORM's bulk methods cost
more than the scoring itself at 150,000 pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from django.db import connection
from django.utils import timezone

from .criteria import RULES, TOLERANCE, Criterion, Kind, MarketRules, decode_states
from .frames import LOADERS, Frame
from .models import Match

CHUNK_CELLS = 2_000_000  # needs × offers scored at once
KEY_SHIFT = 2**32  # (need id, offer id) as one int64 for the set operations


@dataclass
class Pairs:
    """Fitting pairs as parallel arrays; ``states`` encodes every criterion (criteria.encode_states)."""

    need_id: np.ndarray
    offer_id: np.ndarray
    score: np.ndarray
    states: np.ndarray

    def __len__(self) -> int:
        return len(self.need_id)

    def reasons(self, market: str, i: int) -> dict[str, float]:
        return decode_states(market, int(self.states[i]))


class NewMatch(NamedTuple):
    need_id: int
    offer_id: int


def _col(frame: Frame, name: str, axis: int) -> np.ndarray:
    """A column shaped for broadcasting: needs down (axis 0), offers across (axis 1)."""
    values = frame[name]
    return values[:, None] if axis == 0 else values[None, :]


def _within(value, low, high) -> np.ndarray:
    # Open (empty) bounds become infinite, so every big comparison below is a plain one.
    low = np.where(np.isnan(low), -np.inf, low)
    high = np.where(np.isnan(high), np.inf, high)
    inside = (value >= low) & (value <= high)
    near = (value >= low - TOLERANCE * np.abs(low)) & (value <= high + TOLERANCE * np.abs(high))
    out = np.add(inside, near, dtype=np.float32) * np.float32(0.5)
    if np.isnan(value).any():  # nothing asked: met
        out = np.where(np.isnan(value), np.float32(1), out)
    return out


def _overlap(need_low, need_high, offer_low, offer_high) -> np.ndarray:
    covers = (offer_low <= need_low) & (offer_high >= need_high)
    meets = (offer_low <= need_high) & (offer_high >= need_low)
    return np.add(covers, meets, dtype=np.float32) * np.float32(0.5)


def _at_least(need, offer) -> np.ndarray:
    unstated = np.isnan(offer)
    reached = offer >= need
    near = (offer >= (1 - TOLERANCE) * need) | unstated
    out = np.add(reached, near, dtype=np.float32) * np.float32(0.5)
    return np.where(np.isnan(need), np.float32(1), out)


def _fraction(c: Criterion, needs: Frame, offers: Frame) -> np.ndarray:
    n = [_col(needs, name, 0) for name in c.need]
    o = [_col(offers, name, 1) for name in c.offer]
    if c.kind is Kind.WITHIN:
        value, (low, high) = (n[0], o) if len(n) == 1 else (o[0], n)
        return _within(value, low, high)
    if c.kind is Kind.OVERLAP:
        return _overlap(n[0], n[1], o[0], o[1])
    if c.kind is Kind.MEMBER:
        return ((n[0] == 0) | (o[0] == 0) | ((n[0] & o[0]) != 0)).astype(np.float32)
    if c.kind is Kind.SAME:
        return ((n[0] < 0) | (n[0] == o[0])).astype(np.float32)
    if c.kind is Kind.AT_LEAST:
        return _at_least(n[0], o[0])
    raise ValueError(c.kind)


def score_block(rules: MarketRules, needs: Frame, offers: Frame):
    """(scores int array [needs, offers], {criterion: fraction array}, eligible bool array)."""
    shape = (len(needs["id"]), len(offers["id"]))
    fractions, total = {}, np.zeros(shape, dtype=np.float32)
    eligible = np.ones(shape, dtype=bool)
    weights = sum(c.weight for c in rules.criteria)
    for c in rules.criteria:
        f = np.broadcast_to(_fraction(c, needs, offers), shape)
        fractions[c.key] = f
        total += np.float32(c.weight) * f
        if c.required:
            eligible &= f > 0
    # Fractions are 0, ½ or 1 and weights whole numbers: the sum is exact in float32.
    scores = np.rint(total * np.float32(100 / weights)).astype(np.int16)
    return scores, fractions, eligible & (scores >= rules.min_score)


def _slice(frame: Frame, start: int, stop: int) -> Frame:
    return {name: values[start:stop] for name, values in frame.items()}


def _states(rules: MarketRules, fractions: dict, rows, cols) -> np.ndarray:
    """Each criterion's state (0 not, 1 partly, 2 met) as one base-3 digit."""
    states = np.zeros(len(rows), dtype=np.int64)
    for power, c in enumerate(rules.criteria):
        states += (fractions[c.key][rows, cols] * 2).astype(np.int64) * 3**power
    return states


def find_pairs(rules: MarketRules, needs: Frame, offers: Frame, top: int | None = None) -> Pairs:
    """The fitting pairs, at most ``top`` offers per need (all when None)."""
    n, m = len(needs["id"]), len(offers["id"])
    parts: list[tuple] = []
    step = max(1, CHUNK_CELLS // max(m, 1))
    for start in range(0, n if m else 0, step):
        chunk = _slice(needs, start, start + step)
        scores, fractions, eligible = score_block(rules, chunk, offers)
        if top is not None and top < m:
            ranked = np.where(eligible, scores, -1)
            best = np.argpartition(-ranked, top - 1, axis=1)[:, :top]
            keep = np.zeros_like(eligible)
            np.put_along_axis(keep, best, True, axis=1)
            eligible &= keep
        rows, cols = np.nonzero(eligible)
        parts.append((chunk["id"][rows], offers["id"][cols], scores[rows, cols], _states(rules, fractions, rows, cols)))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Pairs(empty, empty, empty, empty)
    return Pairs(*(np.concatenate([p[i] for p in parts]).astype(np.int64) for i in range(4)))


def _existing(market: str, need_id, offer_id) -> np.ndarray:
    """(pk, need, offer, score, states, current) columns of the matches in scope, read raw:
    at 150,000 rows the ORM's row objects cost more than the query."""
    sql = f"SELECT id, need_id, offer_id, score, states, is_current FROM {Match._meta.db_table} WHERE market = %s"
    params: list = [market]
    for column, value in (("need_id", need_id), ("offer_id", offer_id)):
        if value is not None:
            sql += f" AND {column} = %s"
            params.append(value)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return np.array(rows, dtype=np.int64).reshape(-1, 6).T


def bulk_insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert many rows at once: COPY on PostgreSQL, ``executemany`` on SQLite (both far
    faster than ``bulk_create`` at 100,000 rows)."""
    if not rows:
        return
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _update_scores(table: str, pks: list[int], scores: list[int], states: list[int], now) -> None:
    if not pks:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS m SET score = v.score, states = v.states, is_current = true, updated_at = %s "
                "FROM unnest(%s::bigint[], %s::integer[], %s::bigint[]) AS v(id, score, states) WHERE m.id = v.id",
                [now, pks, scores, states])
        else:
            cursor.executemany(f"UPDATE {table} SET score = %s, states = %s, is_current = %s, updated_at = %s "
                               "WHERE id = %s", list(zip(scores, states, [True] * len(pks), [now] * len(pks), pks,
                                                         strict=True)))


def store(market: str, pairs: Pairs, *, need_id=None, offer_id=None) -> list[NewMatch]:
    """Bring the matches in scope (all of the market, one need or one offer) in line with
    ``pairs``; return the pairs that are new (for the notices).

    A pair that no longer fits is kept with ``is_current`` off, so the consents already
    given survive a listing that changes back.
    """
    pk, ex_need, ex_offer, ex_score, ex_states, ex_current = _existing(market, need_id, offer_id)
    ex_keys = ex_need * KEY_SHIFT + ex_offer
    keys = pairs.need_id * KEY_SHIFT + pairs.offer_id
    order = np.argsort(ex_keys)
    pos = np.clip(np.searchsorted(ex_keys[order], keys), 0, max(len(order) - 1, 0))
    found = ex_keys[order][pos] == keys if len(order) else np.zeros(len(keys), dtype=bool)
    at = order[pos[found]] if len(order) else np.zeros(0, dtype=np.int64)
    changed = (ex_score[at] != pairs.score[found]) | (ex_states[at] != pairs.states[found]) | (ex_current[at] == 0)
    gone = pk[(ex_current == 1) & ~np.isin(ex_keys, keys)]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = Match._meta.db_table
    new = ~found
    inserts = zip(pairs.need_id[new].tolist(), pairs.offer_id[new].tolist(), pairs.score[new].tolist(),
                  pairs.states[new].tolist(), strict=True)
    bulk_insert(table, ("created_at", "updated_at", "market", "need_id", "offer_id", "score", "states", "is_current"),
                [(now, now, market, n, o, s, st, True) for n, o, s, st in inserts])
    _update_scores(table, pk[at][changed].tolist(), pairs.score[found][changed].tolist(),
                   pairs.states[found][changed].tolist(), now)
    gone = gone.tolist()
    for start in range(0, len(gone), 900):  # under SQLite's limit of bound parameters
        Match.objects.filter(pk__in=gone[start:start + 900]).update(is_current=False, updated_at=timezone.now())
    return [NewMatch(n, o) for n, o in zip(pairs.need_id[new].tolist(), pairs.offer_id[new].tolist(), strict=True)]


def rematch_market(market: str) -> list[NewMatch]:
    """The full re-match of one market (the scheduled job and the benchmark)."""
    rules = RULES[market]
    load_needs, load_offers = LOADERS[market]
    return store(market, find_pairs(rules, load_needs(), load_offers(), top=rules.top))


def rematch_need(market: str, need_id: int) -> list[NewMatch]:
    rules = RULES[market]
    load_needs, load_offers = LOADERS[market]
    return store(market, find_pairs(rules, load_needs([need_id]), load_offers(), top=rules.top), need_id=need_id)


def rematch_offer(market: str, offer_id: int) -> list[NewMatch]:
    """Every live need against the one offer (between full re-matches a need may then hold
    more than ``top`` offers; the nightly job trims it)."""
    rules = RULES[market]
    load_needs, load_offers = LOADERS[market]
    return store(market, find_pairs(rules, load_needs(), load_offers([offer_id])), offer_id=offer_id)
