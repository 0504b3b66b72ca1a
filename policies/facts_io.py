"""The registry's facts in the interchange format of policies.md: export, and import with a row report.

A file holds one row per subject: ``subject_id`` is ``enterprise:<id>`` or
``project:<id>`` (as ``export_facts`` writes it) or an enterprise's unified social
credit code; ``year`` (a column, or given to the command) says which year's figures
a row is.  What is stored where:

* an enterprise row: the figure facts (loans, leasing, tech services, tax, land) in
  that year's figures (YearFigures);
* a project row: the project facts (class, tier, completion, pilot, special,
  investments) on the project, which must exist and be of that year; the
  enterprise facts a project row repeats are taken from its enterprise's row.

``is_manufacturing`` and ``is_tech_sme`` come from the registry (industry code, tags)
and are not imported.  A column the file lacks is left alone; an empty cell clears
the stored value (a yes/no fact of a project, which cannot be unknown, is then kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.excel import xlsx_bytes
from enterprises.models import Enterprise, Project, YearFigures
from enterprises.validators import normalise_credit_code

from .rules.facts import FACTS_BY_COLUMN, Type
from .subjects import FIGURE_FACTS, PROJECT_FACTS, facts_frame

MODES = ("all-or-nothing", "valid-only")
DERIVED = frozenset({"is_manufacturing", "is_tech_sme"})  # from the registry, never imported
PROJECT_COLUMNS = (*PROJECT_FACTS, "industry_class", "project_completed")
PROJECT_FIELDS = {"project_completed": "completed"}  # fact column → Project field, where they differ
NOT_NULL = frozenset({"project_completed", "is_smart_pilot", "is_special_project"})
INT64_MAX = 2**63 - 1
SUBJECT = re.compile(r"^(enterprise|project):(\d+)$")
TRUE, FALSE = {"true", "1", "yes", "y", "是", "t"}, {"false", "0", "no", "n", "否", "f"}
LAND_MAX = Decimal("9999999999.99")  # YearFigures.land_area_mu: 12 digits, 2 decimals


class FactsImportError(Exception):
    """The file as a whole cannot be imported (unreadable, no subject_id, no year)."""


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)d, column %(column)s: %(reason)s") % {
            "row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    figures_created: int = 0
    figures_updated: int = 0
    projects_updated: int = 0
    imported: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors})


@dataclass
class ParsedRow:
    row: int
    kind: str  # "enterprise" / "project"
    target: Enterprise | Project
    year: int
    values: dict  # fact column → value (None clears)


# --- Reading


def read_table(path: str | Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header, [(row number, {column: raw value})]) of a Parquet, CSV or xlsx file."""
    path = Path(path)
    if not path.is_file():
        raise FactsImportError(_("The facts file %(path)s does not exist.") % {"path": path})
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            frame = pl.read_parquet(path)
        elif suffix == ".csv":
            frame = pl.read_csv(path, infer_schema=False)  # every cell as text, parsed exactly below
        elif suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
        else:
            raise FactsImportError(_("A facts file must be .parquet, .csv or .xlsx, not %(suffix)s.")
                                   % {"suffix": suffix or "?"})
    except FactsImportError:
        raise
    except Exception as error:  # polars, pyarrow and openpyxl raise many kinds; the message is what matters
        raise FactsImportError(_("The facts file %(path)s cannot be read: %(error)s")
                               % {"path": path, "error": error}) from error
    return frame.columns, [(number, row) for number, row in enumerate(frame.iter_rows(named=True), start=2)]


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    body = []
    for number, values in enumerate(rows, start=2):
        if all(value is None or value == "" for value in values):
            continue
        body.append((number, dict(zip(header, values, strict=False))))
    workbook.close()
    return header, body


# --- Parsing one cell


class CellError(ValueError):
    pass


def parse_cell(column: str, value):
    """The stored value of one cell of a fact column (None for an empty cell); CellError says what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    fact = FACTS_BY_COLUMN[column]
    if fact.type is Type.BOOL:
        return _bool(value)
    if fact.type is Type.MONEY:
        return _fen(value)
    if column == "industry_class":
        text = str(value).strip().upper()
        if text not in ("A", "B", "C"):
            raise CellError(_("should be A, B or C"))
        return text
    if column == "ningbo_tier":
        tier = _whole(value)
        if tier not in (1, 2, 3):
            raise CellError(_("should be 1, 2 or 3"))
        return tier
    return _land(value)


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(_("should be true or false"))


def _whole(value) -> int:
    if isinstance(value, bool):
        raise CellError(_("should be a whole number"))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    text = str(value).strip()
    if not re.fullmatch(r"-?\d+", text):
        raise CellError(_("should be a whole number"))
    return int(text)


def _fen(value) -> int:
    try:
        fen = _whole(value)
    except CellError:
        raise CellError(_("should be whole fen (an integer)")) from None
    if fen < 0:
        raise CellError(_("must not be negative"))
    if fen > INT64_MAX:
        raise CellError(_("is larger than a 64-bit integer"))
    return fen


def _land(value) -> Decimal:
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise CellError(_("should be a number")) from None
    if not number.is_finite() or number < 0:
        raise CellError(_("should be a number not below zero"))
    if number != number.quantize(Decimal("0.01")):
        raise CellError(_("has more than two decimals"))
    if number > LAND_MAX:
        raise CellError(_("is too large"))
    return number.quantize(Decimal("0.01"))


# --- Parsing rows


def parse_rows(header: list[str], rows: list[tuple[int, dict]], *, year: int | None) -> tuple[list[ParsedRow],
                                                                                                 list[RowError]]:
    """Every row checked: the subject exists, the year is known, every fact cell reads."""
    if "subject_id" not in header:
        raise FactsImportError(_("The facts file has no subject_id column."))
    if year is None and "year" not in header:
        raise FactsImportError(_("The facts file has no year column; say which year it is (--year)."))
    facts = [column for column in header if column in FACTS_BY_COLUMN and column not in DERIVED]
    lookup = _Lookup([row.get("subject_id") for _number, row in rows])
    parsed, errors, seen = [], [], {}
    for number, row in rows:
        result = _parse_row(number, row, facts, year, lookup, seen)
        if isinstance(result, ParsedRow):
            parsed.append(result)
        else:
            errors.extend(result)
    return parsed, errors


def _parse_row(number: int, row: dict, facts: list[str], default_year: int | None, lookup: _Lookup,
               seen: dict) -> ParsedRow | list[RowError]:
    errors = []
    kind, target, reason = lookup.find(row.get("subject_id"))
    if target is None:
        errors.append(RowError(number, "subject_id", reason))
    year = default_year if row.get("year") in (None, "") else None
    if year is None:
        try:
            year = _whole(row.get("year"))
            if not 1900 <= year <= 2200:
                raise CellError(_("should be a year such as 2025"))
        except CellError as error:
            errors.append(RowError(number, "year", str(error)))
    declared = str(row.get("subject_kind") or "").strip()
    if target is not None and declared and declared != kind:
        errors.append(RowError(number, "subject_kind", _("says %(declared)s, but the subject is a %(kind)s")
                               % {"declared": declared, "kind": kind}))
    if kind == "project" and target is not None and year is not None and target.year != year:
        errors.append(RowError(number, "year", _("project %(id)d is of year %(year)d") % {
            "id": target.pk, "year": target.year}))
    values = {}
    for column in facts:
        try:
            values[column] = parse_cell(column, row.get(column))
        except CellError as error:
            errors.append(RowError(number, column, str(error)))
    if target is not None and year is not None:
        key = (kind, target.pk, year)
        if key in seen:
            errors.append(RowError(number, "subject_id", _("the same subject and year are on row %(row)d")
                                   % {"row": seen[key]}))
        seen.setdefault(key, number)
    if kind == "enterprise":
        errors += [RowError(number, c, _("is a project fact; an enterprise row must leave it empty"))
                   for c in PROJECT_COLUMNS if values.get(c) is not None]
    if errors:
        return errors
    stored = FIGURE_FACTS if kind == "enterprise" else PROJECT_COLUMNS
    return ParsedRow(number, kind, target, year, {c: v for c, v in values.items() if c in stored})


class _Lookup:
    """The enterprises and projects a file names, loaded in a few queries."""

    def __init__(self, subject_ids: list):
        ids = {"enterprise": set(), "project": set()}
        codes = set()
        for raw in subject_ids:
            kind, key = self._key(raw)
            if kind == "code":
                codes.add(key)
            elif kind:
                ids[kind].add(key)
        self.enterprises = _in_chunks(Enterprise.objects.all(), "pk", ids["enterprise"])
        self.by_code = {e.credit_code: e for e in _in_chunks(Enterprise.objects.all(), "credit_code", codes).values()}
        self.projects = _in_chunks(Project.objects.select_related("enterprise"), "pk", ids["project"])

    @staticmethod
    def _key(raw) -> tuple[str, object]:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return "enterprise", raw
        text = str(raw or "").strip()
        match = SUBJECT.match(text)
        if match:
            return match.group(1), int(match.group(2))
        if text.isdigit():
            return "enterprise", int(text)
        if len(normalise_credit_code(text)) == 18:
            return "code", normalise_credit_code(text)
        return "", None

    def find(self, raw) -> tuple[str, object, str]:
        kind, key = self._key(raw)
        if not kind:
            return "", None, _("should be enterprise:<id>, project:<id> or a unified social credit code")
        if kind == "code":
            found = self.by_code.get(key)
            return "enterprise", found, _("no enterprise has the credit code %(code)s") % {"code": key}
        found = (self.enterprises if kind == "enterprise" else self.projects).get(key)
        return kind, found, _("there is no %(kind)s %(id)d") % {"kind": kind, "id": key}


def _in_chunks(qs, field_name: str, keys: set) -> dict:
    found = {}
    keys = list(keys)
    for start in range(0, len(keys), 900):
        found.update({obj.pk: obj for obj in qs.filter(**{f"{field_name}__in": keys[start : start + 900]})})
    return found


# --- Export


def export_facts(path: str | Path, year: int) -> int:
    """Write every enterprise (with its figures of ``year``) and every project of ``year``; returns the rows."""
    path = Path(path)
    frame = facts_frame(year).with_columns(pl.lit(year, dtype=pl.Int32).alias("year"))
    frame = frame.select("subject_id", "subject_kind", "year", *[c for c in frame.columns
                                                                 if c not in ("subject_id", "subject_kind", "year")])
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        frame.write_parquet(path)
    elif suffix == ".csv":
        frame.write_csv(path)
    elif suffix == ".xlsx":
        path.write_bytes(xlsx_bytes(frame.columns, frame.iter_rows(), "facts"))
    else:
        raise FactsImportError(_("A facts file must be .parquet, .csv or .xlsx, not %(suffix)s.")
                               % {"suffix": suffix or "?"})
    return frame.height


def existing_figures(rows: list[ParsedRow]) -> set[tuple[int, int]]:
    """(enterprise id, year) of the figures already on file for the enterprise rows."""
    ids = sorted({row.target.pk for row in rows if row.kind == "enterprise"})
    found = set()
    for start in range(0, len(ids), 900):
        found |= set(YearFigures.objects.filter(enterprise_id__in=ids[start : start + 900])
                     .values_list("enterprise_id", "year"))
    return found
