"""Text features shared by the classifier and the similarity search.

Words come from jieba; characters (1–3-grams) catch what jieba splits badly in
colloquial hotline text and place names.  Both are TF-IDF weighted and joined.
"""

from __future__ import annotations

import logging
import re
from itertools import pairwise

import jieba
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

jieba.setLogLevel(logging.WARNING)
_NOISE = re.compile(r"[\s，。、！？；：“”‘’（）()《》\[\]【】,.!?;:'\"~～…@#🙏-]+")


def normalise(text: str) -> str:
    """Drop punctuation and spacing, which carry no topic."""
    return _NOISE.sub(" ", text or "").strip()


def words(text: str) -> list[str]:
    """jieba tokens and token bigrams of a text (module level, so fitted models pickle)."""
    tokens = [w for w in jieba.lcut(normalise(text)) if w.strip()]
    return tokens + [f"{a}_{b}" for a, b in pairwise(tokens)]


def chars(text: str) -> str:
    return normalise(text).replace(" ", "")


def make_vectorizer() -> FeatureUnion:
    """Word 1–2-grams plus character 1–3-grams, sublinear TF-IDF."""
    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(analyzer="char", preprocessor=chars, ngram_range=(1, 3),
                                  sublinear_tf=True, min_df=2, max_features=200_000)),
    ])
