"""The vectorised evaluation: one Polars frame of facts in, one frame of results out.

For every enterprise and every indicator of its group the output keeps the value, the
ratio to the benchmark, the points and how missing data was filled, so that the page
of one enterprise can show its whole calculation::

    points = weight × min(value / benchmark, cap)        (never below 0)
    score  = Σ points − deductions                       (never below 0)

A value is missing when a figure is not on file, or when its denominator is zero (an
enterprise with no land of its own has no tax per mu); the indicator's ``missing``
rule then fills the points (the group's average or minimum, or an explicit zero), and
the fill is recorded.  Numbers are rounded (values, ratios, points to 4 decimals, the
score to 2) so that the same facts and scheme give exactly the same results.
"""

from __future__ import annotations

import polars as pl

from .schemes import METRICS, Group, ParsedScheme

INPUT_SCHEMA = {
    "enterprise_id": pl.Int64, "above_scale": pl.Boolean, "land_area_mu": pl.Float64,
    "tax_paid_fen": pl.Int64, "value_added_fen": pl.Int64, "revenue_fen": pl.Int64,
    "energy_tce": pl.Float64, "emissions_t": pl.Float64, "rd_spending_fen": pl.Int64,
    "employees": pl.Int64, "sublet_tenants": pl.Int64,
}
FACT_COLUMNS = tuple(c for c in INPUT_SCHEMA if c != "enterprise_id")


def evaluate(facts: pl.DataFrame, scheme: ParsedScheme) -> pl.DataFrame:
    """Score and class every row of ``facts`` (columns of INPUT_SCHEMA) under ``scheme``."""
    facts = facts.select([pl.col(c).cast(t) for c, t in INPUT_SCHEMA.items()])
    assigned = facts.with_columns(_group_expressions(scheme)).with_columns(_tax_per_mu(scheme))
    parts = [_evaluate_group(assigned.filter(pl.col("group") == g.code), g, scheme) for g in scheme.groups]
    return pl.concat([p for p in parts if p.height], how="diagonal_relaxed") if any(p.height for p in parts) \
        else assigned.head(0)


def _condition(name: str, value) -> pl.Expr:
    land = pl.col("land_area_mu")
    if name == "above_scale":
        return pl.col("above_scale").fill_null(False) == bool(value)
    if name == "own_land":
        # Land not on file is not "no land": it stays in the land groups and its per-mu values are missing.
        return (land.is_null() | (land > 0)) if value else (land == 0)
    if name == "land_min":
        return land >= float(value)
    return land < float(value)  # land_max


def _group_expressions(scheme: ParsedScheme) -> list[pl.Expr]:
    matches = [pl.all_horizontal([_condition(n, v) for n, v in g.when]) if g.when else pl.lit(True)
               for g in scheme.groups]
    chain = pl.when(matches[0]).then(pl.lit(scheme.groups[0].code))
    for match, group in zip(matches[1:], scheme.groups[1:], strict=True):
        chain = chain.when(match).then(pl.lit(group.code))
    matched = pl.any_horizontal([m.fill_null(False) for m in matches])
    return [chain.otherwise(pl.lit(scheme.fallback_group)).alias("group"),
            pl.when(matched).then(pl.lit("matched")).otherwise(pl.lit("fallback")).alias("group_rule")]


def _tax_per_mu(scheme: ParsedScheme) -> list[pl.Expr]:
    land = pl.col("land_area_mu")
    value = pl.when(land > 0).then(pl.col("tax_paid_fen") * 1e-6 / land).round(4)
    return [value.alias("tax_per_mu"),
            (value < scheme.low_efficiency_tax_per_mu_wan).fill_null(False).alias("is_low_efficiency")]


def _metric(metric: str) -> tuple[pl.Expr, pl.Expr]:
    """The value of a metric and why it is missing ("data", "missing" or "zero_denominator")."""
    numerator, denominator, multiplier = METRICS[metric]
    num = pl.col(numerator).cast(pl.Float64)
    if denominator is None:
        value = (num * multiplier).round(4)
        reason = pl.when(num.is_null()).then(pl.lit("missing")).otherwise(pl.lit("data"))
        return value, reason
    den = pl.col(denominator).cast(pl.Float64)
    reason = (pl.when(num.is_null() | den.is_null()).then(pl.lit("missing"))
              .when(den == 0).then(pl.lit("zero_denominator")).otherwise(pl.lit("data")))
    value = pl.when(reason == "data").then(num * multiplier / den).round(4)
    return value, reason


def _evaluate_group(frame: pl.DataFrame, group: Group, scheme: ParsedScheme) -> pl.DataFrame:
    if frame.height == 0:
        return frame
    raw = []
    for ind in group.indicators:
        value, reason = _metric(ind.metric)
        ratio = (value / ind.benchmark).round(4)
        points = (ratio.clip(0, ind.cap) * ind.weight).round(4)
        m = ind.metric
        raw += [value.alias(f"{m}__value"), reason.alias(f"{m}__reason"), ratio.alias(f"{m}__ratio"),
                points.alias(f"{m}__raw")]
    frame = frame.with_columns(raw).with_columns([_filled(ind) for ind in group.indicators for _filled in
                                                  (_fill_points, _fill_label)])
    deductions = [(pl.col(d.fact).fill_null(0).cast(pl.Float64) * d.points_each).clip(0, d.max_points)
                  .round(4).alias(f"deduct__{d.code}") for d in scheme.deductions]
    frame = frame.with_columns(deductions) if deductions else frame
    points = [pl.col(f"{ind.metric}__points") for ind in group.indicators]
    taken = [pl.col(f"deduct__{d.code}") for d in scheme.deductions] or [pl.lit(0.0)]
    score = (pl.sum_horizontal(points) - pl.sum_horizontal(taken)).clip(lower_bound=0).round(2)
    frame = frame.with_columns(score.alias("score")).with_columns(
        pl.col("score").rank("min", descending=True).cast(pl.Int64).alias("rank"),
        pl.len().cast(pl.Int64).alias("group_size"),
    ).with_columns((pl.col("rank") / pl.col("group_size")).round(6).alias("percentile"))
    return frame.with_columns(_klass(group).alias("klass")).drop([f"{i.metric}__raw" for i in group.indicators])


def _fill_points(ind) -> pl.Expr:
    raw = pl.col(f"{ind.metric}__raw")
    if ind.missing == "group_average":
        fill = raw.mean().round(4)
    elif ind.missing == "group_minimum":
        fill = raw.min()
    else:
        fill = pl.lit(0.0)
    # No enterprise of the group has the figure: the fill is zero, and the label says why.
    return raw.fill_null(fill.fill_null(0.0)).alias(f"{ind.metric}__points")


def _fill_label(ind) -> pl.Expr:
    raw = pl.col(f"{ind.metric}__raw")
    rule = pl.lit(ind.missing)
    if ind.missing != "zero":
        rule = pl.when(raw.count() > 0).then(rule).otherwise(pl.lit("zero_no_group_data"))
    return pl.when(raw.is_null()).then(rule).otherwise(pl.lit("data")).alias(f"{ind.metric}__fill")


def _klass(group: Group) -> pl.Expr:
    rule = group.classes
    column = pl.col("score") if rule.method == "score" else pl.col("percentile")
    (a, ta), (b, tb), (c, tc) = rule.cutoffs
    if rule.method == "score":
        return pl.when(column >= ta).then(pl.lit(a)).when(column >= tb).then(pl.lit(b)) \
            .when(column >= tc).then(pl.lit(c)).otherwise(pl.lit("D"))
    return pl.when(column <= ta).then(pl.lit(a)).when(column <= tb).then(pl.lit(b)) \
        .when(column <= tc).then(pl.lit(c)).otherwise(pl.lit("D"))
