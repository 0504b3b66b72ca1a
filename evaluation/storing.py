"""From the registry to the engine and back: the facts frame of a year, and result rows.

The facts an enterprise was evaluated on are kept in its result (``calculation.inputs``),
so a round can be replayed later with its scheme version (:func:`replay`) and give the
same results even after the registry's figures were corrected.
"""

from __future__ import annotations

import json
from decimal import Decimal

import polars as pl
from django.db import connection

from enterprises.models import Enterprise, YearFigures

from .engine import FACT_COLUMNS, INPUT_SCHEMA, evaluate
from .models import Result, Round, SubletDeclaration
from .schemes import ParsedScheme

ABOVE_SCALE_TAG = "above_scale"
FIGURES = ("tax_paid_fen", "value_added_fen", "revenue_fen", "land_area_mu", "energy_tce", "emissions_t",
           "rd_spending_fen", "employees")


def facts_frame(year: int) -> pl.DataFrame:
    """Every enterprise with figures for ``year``, with its town and industry group (one row each)."""
    rows = list(YearFigures.objects.filter(year=year).values_list("enterprise_id", *FIGURES))
    figures = pl.DataFrame(rows, schema={"enterprise_id": pl.Int64, "tax_paid_fen": pl.Int64,
                                         "value_added_fen": pl.Int64, "revenue_fen": pl.Int64,
                                         "land_area_mu": pl.Float64, "energy_tce": pl.Float64,
                                         "emissions_t": pl.Float64, "rd_spending_fen": pl.Int64,
                                         "employees": pl.Int64}, orient="row")
    above = set(Enterprise.tags.through.objects.filter(enterprisetag__code=ABOVE_SCALE_TAG)
                .values_list("enterprise_id", flat=True))
    sublet = dict(SubletDeclaration.objects.filter(year=year).values_list("enterprise_id", "sublet_tenants"))
    places = pl.DataFrame(list(Enterprise.objects.values_list("id", "town_id", "industry_group_id")),
                          schema={"enterprise_id": pl.Int64, "town_id": pl.Int64, "industry_group_id": pl.Int64},
                          orient="row")
    ids = figures["enterprise_id"].to_list()
    extra = pl.DataFrame({"enterprise_id": ids, "above_scale": [i in above for i in ids],
                          "sublet_tenants": [sublet.get(i, 0) for i in ids]},
                         schema={"enterprise_id": pl.Int64, "above_scale": pl.Boolean, "sublet_tenants": pl.Int64})
    return figures.join(extra, on="enterprise_id").join(places, on="enterprise_id", how="left").sort("enterprise_id")


def evaluate_year(year: int, scheme: ParsedScheme) -> pl.DataFrame:
    """The results of the registry's figures of ``year`` under ``scheme`` (nothing is stored)."""
    facts = facts_frame(year)
    return evaluate(facts, scheme).join(facts.select("enterprise_id", "town_id", "industry_group_id"),
                                        on="enterprise_id").sort("enterprise_id")


def replay(round_: Round) -> pl.DataFrame:
    """Evaluate the facts stored with a round's results again, with the round's scheme version."""
    inputs = [{"enterprise_id": e, **calc["inputs"]} for e, calc in
              Result.objects.filter(round=round_).values_list("enterprise_id", "calculation")]
    facts = pl.DataFrame(inputs, schema=INPUT_SCHEMA)
    return evaluate(facts, round_.scheme.parsed()).sort("enterprise_id")


def result_fields(row: dict, scheme: ParsedScheme) -> dict:
    """The stored fields of one output row: score, class, rank and the calculation shown to people."""
    group = scheme.group(row["group"])
    indicators = [{
        "metric": ind.metric, "weight": ind.weight, "benchmark": ind.benchmark, "cap": ind.cap,
        "value": row[f"{ind.metric}__value"], "ratio": row[f"{ind.metric}__ratio"],
        "points": row[f"{ind.metric}__points"], "filled": row[f"{ind.metric}__fill"],
        "reason": row[f"{ind.metric}__reason"], "missing_rule": ind.missing,
    } for ind in group.indicators]
    deductions = [{"code": d.code, "fact": d.fact, "units": row[d.fact] or 0, "points_each": d.points_each,
                   "points": row[f"deduct__{d.code}"]} for d in scheme.deductions]
    return {
        "group": row["group"], "score": Decimal(str(row["score"])).quantize(Decimal("0.01")),
        "rank": row["rank"], "group_size": row["group_size"], "klass": row["klass"],
        "tax_per_mu_wan": None if row["tax_per_mu"] is None else Decimal(str(row["tax_per_mu"])),
        "is_low_efficiency": row["is_low_efficiency"],
        "calculation": {"group_rule": row["group_rule"], "percentile": row["percentile"],
                        "inputs": {c: row[c] for c in FACT_COLUMNS}, "indicators": indicators,
                        "deductions": deductions},
    }



_COLUMNS = (("town_id", "bigint"), ("industry_group_id", "bigint"), ("group", "varchar(30)"),
            ("score", "numeric(7, 2)"), ("rank", "integer"), ("group_size", "integer"), ("klass", "varchar(1)"),
            ("tax_per_mu_wan", "numeric(14, 4)"), ("is_low_efficiency", "boolean"), ("calculation", "text"))


def update_in_place(results: list[Result]) -> None:
    """Rewrite the stored fields of many results with one UPDATE … FROM a temporary table.

    Django's bulk_update writes a CASE per field and row, which takes minutes for 30,000
    results; computing again after corrections changes most ranks, so most rows change.
    """
    if not results:
        return
    table, jsonb = Result._meta.db_table, connection.vendor == "postgresql"
    names = [name for name, _type in _COLUMNS]
    rows = [(r.pk, *(json.dumps(r.calculation) if n == "calculation" else getattr(r, n) for n in names))
            for r in results]
    assignments = ", ".join(f'"{n}" = n."{n}"' + ("::jsonb" if jsonb and n == "calculation" else "") for n in names)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS evaluation_result_new")
        cursor.execute("CREATE TEMPORARY TABLE evaluation_result_new (id bigint PRIMARY KEY, "
                       + ", ".join(f'"{n}" {t}' for n, t in _COLUMNS) + ")")
        placeholders = ", ".join(["%s"] * (len(names) + 1))
        for start in range(0, len(rows), 2000):
            cursor.executemany(f"INSERT INTO evaluation_result_new VALUES ({placeholders})", rows[start:start + 2000])
        cursor.execute(f'UPDATE {table} SET {assignments} FROM evaluation_result_new AS n WHERE {table}.id = n.id')
        cursor.execute("DROP TABLE evaluation_result_new")


def store(round_: Round, frame: pl.DataFrame, scheme: ParsedScheme) -> int:
    """Write the frame's rows as the round's results; existing results are updated in place so
    their confirmations and history stay.  Returns the number of results."""
    existing = {r.enterprise_id: r for r in Result.objects.filter(round=round_)}
    new, changed, unchanged = [], [], 0
    for row in frame.iter_rows(named=True):
        fields = result_fields(row, scheme) | {"town_id": row["town_id"], "industry_group_id": row["industry_group_id"]}
        result = existing.pop(row["enterprise_id"], None)
        if result is None:
            new.append(Result(round=round_, enterprise_id=row["enterprise_id"], **fields))
        elif any(getattr(result, name) != value for name, value in fields.items()):
            # Only what changed is written: computing again after a few corrections touches few rows.
            for name, value in fields.items():
                setattr(result, name, value)
            changed.append(result)
        else:
            unchanged += 1
    Result.objects.bulk_create(new, batch_size=1000)
    update_in_place(changed)
    Result.objects.filter(pk__in=[r.pk for r in existing.values()]).delete()
    return len(new) + len(changed) + unchanged
