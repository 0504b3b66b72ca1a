"""The vectors of all open demands, kept so that a similar-demand search at intake is fast.

Vectorising 100,000 demand texts takes about 20 s; scoring one new text against their
prepared matrix takes milliseconds.  The index is:

* **built** by the worker (``tasks.rebuild_open_index``, scheduled) or, when there is none
  yet, by the first search of a process, and saved under ``VAR_DIR/intelligence/`` so every
  process starts from it;
* **brought up to date incrementally** before a search: demands changed since the index's
  watermark (``updated_at``) are vectorised and put in (open ones) or taken out (closed,
  merged, withdrawn); at most every ``QIFU_OPEN_INDEX_REFRESH_SECONDS`` per process;
* **rebuilt** whenever the live classifier version changes (its vocabulary is the index's).

Whatever the index says, the demands shown are read again from the database, filtered by
status and by what the user may see, so a stale row can cost a result, never show a wrong one.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp
from django.conf import settings

from . import entities, similarity

CHUNK = 2000
# The index is widened this much beyond ``limit`` before the database filter, so that a
# few stale or out-of-scope rows do not leave the answer short.
OVERSAMPLE = 10
FULL_REBUILD_ABOVE = 20_000  # changed demands since the watermark: rebuilding is cheaper


@dataclass
class OpenIndex:
    version: int  # of the classifier whose vectorizer made the rows
    ids: np.ndarray  # demand pk per row: the built rows, then the added ones
    matrix: sp.csc_matrix  # L2-normalised rows of the build, column-major: a search reads only
    # the columns of the words it contains (6 ms at 100,000 rows instead of 50 ms row-major)
    places: entities.Incidence
    vocabulary: dict = field(default_factory=dict)  # other named things → column
    alive: np.ndarray = None  # False for rows taken out since the build
    watermark: object = None  # the latest updated_at seen
    row_of: dict = field(default_factory=dict)
    checked_at: float = 0.0
    added: sp.csr_matrix = None  # rows put in since the build (few: row-major is fine)

    def __post_init__(self):
        self.matrix = sp.csc_matrix(self.matrix)
        if self.alive is None:
            self.alive = np.ones(len(self.ids), dtype=bool)
        if self.added is None:
            self.added = sp.csr_matrix((0, self.matrix.shape[1]))
        self.row_of = {int(pk): i for i, pk in enumerate(self.ids)}

    def scores(self, query: sp.csr_matrix) -> np.ndarray:
        """Cosine score of every row against one L2-normalised query row."""
        built = np.asarray(self.matrix[:, query.indices] @ query.data).ravel()
        if not self.added.shape[0]:
            return built
        return np.concatenate([built, np.asarray((self.added @ query.T).todense()).ravel()])


def path() -> Path:
    return Path(settings.VAR_DIR) / "intelligence" / "open-index.joblib"


def _open_demands():
    from demands.models import Demand

    return Demand.objects.filter(status__in=similarity.OPEN_STATUSES)


def _rows(queryset):
    """(pks, texts, latest updated_at) of a queryset, read in chunks of plain values."""
    pks, texts, latest = [], [], None
    for pk, title, text, updated in queryset.values_list("pk", "title", "text", "updated_at").iterator(CHUNK):
        pks.append(pk)
        texts.append(f"{title}\n{text}" if title else text)
        latest = updated if latest is None or updated > latest else latest
    return pks, texts, latest


def build() -> OpenIndex:
    """Vectorise every open demand with the live model's vectorizer."""
    from demands.models import Demand

    vectorizer, version = similarity.live_vectorizer()
    latest = Demand.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    pks, texts, _ = _rows(_open_demands())
    vocabulary: dict = {}
    parts = [similarity.vectorize(texts[i:i + CHUNK], vectorizer) for i in range(0, len(texts), CHUNK)]
    matrix = sp.vstack(parts).tocsc() if parts else sp.csc_matrix((0, similarity.vectorize([""], vectorizer).shape[1]))
    places = entities.incidence(texts, vocabulary)
    return OpenIndex(version, np.array(pks, dtype=np.int64), matrix, places, vocabulary, watermark=latest)


def save(index: OpenIndex) -> Path:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    joblib.dump(index, partial)
    partial.replace(target)
    return target


_cache: dict = {}
_lock = threading.Lock()  # one thread at a time brings the shared index up to date


def current() -> OpenIndex:
    """This process's index: loaded from the saved file or built, then brought up to date."""
    with _lock:
        return _current()


def _current() -> OpenIndex:
    _, version = similarity.live_vectorizer()
    index = _cache.get("index")
    if index is None or index.version != version:
        index = _load(version) or build()
        _cache["index"] = index
    interval = float(getattr(settings, "QIFU_OPEN_INDEX_REFRESH_SECONDS", 5))
    if time.monotonic() - index.checked_at >= interval:
        index = refresh(index)
        _cache["index"] = index
    return index


def _load(version: int) -> OpenIndex | None:
    try:
        index = joblib.load(path())
    except (OSError, EOFError, ValueError):
        return None
    return index if getattr(index, "version", None) == version else None


def refresh(index: OpenIndex) -> OpenIndex:
    """Put in the demands opened or changed since the watermark, take out those no longer open."""
    from demands.models import Demand

    changed = Demand.objects.all()
    if index.watermark is not None:
        changed = changed.filter(updated_at__gt=index.watermark)
    if changed.count() > FULL_REBUILD_ABOVE:
        return build()
    pks, texts, latest = _rows(changed)
    index.checked_at = time.monotonic()
    if not pks:
        return index
    open_pks = set(changed.filter(status__in=similarity.OPEN_STATUSES).values_list("pk", flat=True))
    for pk in pks:  # every changed row is taken out; the open ones come back below with their new text
        row = index.row_of.get(pk)
        if row is not None:
            index.alive[row] = False
    added = [(pk, text) for pk, text in zip(pks, texts, strict=True) if pk in open_pks]
    if added:
        vectorizer, _ = similarity.live_vectorizer()
        new_texts = [text for _, text in added]
        matrix = similarity.vectorize(new_texts, vectorizer)
        places = entities.incidence(new_texts, index.vocabulary)
        width = len(index.vocabulary) or 1
        start = len(index.ids)
        index.added = sp.vstack([index.added, matrix]).tocsr()
        index.places = entities.Incidence(
            sp.vstack([index.places.towns, places.towns]).tocsr(),
            sp.vstack([entities.pad(index.places.others, width), entities.pad(places.others, width)]).tocsr(),
            np.concatenate([index.places.has_town, places.has_town]))
        index.ids = np.concatenate([index.ids, np.array([pk for pk, _ in added], dtype=np.int64)])
        index.alive = np.concatenate([index.alive, np.ones(len(added), dtype=bool)])
        for offset, (pk, _) in enumerate(added):
            index.row_of[pk] = start + offset
    index.watermark = latest if index.watermark is None or latest > index.watermark else index.watermark
    return index


def _allowed_rows(index: OpenIndex, user) -> np.ndarray | None:
    """A mask of the rows the user may see; None when the user sees every demand."""
    from accounts.access import ScopeKind, scope_of
    from demands.access import visible_demands

    if user is None or scope_of(user).kind == ScopeKind.ALL:
        return None
    mask = np.zeros(len(index.ids), dtype=bool)
    for pk in visible_demands(user).filter(status__in=similarity.OPEN_STATUSES).values_list("pk", flat=True):
        row = index.row_of.get(pk)
        if row is not None:
            mask[row] = True
    return mask


def rank(index: OpenIndex, text: str, vectorizer, mask: np.ndarray, limit: int,
         min_score: float) -> list[tuple[int, float]]:
    """(demand pk, score) of the best rows under ``mask``, best first: cosine, then the place rules."""
    query = similarity.vectorize([text], vectorizer)
    scores = np.where(mask, index.scores(query), -1.0)
    wanted = min(len(scores), limit * OVERSAMPLE)
    if wanted == 0:
        return []
    top = np.argpartition(-scores, wanted - 1)[:wanted]
    top = top[scores[top] > 0]
    if not len(top):
        return []
    vocabulary = dict(index.vocabulary)
    asked = entities.incidence([text], vocabulary)
    width = len(vocabulary) or 1
    found = entities.Incidence(index.places.towns[top], entities.pad(index.places.others[top], width),
                               index.places.has_town[top])
    asked = entities.Incidence(asked.towns, entities.pad(asked.others, width), asked.has_town)
    final = similarity.adjusted(scores[top][None, :], asked, found).ravel()
    order = [i for i in np.argsort(-final, kind="stable") if final[i] >= min_score]
    return [(int(index.ids[top[i]]), round(float(min(final[i], 1.0)), 4)) for i in order]


def search(text: str, *, user=None, limit: int = 5, exclude_id: int | None = None,
           min_score: float = similarity.SIMILAR_MIN_SCORE) -> list[tuple[object, float]]:
    """The open demands most like ``text`` that ``user`` may see, best first, as (demand, score)."""
    from demands.access import visible_demands
    from demands.models import Demand

    index = current()
    if not len(index.ids) or not (text or "").strip():
        return []
    vectorizer, _ = similarity.live_vectorizer()
    mask = index.alive.copy()
    allowed = _allowed_rows(index, user)
    if allowed is not None:
        mask &= allowed
    if exclude_id is not None and exclude_id in index.row_of:
        mask[index.row_of[exclude_id]] = False
    ranked = rank(index, text, vectorizer, mask, limit, min_score)
    base = visible_demands(user) if user is not None else Demand.objects.all()
    shown = base.filter(pk__in=[pk for pk, _ in ranked], status__in=similarity.OPEN_STATUSES)
    by_pk = {d.pk: d for d in shown.select_related("enterprise")}
    return [(by_pk[pk], score) for pk, score in ranked if pk in by_pk][:limit]
