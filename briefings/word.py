"""The Word (.docx) edition of an issue: title, number, period, then each section's
figures and tables.  Every chart of the web page draws a table that is printed here,
so the file needs no chart images (nor fonts to draw them)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from .formatting import display, part_text

FONT = "宋体"


def _chinese_font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _grid(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _section(document, section: dict) -> None:
    document.add_heading(_(section["title"]), level=1)
    if section["figures"]:
        _grid(document, [_("Figure"), _("Value"), _("Of which")],
              [[_(f["label"]), display(f["value"], f["format"]), part_text(f["parts"])] for f in section["figures"]])
    for table in section["tables"]:
        document.add_heading(_(table["title"]), level=2)
        if table["rows"]:
            _grid(document, [_(c["label"]) for c in table["columns"]],
                  [[display(c["value"], c["format"]) for c in row] for row in table["rows"]])
        elif table["empty"]:
            document.add_paragraph(_(table["empty"]))
    for note in section["notes"]:
        document.add_paragraph(_(note))


def render(issue) -> bytes:
    document = Document()
    _chinese_font(document)
    document.add_heading(issue.get_kind_display(), level=0)
    document.add_paragraph(str(issue.number))
    document.add_paragraph(_("Period: %(start)s to %(end)s") % {"start": issue.period_start.isoformat(),
                                                               "end": issue.period_end.isoformat()})
    for section in issue.sections:
        _section(document, section)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
