"""Size class for industrial enterprises (工信部联企业〔2011〕300号, 工业).

Thresholds are data: employees and revenue (in fen) a class needs at least.  The
rule reads: large needs >= 1000 employees AND >= 4亿 revenue; medium >= 300 AND
>= 2000万; small >= 20 AND >= 300万; anything below is micro.
"""

from __future__ import annotations

from .models import SizeClass

WAN = 1_000_000  # fen in 1万元

INDUSTRY_THRESHOLDS: tuple[tuple[str, int, int], ...] = (
    (SizeClass.LARGE, 1000, 40_000 * WAN),
    (SizeClass.MEDIUM, 300, 2_000 * WAN),
    (SizeClass.SMALL, 20, 300 * WAN),
)


def size_class_for(employees: int | None, revenue_fen: int | None) -> str:
    """The size class, or UNKNOWN when either figure is missing."""
    if employees is None or revenue_fen is None:
        return SizeClass.UNKNOWN
    for size, min_employees, min_revenue in INDUSTRY_THRESHOLDS:
        if employees >= min_employees and revenue_fen >= min_revenue:
            return size
    return SizeClass.MICRO
