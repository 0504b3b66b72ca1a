"""Similar demands (相似诉求) and clusters of demands about the same concrete problem.

Texts are compared by cosine similarity of the live classifier's TF-IDF features, whose
IDF comes from the whole training corpus, so the stock phrases of a demand (企业反映、
希望尽快解决) weigh little and places, products and the problem itself weigh much.

Words alone merge different problems on one broad topic (a power cut in 周巷 and one in
观海卫), so the score is then adjusted by the specific things two texts name (see
:mod:`intelligence.entities`): two texts naming different towns and no common one are
taken to be about different problems (score × ``OTHER_PLACE_FACTOR``); two naming the
same town, road, bus route or date gain ``SHARED_ENTITY_BONUS``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import AgglomerativeClustering
from sklearn.preprocessing import normalize

from demands.models import Status

from . import actions, classifier, entities

# Chosen on data/clusters.jsonl with bench/intelligence.py (average linkage); measured
# again on data/clusters_eval.jsonl, which played no part in choosing them.
CLUSTER_THRESHOLD = 0.25
OTHER_PLACE_FACTOR = 0.2
SHARED_ENTITY_BONUS = 0.10
SIMILAR_MIN_SCORE = 0.15
# Still being handled: a new demand about the same problem can join or be merged into one.
OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.ROUTED, Status.IN_PROGRESS, Status.WAITING_INFO,
                 Status.ANSWERED)


def live_vectorizer():
    """The live model's vectorizer (trains a model first if none exists) and its version."""
    live = classifier.load_live()
    if live is None:
        actions.ensure_model()
        live = classifier.load_live()
    return live[0].vectorizer, live[1]


# The classifier's feature blocks that say what a text is about; the bodies it names
# ("mentions") help routing but would make any two texts that name none look alike.
TOPIC_BLOCKS = ("words", "chars")


def vectorize(texts: list[str], vectorizer=None):
    """L2-normalised topic feature rows of texts (the live model's words and characters)."""
    vectorizer = vectorizer if vectorizer is not None else live_vectorizer()[0]
    blocks = [part.transform(texts) for name, part in vectorizer.transformer_list if name in TOPIC_BLOCKS]
    return normalize(sp.hstack(blocks).tocsr())


def adjusted(scores: np.ndarray, left: entities.Incidence, right: entities.Incidence) -> np.ndarray:
    """Cosine scores (rows: ``left`` texts, columns: ``right`` texts) adjusted by named places and things."""
    shared_town = (left.towns @ right.towns.T).toarray() > 0
    shared_other = (left.others @ right.others.T).toarray() > 0
    both_placed = np.outer(left.has_town, right.has_town)
    out = scores.copy()
    other_place = both_placed & ~shared_town
    out[other_place] *= OTHER_PLACE_FACTOR
    out[~other_place & (shared_town | shared_other)] += SHARED_ENTITY_BONUS
    return out


def similar_open_demands(text: str, *, user=None, limit: int = 5, exclude_id: int | None = None,
                         min_score: float = SIMILAR_MIN_SCORE) -> list[tuple[object, float]]:
    """The open demands most like ``text``, best first, as (demand, score) pairs.

    ``user`` limits the search to the demands that person may see (``demands.access``).
    The open demands' vectors are kept in :mod:`intelligence.open_index`.
    """
    from .open_index import search

    return search(text, user=user, limit=limit, exclude_id=exclude_id, min_score=min_score)


def pair_scores(texts: list[str], vectorizer=None) -> np.ndarray:
    """The adjusted similarity of every pair of texts (a square array)."""
    matrix = vectorize(texts, vectorizer)
    found = entities.incidence(texts)
    return adjusted((matrix @ matrix.T).toarray(), found, found)


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
    scores = pair_scores([text for _, text in items], vectorizer)
    distance = np.clip(1.0 - scores, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
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


def demand_text(demand) -> str:
    """What is compared of a stored demand: its title and its text."""
    return f"{demand.title}\n{demand.text}" if demand.title else demand.text


def cluster_demands(demands) -> dict[int, int | None]:
    """Cluster a queryset or list of demands (e.g. one week's intake); demand pk → cluster pk."""
    demands = list(demands)
    by_key = {str(d.pk).zfill(12): d.pk for d in demands}  # zero-padded: string min == numeric min
    clusters = cluster_texts([(str(d.pk).zfill(12), d.text) for d in demands])
    return {by_key[k]: (by_key[v] if v else None) for k, v in clusters.items()}
