"""Load many demands fast for the benchmarks: the rows of ``demands.demo``, inserted raw.

``demands.demo.generate`` goes through ``bulk_create`` (a model instance, field
preparation and an INSERT statement per 1,000 rows), which takes many minutes for a
million demands.  Here the same generator decides every value (texts, channels,
units, statuses, deadlines in working days, histories), and the rows go in with one
``executemany`` per batch on SQLite and ``COPY`` on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import time

from django.db import connection, transaction

BATCH = 20_000


def load(count: int, *, seed: int = 2026, days_back: int = 5 * 365, log=print) -> dict:
    """Insert ``count`` demands with their event histories; returns counts and seconds."""
    from demands import demo
    from demands.models import Demand, DemandEvent

    ctx = demo._context(seed)
    started = time.perf_counter()
    next_id = (Demand.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    next_event_id = (DemandEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    demand_row = _row_maker(Demand)
    event_columns = ["id", "demand_id", "kind", "from_status", "to_status", "unit_id", "note", "created_at",
                     "is_internal", "data", "actor_id"]
    at = _timestamp if connection.vendor == "sqlite" else (lambda value: value)
    events_total = 0
    for done in range(0, count, BATCH):
        size = min(BATCH, count - done)
        demands, events = [], []
        for i in range(size):
            # Received in the order of their ids, as a live system stores them (rows of a
            # month lie together on disk), with minutes of jitter.
            index = done + i
            received = ctx.now - dt.timedelta(days=days_back * (1 - index / count), minutes=ctx.rng.random() * 30)
            demand = demo._demand(ctx, index + 1, days_back, received)
            demand.id, next_id = next_id, next_id + 1
            demand.created_at = demand.updated_at = demand.received_at
            demands.append(demand_row(demand))
            for kind, before, after, unit, note, when in demo.history(demand):
                events.append((next_event_id, demand.id, kind, before, after, unit, note, at(when), False, "{}", None))
                next_event_id += 1
        with transaction.atomic():
            _insert(Demand._meta.db_table, [f.column for f in Demand._meta.concrete_fields], demands)
            _insert(DemandEvent._meta.db_table, event_columns, events)
        events_total += len(events)
        log(f"  {done + size:,} demands, {events_total:,} events, {time.perf_counter() - started:.0f} s")
    _reset_sequences(Demand, DemandEvent)
    return {"demands": count, "events": events_total, "seconds": round(time.perf_counter() - started, 1)}


def _row_maker(model):
    """A function from an instance to its row, converting only what the backend needs converted."""
    sqlite = connection.vendor == "sqlite"
    getters = []
    for field in model._meta.concrete_fields:
        if field.get_internal_type() == "JSONField":
            getters.append(lambda obj, name=field.attname: json.dumps(getattr(obj, name), ensure_ascii=False))
        elif sqlite and field.get_internal_type() == "DateTimeField":
            getters.append(lambda obj, name=field.attname: _timestamp(getattr(obj, name)))
        else:
            getters.append(lambda obj, name=field.attname: getattr(obj, name))
    return lambda obj: tuple(get(obj) for get in getters)


def _timestamp(value):
    # What Django's SQLite backend stores with USE_TZ: naive UTC text.
    return None if value is None else value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _reset_sequences(*models) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's rowid continues after the largest id by itself
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)
