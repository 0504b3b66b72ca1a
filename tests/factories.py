"""Builders shared by the tests: valid credit codes, people with a role, xlsx files."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook, load_workbook
from stdnum.cn import uscc

from accounts.models import Organisation, Role, User
from enterprises import importing

PASSWORD = "Qifu-test-2024!"
HONGDA_NAME = "慈溪市宏达电器有限公司"
LONGTENG_NAME = "慈溪市龙腾五金制品有限公司"
HONGDA_PHONE = "13812345678"


def credit_code(serial: int, prefix: str = "91330282") -> str:
    """A valid unified social credit code: Cixi's region code, a serial, the right check digit."""
    body = f"{prefix}{serial:09d}"
    return body + uscc.calc_check_digit(body)


def make_user(username: str, *, role: str | None = None, org: str | None = None, enterprise=None, **extra) -> User:
    """A person with one role, in an organisation given by its code (as seeded)."""
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        display_name=extra.pop("display_name", username),
        organisation=Organisation.objects.get(code=org) if org else None,
        enterprise=enterprise,
        **extra,
    )
    if role:
        user.roles.set([Role.objects.get(code=role)])
    return user


def xlsx_file(headers: Iterable, rows: Iterable[Iterable]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_headers(kind: str) -> list[str]:
    """The first row of the downloadable template, exactly as a user would get it."""
    sheet = load_workbook(io.BytesIO(importing.template_workbook(kind))).active
    return [cell.value for cell in sheet[1]]


def sheet(kind: str, rows: list[dict]) -> bytes:
    """An import file: the template's headers, then one row per dict of {column key: cell}."""
    keys = [column.key for column in importing.COLUMNS[kind]]
    return xlsx_file(template_headers(kind), [[row.get(key) for key in keys] for row in rows])


def read_xlsx(content: bytes) -> list[list]:
    """All rows of the first sheet of an xlsx file (the header row first)."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
