"""Text features shared by the classifier and the similarity search.

Words come from jieba; characters (1–3-grams) catch what jieba splits badly in
colloquial hotline text and place names.  Both are TF-IDF weighted and joined, with one
token per handling body the text names by name (``department_mentions`` in
``data/keywords.yaml``): "应急局来查" says more about who handles it than about the topic.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from itertools import pairwise
from pathlib import Path

import jieba
import numpy as np
import scipy.sparse as sp
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

jieba.setLogLevel(logging.WARNING)
_NOISE = re.compile(r"[\s，。、！？；：“”‘’（）()《》\[\]【】,.!?;:'\"~～…@#🙏-]+")
# How a demand is introduced (the channel's stock opening), not what it is about: a visit
# note's "走访记录：", a letter's "慈溪市某某有限公司来函：", a call's "喂，你好，".  Dropping it
# keeps a letter and a phone call about the same problem close (measured in bench/intelligence.py).
_OPENING = re.compile(
    r"^(走访记录[:：]|慈溪市.{0,16}?(有限公司|公司|厂)(来函|诉求)?[:：]|企业反映[:：]|"
    r"群里问[下一问]*[，,]|喂[，,？?]?|你好[，,]|您好[，,]|嗯[，,]|那个[，,]|老师好[，,]|打扰一下[，,])")
_VISIT = re.compile(r"^走访(.{0,20}?)[，,]企业提出")  # keeps where the visit was: places matter to similarity


def strip_opening(text: str) -> str:
    """The demand without its channel's stock opening (up to three, e.g. "喂，你好，")."""
    text = _VISIT.sub(r"\1 ", (text or "").strip(), count=1)
    for _ in range(3):
        text = _OPENING.sub("", text, count=1).lstrip()
    return text


def normalise(text: str) -> str:
    """Drop the stock opening, punctuation and spacing, which carry no topic."""
    return _NOISE.sub(" ", strip_opening(text)).strip()


def words(text: str) -> list[str]:
    """jieba tokens and token bigrams of a text (module level, so fitted models pickle)."""
    tokens = [w for w in jieba.lcut(normalise(text)) if w.strip()]
    return tokens + [f"{a}_{b}" for a, b in pairwise(tokens)]


def chars(text: str) -> str:
    return normalise(text).replace(" ", "")


@cache
def _mention_table() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = yaml.safe_load((Path(__file__).resolve().parent / "data" / "keywords.yaml").read_text(encoding="utf-8"))
    return tuple((code, tuple(str(n) for n in names)) for code, names in data["department_mentions"].items())


def mentions(text: str) -> list[str]:
    """One token per handling body the text names ("应急局说…" → ``mention_yjglj``), or ``mention_none``."""
    found = [f"mention_{code}" for code, names in _mention_table() if any(n in text for n in names)]
    return found or ["mention_none"]


# Weight of the mention tokens beside the TF-IDF blocks (chosen by cross-validation on the corpus).
MENTION_WEIGHT = 0.3


def make_vectorizer() -> FeatureUnion:
    """Word 1–2-grams plus character 1–3-grams, sublinear TF-IDF, plus the bodies a text names."""
    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(analyzer="char", preprocessor=chars, ngram_range=(1, 3),
                                  sublinear_tf=True, min_df=2, max_features=200_000)),
        ("mentions", TfidfVectorizer(analyzer=mentions, use_idf=False, norm=None)),
    ], transformer_weights={"words": 1.0, "chars": 1.0, "mentions": MENTION_WEIGHT})


class OneText:
    """The fitted union's arithmetic for a single text, without scikit-learn's per-call checks.

    Intake classifies one demand at a time; ``FeatureUnion.transform`` spends most of a call
    validating input and dispatching jobs.  This reads the same vocabularies, idf weights and
    block weights and gives the same row (tests compare it with ``transform``).
    """

    def __init__(self, union: FeatureUnion):
        weights = union.transformer_weights or {}
        self.blocks = []
        offset = 0
        for name, part in union.transformer_list:
            idf = part.idf_ if part.use_idf else None
            self.blocks.append((part.build_analyzer(), part.vocabulary_, idf, part.sublinear_tf, part.norm,
                                weights.get(name, 1.0), offset))
            offset += len(part.vocabulary_)
        self.width = offset

    def transform(self, text: str) -> sp.csr_matrix:
        columns, values = [], []
        for analyze, vocabulary, idf, sublinear, norm, weight, offset in self.blocks:
            counts: dict[int, int] = {}
            for token in analyze(text):
                column = vocabulary.get(token)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            if not counts:
                continue
            index = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            if sublinear:
                tf = np.log(tf) + 1.0
            if idf is not None:
                tf = tf * idf[index]
            if norm == "l2":
                tf = tf / np.sqrt((tf * tf).sum())
            elif norm == "l1":
                tf = tf / np.abs(tf).sum()
            order = np.argsort(index)
            columns.append(index[order] + offset)
            values.append(tf[order] * weight)
        if not columns:
            return sp.csr_matrix((1, self.width))
        data, indices = np.concatenate(values), np.concatenate(columns)
        return sp.csr_matrix((data, indices, np.array([0, len(data)])), shape=(1, self.width))
