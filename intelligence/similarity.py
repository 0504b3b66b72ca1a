"""Similar demands (相似诉求) and clusters of demands about the same concrete problem.

Texts are compared by cosine similarity of the live classifier's TF-IDF features, whose
IDF comes from the whole training corpus, so the stock phrases of a demand (企业反映、
希望尽快解决) weigh little and places, products and the problem itself weigh much.
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.preprocessing import normalize

from demands.models import Status

from . import actions, classifier

# Tuned on data/clusters.jsonl with bench/intelligence.py (average linkage).
CLUSTER_THRESHOLD = 0.20
SIMILAR_MIN_SCORE = 0.15
# Still being handled: a new demand about the same problem can join or be merged into one.
OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.ROUTED, Status.IN_PROGRESS, Status.WAITING_INFO,
                 Status.ANSWERED)


def vectorize(texts: list[str]):
    """L2-normalised feature rows of texts (trains a model first if none exists)."""
    live = classifier.load_live()
    if live is None:
        actions.ensure_model()
        live = classifier.load_live()
    return normalize(live[0].vectorizer.transform(texts))


def similar_open_demands(text: str, *, limit: int = 5, exclude_id: int | None = None,
                         min_score: float = SIMILAR_MIN_SCORE) -> list[tuple[object, float]]:
    """The open demands most like ``text``, best first, as (demand, cosine score) pairs."""
    from demands.models import Demand

    candidates = list(Demand.objects.filter(status__in=OPEN_STATUSES).exclude(pk=exclude_id)
                      .order_by("-received_at")[:5000])
    if not candidates:
        return []
    matrix = vectorize([text] + [d.text for d in candidates])
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    order = np.argsort(scores)[::-1][:limit]
    return [(candidates[i], round(float(scores[i]), 4)) for i in order if scores[i] >= min_score]


def cluster_texts(items: list[tuple[str, str]], threshold: float = CLUSTER_THRESHOLD,
                  vectorizer=None) -> dict[str, str | None]:
    """Group (id, text) pairs about the same problem; returns id → cluster id, None when alone.

    Average linkage stops the chaining of single-linkage (A like B, B like C, A unlike C).
    A cluster's id is its smallest member id, so the same input always gets the same ids
    whatever its order.  ``vectorizer`` overrides the live model's (the benchmark uses it).
    """
    result: dict[str, str | None] = {item_id: None for item_id, _ in items}
    if len(items) < 2:
        return result
    texts = [text for _, text in items]
    matrix = normalize(vectorizer.transform(texts)) if vectorizer is not None else vectorize(texts)
    distance = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, 2.0)
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=1.0 - threshold).fit_predict(distance)
    members: dict[int, list[str]] = {}
    for (item_id, _), label in zip(items, labels, strict=True):
        members.setdefault(int(label), []).append(item_id)
    for ids in members.values():
        if len(ids) > 1:
            for item_id in ids:
                result[item_id] = min(ids)
    return result


def cluster_demands(demands) -> dict[int, int | None]:
    """Cluster a queryset or list of demands (e.g. one week's intake); demand pk → cluster pk."""
    demands = list(demands)
    by_key = {str(d.pk).zfill(12): d.pk for d in demands}  # zero-padded: string min == numeric min
    clusters = cluster_texts([(str(d.pk).zfill(12), d.text) for d in demands])
    return {by_key[k]: (by_key[v] if v else None) for k, v in clusters.items()}
