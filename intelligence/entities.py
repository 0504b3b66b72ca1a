"""The specific things a demand names: towns, roads and bridges, bus routes, dates.

Two demands about "停电" are about the same problem only if they are about the same
place and time; these are what tells them apart (see :mod:`intelligence.similarity`).
The towns are those of the taxonomy (``reference/data/taxonomy.yaml``), also in their short
form (周巷镇 → 周巷).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import yaml

TAXONOMY = Path(__file__).resolve().parent.parent / "reference" / "data" / "taxonomy.yaml"
EXTRA_PLACES = ("杭州湾新区",)
# A road, street or bridge name: up to five characters before the suffix, none of which is a
# function word ("厂门口的路" is no road name).
_ROAD = re.compile(r"([\u4e00-\u9fff0-9]{1,5}?(?:东路|西路|南路|北路|大道|大街|国道|路|桥))")
_NOT_IN_NAME = set("的了是在那这条个门口段边上下里修封走坏")
_DATED = re.compile(r"(\d{1,2}月\d{1,2}[日号]|\d{2,4}路|\d{4}年)")


@cache
def towns() -> tuple[str, ...]:
    """Town names, longest first, so that 观海卫镇 is found before a shorter overlapping name."""
    data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    names = set(EXTRA_PLACES)
    for town in data["towns"].values():
        names.add(re.sub(r"(街道|镇)$", "", town["zh"]))
    return tuple(sorted(names, key=len, reverse=True))


def find(text: str) -> tuple[set[str], set[str]]:
    """(towns named, other specific things named: roads, bridges, bus routes, dates)."""
    text = text or ""
    named_towns = {name for name in towns() if name in text}
    roads = {m for m in _ROAD.findall(text) if len(m) >= 3 and not set(m[:-1]) & _NOT_IN_NAME}
    return named_towns, roads | set(_DATED.findall(text))


@dataclass
class Incidence:
    """Which text names which town / which other thing, as sparse 0-1 matrices."""

    towns: sp.csr_matrix
    others: sp.csr_matrix
    has_town: np.ndarray


def incidence(texts: list[str], vocabulary: dict[str, int] | None = None) -> Incidence:
    """Incidence matrices of texts; the columns of the other things are numbered on the fly."""
    town_column = {name: i for i, name in enumerate(towns())}
    vocabulary = {} if vocabulary is None else vocabulary
    town_rows, town_cols, other_rows, other_cols = [], [], [], []
    for row, text in enumerate(texts):
        named_towns, others = find(text)
        for name in named_towns:
            town_rows.append(row)
            town_cols.append(town_column[name])
        for thing in others:
            other_rows.append(row)
            other_cols.append(vocabulary.setdefault(thing, len(vocabulary)))
    n = len(texts)
    town_matrix = sp.csr_matrix((np.ones(len(town_rows)), (town_rows, town_cols)), shape=(n, len(town_column)))
    other_matrix = sp.csr_matrix((np.ones(len(other_rows)), (other_rows, other_cols)),
                                 shape=(n, max(len(vocabulary), 1)))
    return Incidence(town_matrix, other_matrix, np.asarray(town_matrix.sum(axis=1)).ravel() > 0)


def pad(matrix: sp.csr_matrix, columns: int) -> sp.csr_matrix:
    """The same matrix widened to ``columns`` (other things numbered after it was built)."""
    if matrix.shape[1] >= columns:
        return matrix
    return sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], columns))
