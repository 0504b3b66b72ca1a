"""Whole-population matching (政策帮享): every subject against every published version, kept in a table.

``refresh_matches`` evaluates with the vectorised engine (exclusive groups applied, as
in the check-up: enterprise rules on enterprises, project rules on projects) and
re-evaluates only what changed since the last run:

* a subject whose facts hash differs from the one stored on its rows (or that has no
  rows: it was ineligible everywhere, and its evaluation is cheap) against every version;
* every subject against the versions published or retired since the last run, together
  with the other versions of their exclusive groups (a new rival can change who wins).

Everything else keeps its rows untouched, ``evaluated_at`` included.
"""

from __future__ import annotations

import hashlib
import json

import polars as pl
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from enterprises.models import Project, YearFigures

from .models import PolicyMatch, PolicyMatchRun, PolicyVersion, SubjectKind
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
    last = PolicyMatchRun.objects.filter(year=year).first()
    previous_ids = set(last.version_ids) if last else set()
    current_ids = {version.pk for version in versions}
    dirty = _dirty_versions(versions, (current_ids ^ previous_ids))
    stored = _stored_hashes()
    changed = {subject for subject, digest in hashes.items() if stored.get(subject) != digest}
    owners = dict(Project.objects.filter(year=year).values_list("pk", "enterprise_id"))
    now = timezone.now()
    rows = _evaluate(versions, frame.filter(pl.col("subject_id").is_in(list(changed))), owners, now)
    rows += _evaluate(dirty, frame.filter(~pl.col("subject_id").is_in(list(changed))), owners, now)
    with transaction.atomic():
        deleted = _delete_stale(year, current_ids, dirty, changed)
        PolicyMatch.objects.bulk_create(rows, batch_size=BATCH)
        counts = {
            "subjects": len(hashes),
            "changed_subjects": len(changed),
            "versions": len(versions),
            "new_versions": len(current_ids - previous_ids),
            "dirty_versions": len(dirty),
            "written": len(rows),
            "deleted": deleted,
        }
        PolicyMatchRun.objects.create(year=year, finished_at=now, version_ids=sorted(current_ids), counts=counts)
    return counts


def _dirty_versions(versions: list[PolicyVersion], touched_ids: set[int]) -> list[PolicyVersion]:
    """The versions touched since the last run and every published rival in their exclusive groups."""
    touched = PolicyVersion.objects.filter(pk__in=touched_ids).select_related("policy")
    groups = {v.policy.exclusive_group for v in touched if v.policy.exclusive_group}
    return [v for v in versions if v.pk in touched_ids or v.policy.exclusive_group in groups]


def _stored_hashes() -> dict[str, str]:
    """subject id → the facts hash on its rows (all rows of a subject carry the same one)."""
    hashes = {}
    for enterprise_id, project_id, digest in PolicyMatch.objects.values_list(
        "enterprise_id", "project_id", "facts_hash"
    ).distinct():
        hashes[f"project:{project_id}" if project_id else f"enterprise:{enterprise_id}"] = digest
    return hashes


def _evaluate(versions: list[PolicyVersion], frame: pl.DataFrame, owners: dict[int, int], now) -> list[PolicyMatch]:
    """Match rows for ``frame`` under ``versions``, each kind of rule on its kind of subject."""
    if frame.is_empty() or not versions:
        return []
    rows = []
    for kind in (SubjectKind.ENTERPRISE, SubjectKind.PROJECT):
        # A rule without a subject kind applies to enterprises only (as in the check-up).
        of_kind = [v for v in versions if (v.policy.subject_kind or SubjectKind.ENTERPRISE) == kind]
        subjects = frame.filter(pl.col("subject_kind") == kind)
        if not of_kind or subjects.is_empty():
            continue
        by_code = {v.policy.code: v for v in of_kind}
        digests = dict(zip(subjects["subject_id"], subjects["_hash"], strict=True))
        results = evaluate_frame([v.compile() for v in of_kind], subjects.drop("_hash"))
        for subject_id, code, status, amount in results.iter_rows():
            pk = int(subject_id.split(":")[1])
            enterprise_id, project_id = (owners[pk], pk) if kind == SubjectKind.PROJECT else (pk, None)
            rows.append(
                PolicyMatch(
                    version=by_code[code],
                    enterprise_id=enterprise_id,
                    project_id=project_id,
                    status=status,
                    amount_fen=amount,
                    facts_hash=digests[subject_id],
                    evaluated_at=now,
                )
            )
    return rows


def _delete_stale(year: int, current_ids: set[int], dirty: list[PolicyVersion], changed: set[str]) -> int:
    """Remove the rows about to be rewritten, of versions no longer in force and of projects of another year."""
    enterprises = [int(s.split(":")[1]) for s in changed if s.startswith("enterprise:")]
    projects = [int(s.split(":")[1]) for s in changed if s.startswith("project:")]
    stale = (
        ~Q(version_id__in=current_ids)
        | Q(version_id__in=[v.pk for v in dirty])
        | (Q(project__isnull=False) & ~Q(project__year=year))
    )
    deleted = PolicyMatch.objects.filter(stale).delete()[0]
    for start in range(0, len(enterprises), BATCH):
        chunk = enterprises[start : start + BATCH]
        deleted += PolicyMatch.objects.filter(enterprise_id__in=chunk, project__isnull=True).delete()[0]
    for start in range(0, len(projects), BATCH):
        deleted += PolicyMatch.objects.filter(project_id__in=projects[start : start + BATCH]).delete()[0]
    return deleted
