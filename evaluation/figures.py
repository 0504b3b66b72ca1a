"""Figures of a round by town and industry group, and year over year (for the summary page)."""

from __future__ import annotations

from django.db.models import Avg, Count, Q

from reference.models import IndustryGroup, Town

from .models import Result, Round, RoundStatus
from .schemes import MEASURE_KEYS

CLASSES = ("A", "B", "C", "D")


def by_dimension(results, dimension: str) -> list[dict]:
    """One row per town (or industry group): enterprises per class, average score, low-efficiency count."""
    column = "town" if dimension == "town" else "industry_group"
    names = {item.pk: item.name for item in (Town if dimension == "town" else IndustryGroup).objects.all()}
    rows = results.values(column).annotate(
        total=Count("id"), average=Avg("score"), low=Count("id", filter=Q(is_low_efficiency=True)),
        **{klass: Count("id", filter=Q(klass=klass)) for klass in CLASSES},
    ).order_by(column)
    table = [{"name": names.get(row[column], "—"), "total": row["total"], "average": row["average"],
              "low": row["low"], "classes": [row[k] for k in CLASSES]} for row in rows]
    return sorted(table, key=lambda r: -r["total"])


def chart_data(table: list[dict]) -> dict:
    """ECharts series: enterprises per class, stacked per row of the table."""
    return {"names": [r["name"] for r in table], "classes": list(CLASSES),
            "series": [[r["classes"][i] for r in table] for i in range(len(CLASSES))]}


def year_over_year(results) -> list[dict]:
    """Per year (its latest round that left the draft): enterprises per class and the average score."""
    rounds = {}
    for round_ in Round.objects.exclude(status=RoundStatus.DRAFT).order_by("year", "id"):
        rounds[round_.year] = round_
    rows = []
    for year, round_ in sorted(rounds.items()):
        counts = results.filter(round=round_).aggregate(
            total=Count("id"), average=Avg("score"), **{k: Count("id", filter=Q(klass=k)) for k in CLASSES})
        rows.append({"year": year, "round": round_, "total": counts["total"], "average": counts["average"],
                     "classes": [counts[k] for k in CLASSES]})
    return rows


def enterprise_history(visible, enterprise_id: int) -> list[Result]:
    """The enterprise's results of every round it can see, newest year first."""
    return list(visible.filter(enterprise_id=enterprise_id).select_related("round__scheme")
                .order_by("-round__year", "-round_id"))


def measure_rows(measures: dict) -> list[tuple[str, object]]:
    """The measures of a class in a fixed order, for the template (key, value)."""
    return [(key, measures[key]) for key in MEASURE_KEYS if key in measures]
