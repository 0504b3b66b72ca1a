"""Whole-population matching (政策帮享): every subject against every published version, kept in a table.

``refresh_matches`` evaluates with the vectorised engine (exclusive groups applied, as
in the check-up: enterprise rules on enterprises, project rules on projects) and
re-evaluates only what changed since the last run:

* a subject whose facts hash differs from the one recorded at its last evaluation
  (PolicySubjectFacts), or that is new, against every version;
* every subject against the versions published or retired since the last run, together
  with the other versions of their exclusive groups (a new rival can change who wins).

Everything else keeps its rows untouched, ``evaluated_at`` included.  A run for another
year than the last one starts from an empty table.  Rows are written in bulk
(``insert_matches``: COPY on PostgreSQL), 2.4 million of them for 1,000 policies and
30,000 enterprises (bench/policy_matching.py).
"""

from __future__ import annotations

import hashlib
import json

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from enterprises.models import Project, YearFigures

from .models import PolicyMatch, PolicyMatchRun, PolicySubjectFacts, PolicyVersion, SubjectKind
from .rules.vector import evaluate_frame
from .subjects import facts_frame

BATCH = 1000


def default_year() -> int:
    """The latest year with figures or projects, else last year."""
    years = [
        YearFigures.objects.order_by("-year").values_list("year", flat=True).first(),
        Project.objects.order_by("-year").values_list("year", flat=True).first(),
    ]
    known = [year for year in years if year]
    return max(known) if known else timezone.localdate().year - 1


def facts_hash(facts: dict) -> str:
    """sha256 of the facts as sorted JSON (Decimal and other values as text)."""
    text = json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def refresh_matches(year: int | None = None) -> dict[str, int]:
    """Bring the match table up to date with the facts of ``year``; returns what was done."""
    year = year or default_year()
    frame = facts_frame(year)
    hashes = {row.pop("subject_id"): facts_hash(row) for row in frame.to_dicts()}
    frame = frame.with_columns(pl.col("subject_id").replace_strict(hashes, return_dtype=pl.String).alias("_hash"))
    versions = list(PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).select_related("policy"))
    current_ids = {version.pk for version in versions}
    last = PolicyMatchRun.objects.order_by("-finished_at", "-id").first()
    # Another year's (or no) previous run: start again from an empty table.
    fresh = last is None or last.year != year
    previous_ids = set() if fresh else set(last.version_ids)
    dirty = [] if fresh else _dirty_versions(versions, current_ids ^ previous_ids)
    stored = {} if fresh else dict(PolicySubjectFacts.objects.values_list("subject", "facts_hash"))
    changed = {subject for subject, digest in hashes.items() if stored.get(subject) != digest}
    gone = set(stored) - set(hashes)  # enterprises and projects no longer among the year's subjects
    owners = dict(Project.objects.filter(year=year).values_list("pk", "enterprise_id"))
    now = timezone.now()
    rows = pl.concat([
        _evaluate(versions, frame.filter(pl.col("subject_id").is_in(list(changed))), owners),
        _evaluate(dirty, frame.filter(~pl.col("subject_id").is_in(list(changed))), owners),
    ])
    with transaction.atomic():
        if fresh:
            deleted = PolicyMatch.objects.all().delete()[0]
            PolicySubjectFacts.objects.all().delete()
        else:
            deleted = _delete_stale(previous_ids - current_ids, dirty, changed | gone)
        written = insert_matches(rows, now, empty_table=fresh)
        _store_hashes({subject: hashes[subject] for subject in changed}, changed | gone, now, fresh=fresh)
        counts = {
            "subjects": len(hashes),
            "changed_subjects": len(changed),
            "versions": len(versions),
            "new_versions": len(current_ids - previous_ids),
            "dirty_versions": len(dirty),
            "written": written,
            "deleted": deleted,
        }
        PolicyMatchRun.objects.create(year=year, finished_at=now, version_ids=sorted(current_ids), counts=counts)
    return counts


def _dirty_versions(versions: list[PolicyVersion], touched_ids: set[int]) -> list[PolicyVersion]:
    """The versions touched since the last run and every published rival in their exclusive groups."""
    touched = PolicyVersion.objects.filter(pk__in=touched_ids).select_related("policy")
    groups = {v.policy.exclusive_group for v in touched if v.policy.exclusive_group}
    return [v for v in versions if v.pk in touched_ids or v.policy.exclusive_group in groups]


def _store_hashes(hashes: dict[str, str], replaced: set[str], now, *, fresh: bool) -> None:
    """Record the facts each re-evaluated subject was evaluated with."""
    if not fresh:
        replaced_list = sorted(replaced)
        for start in range(0, len(replaced_list), BATCH):
            PolicySubjectFacts.objects.filter(subject__in=replaced_list[start : start + BATCH]).delete()
    PolicySubjectFacts.objects.bulk_create(
        [PolicySubjectFacts(subject=subject, facts_hash=digest, evaluated_at=now) for subject, digest in hashes.items()],
        batch_size=BATCH,
    )


def _evaluate(versions: list[PolicyVersion], frame: pl.DataFrame, owners: dict[int, int]) -> pl.DataFrame:
    """Match rows for ``frame`` under ``versions``, each kind of rule on its kind of subject (a table of MATCH_COLUMNS)."""
    parts = []
    for kind in (SubjectKind.ENTERPRISE, SubjectKind.PROJECT):
        # A rule without a subject kind applies to enterprises only (as in the check-up).
        of_kind = [v for v in versions if (v.policy.subject_kind or SubjectKind.ENTERPRISE) == kind]
        subjects = frame.filter(pl.col("subject_kind") == kind)
        if not of_kind or subjects.is_empty():
            continue
        results = evaluate_frame([v.compile() for v in of_kind], subjects.drop("_hash"))
        codes = {v.policy.code: v.pk for v in of_kind}
        pk = pl.col("subject_id").str.split_exact(":", 1).struct.field("field_1").cast(pl.Int64)
        if kind == SubjectKind.PROJECT:
            ids = [pk.replace_strict(owners, return_dtype=pl.Int64).alias("enterprise_id"), pk.alias("project_id")]
        else:
            ids = [pk.alias("enterprise_id"), pl.lit(None, dtype=pl.Int64).alias("project_id")]
        parts.append(
            results.select(pl.col("policy_code").replace_strict(codes, return_dtype=pl.Int64).alias("version_id"),
                           *ids, "status", "amount_fen")
        )
    return pl.concat(parts) if parts else pl.DataFrame(schema=MATCH_SCHEMA)


MATCH_SCHEMA = {"version_id": pl.Int64, "enterprise_id": pl.Int64, "project_id": pl.Int64, "status": pl.String,
                "amount_fen": pl.Int64}


def insert_matches(rows: pl.DataFrame, now, *, empty_table: bool = False) -> int:
    """Write match rows in bulk: COPY on PostgreSQL, one executemany on SQLite (no model instance per row).

    Match rows are derived data, rewritten by every refresh; they are not in the
    operation log (the run, its counts and the versions it used are: PolicyMatchRun).
    Loading a large batch into an empty table, the indexes are dropped and built again
    afterwards (on SQLite three times faster than keeping them up to date row by row).
    """
    if rows.is_empty():
        return 0
    columns = [*MATCH_SCHEMA, "evaluated_at"]
    table = PolicyMatch._meta.db_table
    rows = rows.sort("version_id", "enterprise_id", "project_id")  # index order: fewer pages touched
    bulk = empty_table and rows.height > REBUILD_ROWS
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rebuild = _drop_postgres_indexes(cursor, table) if bulk else []
            data = rows.with_columns(pl.lit(now.isoformat()).alias("evaluated_at")).write_csv(include_header=False)
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(data)
            if rebuild:
                # The foreign keys are checked at commit; an index cannot be built with checks pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for statement in rebuild:
                    cursor.execute(statement)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return rows.height
        rebuild = _drop_sqlite_indexes(cursor, table) if bulk else []
        stamp = connection.ops.adapt_datetimefield_value(now)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['?'] * len(columns))})"
        raw = cursor.cursor  # the sqlite3 cursor: no per-row query rewriting
        for start in range(0, rows.height, 200_000):
            raw.executemany(sql, rows.slice(start, 200_000).with_columns(pl.lit(stamp).alias("evaluated_at")).iter_rows())
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MiB while the indexes are built
        for statement in rebuild:
            cursor.execute(statement)
        cursor.execute("PRAGMA cache_size=-2000")
    return rows.height


REBUILD_ROWS = 100_000


def _drop_postgres_indexes(cursor, table: str) -> list[str]:
    """Drop the table's plain and partial indexes (not those behind a constraint); return how to make them again."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _sql in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in indexes]


def _drop_sqlite_indexes(cursor, table: str) -> list[str]:
    """Drop the table's indexes; return the statements that create them again."""
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                   [table])
    indexes = cursor.fetchall()
    for name, _sql in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in indexes]


def _delete_stale(retired_ids: set[int], dirty: list[PolicyVersion], subjects: set[str]) -> int:
    """Remove the rows about to be rewritten and those of versions no longer in force."""
    enterprises = sorted(int(s.split(":")[1]) for s in subjects if s.startswith("enterprise:"))
    projects = sorted(int(s.split(":")[1]) for s in subjects if s.startswith("project:"))
    versions = sorted(retired_ids | {v.pk for v in dirty})
    deleted = PolicyMatch.objects.filter(version_id__in=versions).delete()[0] if versions else 0
    for start in range(0, len(enterprises), BATCH):
        chunk = enterprises[start : start + BATCH]
        deleted += PolicyMatch.objects.filter(enterprise_id__in=chunk, project__isnull=True).delete()[0]
    for start in range(0, len(projects), BATCH):
        deleted += PolicyMatch.objects.filter(project_id__in=projects[start : start + BATCH]).delete()[0]
    return deleted
