"""Suggest a category and a handling department for a demand text.

The live model is the newest :class:`ClassifierModel`; with none, a keyword rule
table (``data/keywords.yaml``) answers, so intake never waits for a training run.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import joblib
import numpy as np
import yaml
from django.conf import settings
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.svm import LinearSVC

from .text import OneText, make_vectorizer

DATA_DIR = Path(__file__).resolve().parent / "data"
CORPUS = DATA_DIR / "corpus.jsonl"
TOP = 3
FOLDS = 3
BIG_SET = 20_000


@dataclass
class Example:
    text: str
    category: str | None
    department: str | None
    weight: float = 1.0
    source: str = ""  # the corpus line id, or empty for platform data


@dataclass
class Suggestion:
    """Top-3 (code, probability) pairs for each field; ``version`` None means the keyword fallback."""

    categories: list[tuple[str, float]]
    departments: list[tuple[str, float]]
    version: int | None = None

    @property
    def category(self) -> str:
        return self.categories[0][0]

    @property
    def department(self) -> str:
        return self.departments[0][0]

    @property
    def confidence(self) -> float:
        return round(min(self.categories[0][1], self.departments[0][1]), 4)


@dataclass
class Fitted:
    """What a model file holds: one vectorizer and one linear head per field."""

    vectorizer: object
    heads: dict = field(default_factory=dict)

    def suggest(self, text: str, version: int | None = None) -> Suggestion:
        x = self.one_text.transform(text)
        return Suggestion(*(_top(self.heads[name], x) for name in ("category", "department")), version=version)

    @cached_property
    def one_text(self) -> OneText:
        """The single-text transform, built on first use (model files saved before it lack it)."""
        return OneText(self.vectorizer)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("one_text", None)  # rebuilt from the vectorizer after loading
        return state


def _top(head: LinearHead, x) -> list[tuple[str, float]]:
    probs = head.probabilities(x)
    order = np.argsort(probs)[::-1][:TOP]
    return [(str(head.classes[i]), round(float(probs[i]), 4)) for i in order]


class LinearHead:
    """A calibrated linear SVM reduced to its arrays.

    scikit-learn's ``predict_proba`` validates its input on every call, which costs
    more than the arithmetic for one demand; intake classifies one demand at a time.
    """

    def __init__(self, calibrated: CalibratedClassifierCV):
        inner = calibrated.calibrated_classifiers_[0]
        self.classes = calibrated.classes_
        svm = getattr(inner.estimator, "estimator", inner.estimator)  # unwrap a FrozenEstimator
        self.coef = svm.coef_.T.copy()
        self.intercept = svm.intercept_.copy()
        self.a = np.array([c.a_ for c in inner.calibrators])
        self.b = np.array([c.b_ for c in inner.calibrators])

    def probabilities(self, x) -> np.ndarray:
        scores = np.asarray(x @ self.coef).ravel() + self.intercept
        probs = 1.0 / (1.0 + np.exp(self.a * scores + self.b))
        if len(self.classes) == 2:  # one score: the positive class
            return np.array([1.0 - probs[0], probs[0]])
        total = probs.sum()
        return probs / total if total > 0 else np.full(len(probs), 1.0 / len(probs))


def read_corpus(path: Path = CORPUS) -> list[Example]:
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [Example(r["text"], r["category"], r["department"], source=r["id"]) for r in rows]


def fit(examples: list[Example]) -> Fitted:
    """Fit the shared vectorizer on every text and one weighted, calibrated linear SVM per field."""
    vectorizer = make_vectorizer()
    vectorizer.n_jobs = 2  # words and characters in parallel while fitting …
    matrix = vectorizer.fit_transform([e.text for e in examples])
    vectorizer.n_jobs = None  # … but never per single-demand call, where a process pool costs more
    fitted = Fitted(vectorizer)
    for name in ("category", "department"):
        rows = _calibratable([i for i, e in enumerate(examples) if getattr(e, name)], examples, name)
        labels = np.array([getattr(examples[i], name) for i in rows])
        weights = np.array([examples[i].weight for i in rows])
        fitted.heads[name] = LinearHead(_fit_head(matrix[rows], labels, weights))
    return fitted


def _fit_head(x, y, weights) -> CalibratedClassifierCV:
    """A linear SVM ranks well on sparse TF-IDF; sigmoid calibration turns its scores into
    probabilities staff can read as a confidence.

    Small sets calibrate on 3-fold out-of-fold scores; past BIG_SET one SVM is fitted on
    90 % and calibrated on the other 10 %, four times faster at the same quality.
    """
    if len(y) <= BIG_SET:
        head = CalibratedClassifierCV(LinearSVC(C=0.5), cv=FOLDS, method="sigmoid", ensemble=False)
        return head.fit(x, y, sample_weight=weights)
    order = np.random.default_rng(0).permutation(len(y))
    cut = len(y) // 10
    calibration, training = order[:cut], order[cut:]
    svm = LinearSVC(C=0.5).fit(x[training], y[training], sample_weight=weights[training])
    head = CalibratedClassifierCV(FrozenEstimator(svm), method="sigmoid")
    return head.fit(x[calibration], y[calibration])  # weights shaped the SVM; calibration needs none


def _calibratable(rows: list[int], examples: list[Example], name: str) -> list[int]:
    """Repeat the rows of a class seen fewer than FOLDS times, so each calibration fold has it."""
    counts = Counter(getattr(examples[i], name) for i in rows)
    extra = [i for i in rows for _ in range(max(0, FOLDS - counts[getattr(examples[i], name)]))]
    return rows + extra


def model_dir() -> Path:
    return Path(settings.VAR_DIR) / "intelligence"


def save(fitted: Fitted, version: int) -> tuple[str, str]:
    """Write the model file atomically; returns (path relative to VAR_DIR, sha256)."""
    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"classifier-v{version}.joblib"
    partial = final.with_suffix(".partial")
    joblib.dump(fitted, partial, compress=3)
    digest = hashlib.sha256(partial.read_bytes()).hexdigest()
    partial.replace(final)
    return str(final.relative_to(settings.VAR_DIR)), digest


def prune(keep_versions: set[int]) -> list[Path]:
    """Delete the model files of every version not in ``keep_versions``; returns what was deleted."""
    deleted = []
    for file in model_dir().glob("classifier-v*.joblib"):
        try:
            version = int(file.stem.removeprefix("classifier-v"))
        except ValueError:
            continue
        if version not in keep_versions:
            file.unlink(missing_ok=True)
            deleted.append(file)
    return deleted


_cache: dict = {}


def load_live() -> tuple[Fitted, int] | None:
    """The newest saved model, read once per process and version; None when there is none."""
    from .models import ClassifierModel

    row = ClassifierModel.objects.only("version", "path", "sha256").first()
    if row is None:
        return None
    if _cache.get("version") != row.version:
        path = Path(settings.VAR_DIR) / row.path
        if not path.exists():
            return None
        if hashlib.sha256(path.read_bytes()).hexdigest() != row.sha256:
            raise ValueError(f"model file {path} does not match its checksum")
        _cache.update(version=row.version, fitted=joblib.load(path))
    return _cache["fitted"], row.version


def suggest(text: str) -> Suggestion:
    """Category and department suggestions for a demand text (model, else keyword rules)."""
    live = load_live()
    if live is None:
        return keyword_suggest(text)
    fitted, version = live
    return fitted.suggest(text, version)


def _keyword_table() -> dict:
    if "keywords" not in _cache:
        _cache["keywords"] = yaml.safe_load((DATA_DIR / "keywords.yaml").read_text(encoding="utf-8"))
    return _cache["keywords"]


def keyword_suggest(text: str) -> Suggestion:
    """Rule fallback: count keyword hits per category and department; ties keep the table order."""
    table = _keyword_table()
    cats = _rank(text, table["categories"], default="other")
    depts = _rank(text, table["departments"], default=None)
    defaults = table["default_departments"]
    if depts[0][1] == 0.0:  # no department-specific word: the category's default department
        depts = [(defaults.get(code, "qfb"), score) for code, score in cats]
        depts = [d for i, d in enumerate(depts) if d[0] not in {c for c, _ in depts[:i]}]
    return Suggestion(cats, depts, version=None)


def _rank(text: str, keywords: dict, default: str | None) -> list[tuple[str, float]]:
    hits = {code: sum(text.count(w) for w in words) for code, words in keywords.items()}
    total = sum(hits.values())
    ranked = sorted(hits, key=lambda c: -hits[c])[:TOP]
    if total == 0:
        return [(default, 0.0)] if default else [(ranked[0], 0.0)]
    # Rules are a rough guess: keep their confidence under 0.5 so staff see it as one.
    return [(code, round(0.5 * hits[code] / total, 4)) for code in ranked if hits[code]]


def timed_fit(examples: list[Example]) -> tuple[Fitted, float]:
    started = time.perf_counter()
    fitted = fit(examples)
    return fitted, time.perf_counter() - started
