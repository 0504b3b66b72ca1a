"""Reading and writing the JSON-lines files of the classify/cluster commands."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def read_items(path: str) -> list[dict]:
    """Lines {"id", "text"}; a bad line stops everything with its line number."""
    try:
        handle = open(Path(path), encoding="utf-8")
    except OSError as error:
        raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}) from error
    items, seen = [], set()
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            item = _parse(line, number)
            if str(item["id"]) in seen:
                raise CommandError(_("Line %(number)d: duplicate id %(id)s.") % {"number": number, "id": item["id"]})
            seen.add(str(item["id"]))
            items.append(item)
    return items


def _parse(line: str, number: int) -> dict:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise CommandError(_("Line %(number)d is not valid JSON: %(error)s") % {"number": number, "error": error}
                           ) from error
    if not isinstance(item, dict) or item.get("id") in (None, ""):
        raise CommandError(_("Line %(number)d has no \"id\".") % {"number": number})
    if not isinstance(item.get("text"), str) or not item["text"].strip():
        raise CommandError(_("Line %(number)d has no \"text\".") % {"number": number})
    return item


def write_items(path: str, items: list[dict]) -> None:
    with open(Path(path), "w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
