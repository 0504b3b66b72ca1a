"""League tables of 慈榜 from the registry's figures (and the evaluation's scores), as data tables say."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from django.core.cache import cache
from django.db.models import Max
from django.utils import translation

from enterprises.models import Enterprise
from reference.models import IndustryGroup, Town

from .models import RankingTable, Result, Round, RoundStatus
from .storing import facts_frame

CACHE_SECONDS = 600


@dataclass
class Section:
    title: str
    rows: list[dict] = field(default_factory=list)  # rank, enterprise_id, name, value


def metric_frame(year: int, metric: str) -> pl.DataFrame:
    """enterprise_id, town_id, industry_group_id, above_scale, value — rows with a value only."""
    if metric == "score":
        return _scores(year)
    facts = facts_frame(year)
    land, revenue = pl.col("land_area_mu"), pl.col("revenue_fen")
    if metric in ("tax_growth", "revenue_growth"):
        column = "tax_paid_fen" if metric == "tax_growth" else "revenue_fen"
        before = facts_frame(year - 1).select("enterprise_id", pl.col(column).alias("before"))
        facts = facts.join(before, on="enterprise_id", how="left")
        value = pl.when(pl.col("before") > 0).then((pl.col(column) / pl.col("before") - 1) * 100)
    elif metric == "rd_intensity":
        value = pl.when(revenue > 0).then(pl.col("rd_spending_fen") * 100 / revenue)
    else:
        column = "tax_paid_fen" if metric == "tax_per_mu" else "value_added_fen"
        value = pl.when(land > 0).then(pl.col(column) * 1e-6 / land)
    return facts.with_columns(value.round(2).alias("value")).filter(pl.col("value").is_not_null()).select(
        "enterprise_id", "town_id", "industry_group_id", "above_scale", "value")


def _scores(year: int) -> pl.DataFrame:
    round_ = Round.objects.filter(year=year).exclude(status=RoundStatus.DRAFT).order_by("-id").first()
    rows = list(Result.objects.filter(round=round_).values_list(
        "enterprise_id", "town_id", "industry_group_id", "group", "score")) if round_ else []
    frame = pl.DataFrame(rows, schema={"enterprise_id": pl.Int64, "town_id": pl.Int64, "industry_group_id": pl.Int64,
                                       "group": pl.String, "value": pl.Float64}, orient="row")
    return frame.with_columns((pl.col("group") == "above_scale").alias("above_scale")).drop("group")


def league(table: RankingTable, year: int) -> list[Section]:
    """The table's sections (one city-wide, or one per town / industry group), each with its top places."""
    # A new computation (or a changed table) makes a new key, so the cache never shows an old round.
    last = Round.objects.aggregate(last=Max("computed_at"))["last"]
    computed = last.timestamp() if last else 0
    key = f"evaluation-league:{table.pk}:{table.updated_at.timestamp()}:{computed}:{year}:{translation.get_language()}"
    cached = cache.get(key)
    if cached is None:
        cached = _league(table, year)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _league(table: RankingTable, year: int) -> list[dict]:
    frame = metric_frame(year, table.metric)
    if table.above_scale_only:
        frame = frame.filter(pl.col("above_scale"))
    frame = frame.with_columns(pl.col("value").cast(pl.Float64))
    if table.partition == RankingTable.Partition.CITY:
        parts = [("", frame)]
    else:
        column = "town_id" if table.partition == RankingTable.Partition.TOWN else "industry_group_id"
        names = _names(column)
        parts = [(names.get(key, "—"), part) for (key,), part in
                 sorted(frame.partition_by(column, as_dict=True).items(), key=lambda kv: str(names.get(kv[0][0])))]
    sections = []
    for title, part in parts:
        top = part.sort(["value", "enterprise_id"], descending=[True, False]).head(table.top_n)
        sections.append({"title": title, "size": part.height, "rows": top.select("enterprise_id", "value").to_dicts()})
    ids = {row["enterprise_id"] for s in sections for row in s["rows"]}
    names = dict(Enterprise.objects.filter(pk__in=ids).values_list("id", "name"))
    for section in sections:
        for place, row in enumerate(section["rows"], start=1):
            row.update(rank=place, name=names.get(row["enterprise_id"], ""))
    return sections


def _names(column: str) -> dict:
    model = Town if column == "town_id" else IndustryGroup
    return {item.pk: item.name for item in model.objects.all()}


def position_of(table: RankingTable, year: int, enterprise) -> dict | None:
    """Where one enterprise stands in its section: rank and section size (None without a value)."""
    frame = metric_frame(year, table.metric)
    if table.above_scale_only:
        frame = frame.filter(pl.col("above_scale"))
    if table.partition == RankingTable.Partition.TOWN:
        frame = frame.filter(pl.col("town_id") == enterprise.town_id)
    elif table.partition == RankingTable.Partition.INDUSTRY_GROUP:
        if enterprise.industry_group_id is None:
            return None
        frame = frame.filter(pl.col("industry_group_id") == enterprise.industry_group_id)
    mine = frame.filter(pl.col("enterprise_id") == enterprise.pk)
    if mine.height == 0:
        return None
    value = mine["value"][0]
    return {"rank": frame.filter(pl.col("value") > value).height + 1, "size": frame.height, "value": value}
