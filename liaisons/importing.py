"""Excel import of liaison assignments (企服责任人名单) with a row-by-row report.

Columns: the enterprise's credit code; the cadre as a user name, or as name plus
organisation; the level (市级/镇级 or city/town); optionally the start date.  Every
problem is reported as (row, column, reason); then all rows are written or none, or
only the good ones, as the user chose.  Lists are a few thousand rows: the import runs
in the request.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.models import User
from enterprises.importing import ImportFileError, check_headers, open_sheet_rows
from enterprises.models import Enterprise, ImportJob
from enterprises.validators import normalise_credit_code, validate_credit_code

from . import actions
from .access import cadre_problem
from .models import Assignment, Level

Mode = ImportJob.Mode  # the same two choices as the registry import

# key, header of the template, required
COLUMNS = (
    ("credit_code", "统一社会信用代码", True),
    ("username", "责任人账号", False),
    ("cadre_name", "责任人姓名", False),
    ("organisation", "责任人单位", False),
    ("level", "层级", True),
    ("started_on", "起始日期", False),
)
LEVELS = {"city": Level.CITY, "市级": Level.CITY, "市": Level.CITY, "town": Level.TOWN, "镇级": Level.TOWN,
          "镇": Level.TOWN, "镇街": Level.TOWN}
HEADERS = {key: header for key, header, _required in COLUMNS}


@dataclass
class Report:
    rows: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, reason)
    good: list[tuple[int, Enterprise, User, str, dt.date | None]] = field(default_factory=list)
    changed: int = 0
    imported: bool = False

    @property
    def bad_rows(self) -> int:
        return len({row for row, _column, _reason in self.errors})


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append([header + ("*" if required else "") for _key, header, required in COLUMNS])
    sheet.append(["91330282MA2AAAAAA0", "ganbu", "", "", "镇级", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_map(header) -> list[str | None]:
    known = {h: key for key, h, _r in COLUMNS} | {key: key for key, _h, _r in COLUMNS}
    names = [str(h).strip().rstrip("*") if h is not None else "" for h in header or ()]
    present = {known[n] for n in names if n in known}
    missing = [h for key, h, required in COLUMNS if required and key not in present]
    if "username" not in present and "cadre_name" not in present:
        missing.append(HEADERS["username"])
    unknown = [n for n in names if n and n not in known]
    check_headers(missing, unknown)
    return [known.get(n) for n in names]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class _Resolver:
    """Looks enterprises and cadres up for one import (the scope decides which enterprises count)."""

    def __init__(self, enterprises) -> None:
        self.enterprises = enterprises

    def enterprise(self, value) -> Enterprise:
        code = normalise_credit_code(_text(value))
        if not code:
            raise ValueError(_("This cell is required."))
        try:
            validate_credit_code(code)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None
        found = self.enterprises.select_related("town").filter(credit_code=code).first()
        if found is None:
            raise ValueError(_("No enterprise with this credit code in your scope."))
        return found

    def cadre(self, username, name, organisation) -> User:
        username, name, organisation = _text(username), _text(name), _text(organisation)
        if username:
            user = User.objects.select_related("organisation").filter(username=username).first()
            if user is None:
                raise ValueError(_("No user “%(value)s”.") % {"value": username})
            return user
        if not name:
            raise ValueError(_("Give the cadre's user name, or name and organisation."))
        people = User.objects.select_related("organisation").filter(display_name=name, is_active=True)
        if organisation:
            people = people.filter(organisation__name_zh=organisation) | people.filter(organisation__code=organisation)
        people = list(people.distinct()[:2])
        if not people:
            raise ValueError(_("No person “%(name)s” in “%(org)s”.") % {"name": name, "org": organisation or "—"})
        if len(people) > 1:
            raise ValueError(_("More than one “%(name)s”; give the organisation or the user name.") % {"name": name})
        return people[0]


def _level(value) -> str:
    level = LEVELS.get(_text(value).lower())
    if level is None:
        raise ValueError(_("Write 市级 (city) or 镇级 (town)."))
    return level


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        raise ValueError(_("Not a date; write it as 2020-05-31.")) from None


def _check_row(number: int, values: dict, resolver: _Resolver, levels: list[str], report: Report, seen: dict):
    errors = []

    def attempt(column: str, make):
        try:
            return make()
        except ValueError as error:
            errors.append((number, HEADERS[column], str(error)))
            return None

    enterprise = attempt("credit_code", lambda: resolver.enterprise(values.get("credit_code")))
    cadre_column = "username" if _text(values.get("username")) else "cadre_name"
    cadre = attempt(cadre_column, lambda: resolver.cadre(values.get("username"), values.get("cadre_name"),
                                                         values.get("organisation")))
    level = attempt("level", lambda: _level(values.get("level")))
    started_on = attempt("started_on", lambda: _date(values.get("started_on")))
    if level and level not in levels:
        errors.append((number, HEADERS["level"], _("You may not assign liaisons at this level.")))
    if enterprise and cadre and level:
        problem = cadre_problem(cadre, level, enterprise)
        if problem:
            errors.append((number, HEADERS[cadre_column], problem))
        key = (enterprise.pk, level)
        if key in seen:
            errors.append((number, HEADERS["credit_code"],
                           _("Row %(row)d already names this enterprise's liaison at this level.") % {"row": seen[key]}))
        seen.setdefault(key, number)
    if errors:
        report.errors.extend(errors)
    else:
        report.good.append((number, enterprise, cadre, level, started_on))


def check_file(data: bytes, *, enterprises, levels: list[str]) -> Report:
    """Read and check every row; nothing is written.  Raises ImportFileError for a bad file."""
    rows = open_sheet_rows(data)
    columns = _header_map(next(rows, None))
    resolver, report, seen = _Resolver(enterprises), Report(), {}
    for number, row in enumerate(rows, start=2):
        if not any(v not in (None, "") for v in row):
            continue
        report.rows += 1
        if report.rows > settings.QIFU_IMPORT_MAX_ROWS:
            raise ImportFileError(_("The file has too many rows; at most %(limit)d can be imported at once.")
                                  % {"limit": settings.QIFU_IMPORT_MAX_ROWS})
        values = {key: value for key, value in zip(columns, row, strict=False) if key}
        _check_row(number, values, resolver, levels, report, seen)
    if not report.rows:
        raise ImportFileError(_("The sheet has no data rows."))
    return report


def import_assignments(data: bytes, *, acting_user, mode: str, enterprises, levels: list[str]) -> Report:
    """Check the file, then write all rows, none (a bad row in all-or-nothing mode) or the good ones."""
    report = check_file(data, enterprises=enterprises, levels=levels)
    if report.errors and mode == Mode.ALL_OR_NOTHING:
        return report
    by_start: dict[dt.date | None, list] = {}
    for _number, enterprise, cadre, level, started_on in report.good:
        by_start.setdefault(started_on, []).append((enterprise, cadre, level))
    with transaction.atomic():
        for started_on, pairs in by_start.items():
            report.changed += actions.do_assign_many(pairs, acting_user=acting_user, via=Assignment.Via.IMPORT,
                                                     started_on=started_on)
    report.imported = True
    return report
