"""Reference data of the zone and the rankings, and the published schemes, loaded from evaluation/data/."""

from __future__ import annotations

from pathlib import Path

import yaml

from .models import RankingTable, ZoneModule

DATA = Path(__file__).resolve().parent / "data"


def load(name: str) -> dict:
    with open(DATA / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def seed_zone() -> tuple[int, int]:
    """Create the zone modules and ranking tables that are missing; what administrators changed
    (order, active, places shown) is kept.  Returns (modules created, tables created)."""
    data = load("zone.yaml")
    modules = tables = 0
    for order, (code, item) in enumerate(data["modules"].items()):
        _, created = ZoneModule.objects.get_or_create(code=code, defaults={
            "name_zh": item["zh"], "name_en": item["en"], "url_name": item["url"], "icon": item["icon"],
            "sort_order": (order + 1) * 10})
        modules += created
    for order, (code, item) in enumerate(data["rankings"].items()):
        _, created = RankingTable.objects.get_or_create(code=code, defaults={
            "name_zh": item["zh"], "name_en": item["en"], "metric": item["metric"], "partition": item["partition"],
            "top_n": item["top_n"], "above_scale_only": item.get("above_scale_only", False),
            "sort_order": (order + 1) * 10})
        tables += created
    return modules, tables
