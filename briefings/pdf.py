"""The PDF edition of an issue (reportlab): the same sections as the Word file, plus the
trend as a line chart.  Chinese is set in reportlab's built-in CID font STSong-Light, so
no font file is needed (the reader's PDF viewer supplies the glyphs)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .formatting import display, part_text

FONT = "STSong-Light"
SERIES_COLOURS = (colors.HexColor("#0d4c8b"), colors.HexColor("#c0392b"), colors.HexColor("#27ae60"))


def _styles() -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=26, alignment=1),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=16, alignment=1),
        "h1": ParagraphStyle("h1", parent=base, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=2),
        "body": base,
    }


def _grid(header: list[str], rows: list[list[str]], style: ParagraphStyle) -> Table:
    cells = [[Paragraph(text, style) for text in row] for row in [header, *rows]]
    table = Table(cells, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _line_chart(chart: dict) -> Drawing:
    drawing = Drawing(170 * mm, 60 * mm)
    plot = HorizontalLineChart()
    plot.x, plot.y, plot.width, plot.height = 12 * mm, 10 * mm, 120 * mm, 45 * mm
    plot.data = [[value or 0 for value in s["data"]] for s in chart["series"]]
    plot.categoryAxis.categoryNames = chart["categories"]
    plot.categoryAxis.labels.fontName = plot.valueAxis.labels.fontName = FONT
    plot.valueAxis.valueMin = 0
    for i, colour in enumerate(SERIES_COLOURS[: len(plot.data)]):
        plot.lines[i].strokeColor = colour
        plot.lines[i].strokeWidth = 1.5
    legend = Legend()
    legend.x, legend.y, legend.fontName = 138 * mm, 50 * mm, FONT
    legend.colorNamePairs = [(SERIES_COLOURS[i], _(s["name"])) for i, s in enumerate(chart["series"])]
    drawing.add(plot)
    drawing.add(legend)
    return drawing


def _section(section: dict, styles: dict) -> list:
    story = [Paragraph(_(section["title"]), styles["h1"])]
    if section["figures"]:
        story.append(_grid([_("Figure"), _("Value"), _("Of which")],
                           [[_(f["label"]), display(f["value"], f["format"]), part_text(f["parts"])]
                            for f in section["figures"]], styles["body"]))
    for chart in section["charts"]:
        if chart["type"] == "line" and chart["categories"]:
            story += [Spacer(1, 3 * mm), _line_chart(chart)]
    for table in section["tables"]:
        story.append(Paragraph(_(table["title"]), styles["h2"]))
        if table["rows"]:
            story.append(_grid([_(c["label"]) for c in table["columns"]],
                               [[display(c["value"], c["format"]) for c in row] for row in table["rows"]],
                               styles["body"]))
        elif table["empty"]:
            story.append(Paragraph(_(table["empty"]), styles["body"]))
    story += [Paragraph(_(note), styles["body"]) for note in section["notes"]]
    return story


def render(issue) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=15 * mm, bottomMargin=15 * mm,
                                 title=f"{issue.get_kind_display()} {issue.number}")
    story = [
        Paragraph(str(issue.get_kind_display()), styles["title"]),
        Paragraph(str(issue.number), styles["subtitle"]),
        Paragraph(_("Period: %(start)s to %(end)s") % {"start": issue.period_start.isoformat(),
                                                      "end": issue.period_end.isoformat()}, styles["subtitle"]),
        Spacer(1, 4 * mm),
    ]
    for section in issue.sections:
        story += _section(section, styles)
    document.build(story)
    return buffer.getvalue()
