"""Excel import of enterprises and yearly figures: template, checks and row report.

The file is checked as a whole first (size, real xlsx content, headers), then every
row is validated and every problem reported as (row, column, reason).  Only then
are rows written: all of them or none, or only the good ones, as the user chose.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from reference.models import EnterpriseTag, IndustryGroup, Park, Town

from .validators import normalise_credit_code, validate_credit_code, validate_industry_code

FEN_PER_WAN = Decimal(1_000_000)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not a spreadsheet, wrong headers …)."""


@dataclass
class Column:
    key: str
    header: str  # the Chinese header used in the template
    parse: Callable[[object, Lookups], object]
    required: bool = False


@dataclass
class RowResult:
    row: int
    values: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)


class Lookups:
    """Reference data by code and by Chinese name, loaded once per import."""

    def __init__(self) -> None:
        self.towns = _by_code_and_name(Town.objects.all())
        self.parks = _by_code_and_name(Park.objects.all())
        self.groups = _by_code_and_name(IndustryGroup.objects.all())
        self.tags = _by_code_and_name(EnterpriseTag.objects.all())


def _by_code_and_name(qs) -> dict[str, object]:
    table = {}
    for item in qs:
        table[item.code] = item
        table[item.name_zh] = item
    return table


# --- cell parsers: each returns the clean value or raises ValueError(message).


def _text(value, _lookups) -> str:
    return "" if value is None else str(value).strip()


def _required_text(value, lookups) -> str:
    text = _text(value, lookups)
    if not text:
        raise ValueError(_("This cell is required."))
    return text


def _credit_code(value, _lookups) -> str:
    code = normalise_credit_code(_text(value, None))
    if not code:
        raise ValueError(_("This cell is required."))
    try:
        validate_credit_code(code)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    return code


def _industry_code(value, _lookups) -> str:
    code = _text(value, None).upper()
    try:
        validate_industry_code(code)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    return code


def _reference(table_name: str, required: bool = False):
    def parse(value, lookups):
        text = _text(value, None)
        if not text:
            if required:
                raise ValueError(_("This cell is required."))
            return None
        item = getattr(lookups, table_name).get(text)
        if item is None:
            raise ValueError(_("Unknown value “%(value)s”.") % {"value": text})
        return item

    return parse


def _tags(value, lookups) -> list:
    text = _text(value, None)
    names = [n.strip() for n in text.replace("，", ",").replace("、", ",").split(",") if n.strip()]
    unknown = [n for n in names if n not in lookups.tags]
    if unknown:
        raise ValueError(_("Unknown tags: %(tags)s.") % {"tags": ", ".join(unknown)})
    return [lookups.tags[n] for n in names]


def _date(value, _lookups):
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


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("Not a number.")) from None
    if not number.is_finite():
        raise ValueError(_("Not a number."))
    if number < 0:
        raise ValueError(_("Must not be negative."))
    return number


def _wan_to_fen(value, _lookups) -> int | None:
    """An amount in 万元 to exact integer fen; finer than one fen is refused."""
    number = _decimal(value)
    if number is None:
        return None
    fen = number * FEN_PER_WAN
    if fen != fen.to_integral_value():
        raise ValueError(_("Amounts in 万元 can have at most 6 decimals (one fen)."))
    if fen >= 2**63:
        raise ValueError(_("The amount is too large."))
    return int(fen)


def _quantity(places: int):
    def parse(value, _lookups):
        number = _decimal(value)
        if number is not None and number != number.quantize(Decimal(1).scaleb(-places)):
            raise ValueError(_("At most %(places)d decimals.") % {"places": places})
        return number

    return parse


def _count(value, _lookups) -> int | None:
    number = _decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(_("Must be a whole number."))
    return int(number)


def _year(value, _lookups) -> int:
    number = _count(value, None)
    if number is None:
        raise ValueError(_("This cell is required."))
    if not 1990 <= number <= dt.date.today().year:
        raise ValueError(_("The year must be between 1990 and this year."))
    return number


ENTERPRISE_COLUMNS = (
    Column("credit_code", "统一社会信用代码", _credit_code, required=True),
    Column("name", "企业名称", _required_text, required=True),
    Column("town", "镇街", _reference("towns", required=True), required=True),
    Column("park", "园区", _reference("parks")),
    Column("address", "地址", _text),
    Column("industry_code", "行业代码", _industry_code),
    Column("industry_group", "产业分类", _reference("groups")),
    Column("tags", "企业标签", _tags),
    Column("legal_representative", "法定代表人", _text),
    Column("established_on", "成立日期", _date),
    Column("contact_name", "联系人", _text),
    Column("contact_phone", "联系电话", _text),
)

YEAR_FIGURE_COLUMNS = (
    Column("credit_code", "统一社会信用代码", _credit_code, required=True),
    Column("year", "年份", _year, required=True),
    Column("revenue_fen", "营业收入（万元）", _wan_to_fen),
    Column("tax_paid_fen", "实缴税金（万元）", _wan_to_fen),
    Column("value_added_fen", "工业增加值（万元）", _wan_to_fen),
    Column("land_area_mu", "用地面积（亩）", _quantity(2)),
    Column("energy_tce", "综合能耗（吨标煤）", _quantity(2)),
    Column("emissions_t", "排放当量（吨）", _quantity(3)),
    Column("rd_spending_fen", "研发投入（万元）", _wan_to_fen),
    Column("employees", "从业人员（人）", _count),
    Column("mlt_loan_avg_daily_balance_fen", "中长期贷款日均余额（万元）", _wan_to_fen),
    Column("leasing_expenditure_fen", "融资租赁支出（万元）", _wan_to_fen),
    Column("leasing_interest_fen", "融资租赁利息（万元）", _wan_to_fen),
    Column("tech_service_spending_fen", "科技服务支出（万元）", _wan_to_fen),
)

COLUMNS = {"enterprises": ENTERPRISE_COLUMNS, "year_figures": YEAR_FIGURE_COLUMNS}


def template_workbook(kind: str) -> bytes:
    """An empty sheet with the right headers (required ones marked with *)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append([c.header + ("*" if c.required else "") for c in COLUMNS[kind]])
    for index, _column in enumerate(COLUMNS[kind], start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def open_sheet_rows(data: bytes):
    """The first sheet's rows (values) of an uploaded .xlsx, after checking its size and type.

    Used by every Excel import (enterprises, liaison assignments); raises ImportFileError
    with a reason the user can act on.
    """
    if len(data) > settings.QIFU_IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(settings.QIFU_IMPORT_MAX_BYTES)}
        )
    if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(_("This is not an Excel (.xlsx) file. Save it as .xlsx and try again."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(_("This is not an Excel (.xlsx) file. Save it as .xlsx and try again.")) from None
    return workbook.worksheets[0].iter_rows(values_only=True)


def check_headers(missing: list[str], unknown: list[str]) -> None:
    """Refuse a sheet whose first row lacks required columns or has unknown ones, naming them."""
    if not (missing or unknown):
        return
    parts = []
    if missing:
        parts.append(_("missing required columns: %(cols)s") % {"cols": "、".join(missing)})
    if unknown:
        parts.append(_("unknown columns: %(cols)s") % {"cols": "、".join(unknown)})
    raise ImportFileError(
        _("The headers do not match the template (%(problems)s). Download the template and use its first row.")
        % {"problems": "; ".join(parts)}
    )


def read_rows(kind: str, data: bytes) -> tuple[list[Column], list[tuple[int, tuple]]]:
    """Open the workbook and map its headers; raise ImportFileError with a clear reason."""
    rows = open_sheet_rows(data)
    header = next(rows, None) or ()
    columns = _map_headers(kind, header)
    body = [(number, row) for number, row in enumerate(rows, start=2) if any(v not in (None, "") for v in row)]
    if len(body) > settings.QIFU_IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("The file has %(rows)d rows; at most %(limit)d can be imported at once.")
            % {"rows": len(body), "limit": settings.QIFU_IMPORT_MAX_ROWS}
        )
    if not body:
        raise ImportFileError(_("The sheet has no data rows."))
    return columns, body


def _map_headers(kind: str, header: tuple) -> list[Column | None]:
    known = {c.header: c for c in COLUMNS[kind]} | {c.key: c for c in COLUMNS[kind]}
    names = [str(h).strip().rstrip("*") if h is not None else "" for h in header]
    unknown = [n for n in names if n and n not in known]
    present = {known[n].key for n in names if n in known}
    missing = [c.header for c in COLUMNS[kind] if c.required and c.key not in present]
    check_headers(missing, unknown)
    return [known.get(n) for n in names]


def validate_row(columns: list[Column | None], number: int, row: tuple, lookups: Lookups) -> RowResult:
    result = RowResult(row=number)
    row = tuple(row) + (None,) * (len(columns) - len(row))
    for column, value in zip(columns, row, strict=False):
        if column is None:
            continue
        try:
            result.values[column.key] = column.parse(value, lookups)
        except ValueError as error:
            result.errors.append((column.header, str(error)))
    return result
