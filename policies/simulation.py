"""Budget simulation (预算模拟): what a rule version would pay the registry's subjects.

One version, or two side by side (the one in force and a draft with changed
parameters), evaluated with the vectorised engine over every subject of a year, then
counted and summed by town, industry group and Cixi reward class against the budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from enterprises.models import Enterprise, Project

from .models import PolicyVersion
from .rules import ELIGIBLE
from .rules.vector import evaluate_frame
from .subjects import facts_frame

DIMENSIONS = ("town", "industry_group", "industry_class")


@dataclass
class Simulation:
    version: PolicyVersion
    subjects: int
    total_fen: int
    by: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)  # dimension → (name, count, fen)


def simulate(version: PolicyVersion, year: int) -> Simulation:
    """The eligible subjects of ``year`` under ``version`` and what they would be paid."""
    results = evaluate_frame([version.compile()], facts_frame(year))
    paid = results.filter(pl.col("status") == ELIGIBLE).join(_dimensions(year), on="subject_id", how="left")
    by = {}
    for dimension in DIMENSIONS:
        grouped = (paid.group_by(dimension).agg(pl.len().alias("n"), pl.col("amount_fen").sum().alias("fen"))
                   .sort("fen", descending=True))
        by[dimension] = [(name or "—", n, fen or 0) for name, n, fen in grouped.iter_rows()]
    return Simulation(version, paid.height, int(paid["amount_fen"].sum() or 0), by)


def _dimensions(year: int) -> pl.DataFrame:
    """subject_id → town, industry group, reward class (projects only), as in facts_frame."""
    rows = [
        (f"enterprise:{pk}", town, group, None)
        for pk, town, group in Enterprise.objects.values_list("pk", "town__name_zh", "industry_group__name_zh")
    ]
    rows += [
        (f"project:{pk}", town, group, klass or None)
        for pk, town, group, klass in Project.objects.filter(year=year).values_list(
            "pk", "enterprise__town__name_zh", "enterprise__industry_group__name_zh", "industry_class")
    ]
    return pl.DataFrame(rows, schema={name: pl.String for name in ("subject_id", *DIMENSIONS)}, orient="row")


def default_year() -> int | None:
    """The latest year with projects, the year a tech-upgrade budget is usually planned for."""
    return Project.objects.order_by("-year").values_list("year", flat=True).first()
