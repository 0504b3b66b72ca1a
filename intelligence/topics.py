"""Hot topics (热点问题) of a period for the briefings: clusters of demands about one problem.

``hot_topics(start, end)`` clusters the demands received in the period (see
:func:`intelligence.similarity.cluster_texts`) and keeps the groups of two or more,
the ones reported by the most enterprises first.  Each topic carries a short label made
of its most telling words, so a weekly report can print it without reading every demand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from . import similarity, text

# Clustering holds a few n × n arrays (2,000 demands: about 32 MB each): a period's newest demands
# up to this many (a week of the city's demands is some hundreds).
MAX_DEMANDS = 2000
LABEL_WORDS = 3


@dataclass
class HotTopic:
    label: str  # "停电 · 周巷 · 工业园区"
    size: int  # demands
    enterprises: list[tuple[int, str]]  # (pk, name), the first reporter first
    demand_ids: list[int]  # oldest first
    keywords: list[str] = field(default_factory=list)

    @property
    def enterprise_count(self) -> int:
        return len(self.enterprises)


def hot_topics(start, end, limit: int = 10) -> list[HotTopic]:
    """Clusters of the demands received in [start, end), most enterprises first, then most demands."""
    from demands.models import Demand, Status

    demands = list(Demand.objects.filter(received_at__gte=start, received_at__lt=end)
                   .exclude(status=Status.WITHDRAWN).select_related("enterprise")
                   .order_by("-received_at", "-id")[:MAX_DEMANDS])
    if len(demands) < 2:
        return []
    clusters = similarity.cluster_demands(demands)
    groups: dict[int, list] = {}
    for demand in demands:
        if clusters[demand.pk] is not None:
            groups.setdefault(clusters[demand.pk], []).append(demand)
    topics = [_topic(sorted(members, key=lambda d: (d.received_at, d.pk))) for members in groups.values()]
    topics.sort(key=lambda t: (-t.enterprise_count, -t.size, t.demand_ids[0]))
    return topics[:limit]


def _topic(members: list) -> HotTopic:
    enterprises: dict[int, str] = {}
    for demand in members:
        if demand.enterprise_id is not None:
            enterprises.setdefault(demand.enterprise_id, demand.enterprise.name)
    keywords = label_words([d.text for d in members])
    return HotTopic(label=" · ".join(keywords), size=len(members), enterprises=list(enterprises.items()),
                    demand_ids=[d.pk for d in members], keywords=keywords)


def label_words(texts: list[str], count: int = LABEL_WORDS) -> list[str]:
    """The words most of the texts share, rarer words first (IDF of the live model's corpus)."""
    idf = _idf()
    seen: Counter = Counter()
    for item in texts:
        seen.update({w for w in text.words(item) if "_" not in w and len(w) > 1 and not w.isdigit()})
    if not seen:
        return []
    floor = max(2, int(np.ceil(len(texts) / 2))) if len(texts) > 1 else 1
    shared = [w for w, n in seen.items() if n >= floor] or [w for w, _ in seen.most_common(count)]
    shared.sort(key=lambda w: (-seen[w] * idf.get(w, max(idf.values(), default=1.0)), w))
    return shared[:count]


def _idf() -> dict[str, float]:
    vectorizer, _ = similarity.live_vectorizer()
    words = dict(vectorizer.transformer_list)["words"]
    return dict(zip(words.get_feature_names_out(), words.idf_, strict=True))
