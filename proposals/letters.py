"""The reply letter as an official document (公文): its fixed wording, its numbering and its .docx.

The layout follows GB/T 9704-2012 (党政机关公文格式) as the bureau's own replies use it:
A4, margins 37/35/28/26 mm, the red issuing-body line, the document number with the
signer on one line above a red rule, the title in 方正小标宋简体, the body in 三号
仿宋_GB2312 with a two-character first-line indent, headings "一、" in 黑体 and
"（一）" in 楷体, signature and date on the right, and the cc / contact block between
rules at the end.

The fixed words of the letter (签发人, 抄送, 代表, 建议 …) are part of a Chinese official
document, not of the user interface: the letter reads the same whatever language the
person generating it uses, so they are constants here and deliberately not translated.

:func:`letter_blocks` is the single description of the letter's content and order; the
.docx builder and the HTML preview both render it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

from .models import Kind, ReplyLetter

DEFAULT_ISSUING_BODY = "慈溪市经济和信息化局"
# 发文字号 prefixes: 慈经信 + 建 (建议) / 提 (提案).
NUMBER_PREFIX = {Kind.DEPUTY: "慈经信建", Kind.MEMBER: "慈经信提"}
PROPOSAL_WORD = {Kind.DEPUTY: "建议", Kind.MEMBER: "提案"}
HONORIFIC = {Kind.DEPUTY: "代表", Kind.MEMBER: "委员"}
# Who always receives a copy: the body that assigned the proposal and the government office.
STANDING_CC = {Kind.DEPUTY: ["市人大代表工委", "市政府办公室"], Kind.MEMBER: ["市政协提案委", "市政府办公室"]}

NUMBER_PATTERN = re.compile(r"^(?P<prefix>.+?)[〔\[［(（](?P<year>\d{4})[〕\]］)）](?P<serial>\d+)号$")
HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
HEADING2 = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")


# --- Fixed wording -------------------------------------------------------------------


def letter_title(kind: str, session: str, number: int) -> str:
    """对市十七届人大五次会议第220号建议的答复."""
    return f"对{session}第{number}号{PROPOSAL_WORD[kind]}的答复"


def addressee_for(proposal) -> str:
    """徐洲代表： / 杨文艳委员： / 应成钊等代表们： when others signed too."""
    honorific = HONORIFIC[proposal.kind]
    if proposal.co_proposer_list:
        return f"{proposal.proposer}等{honorific}们："
    return f"{proposal.proposer}{honorific}："


def opening_paragraph(proposal) -> str:
    you = "你们" if proposal.co_proposer_list else "您"
    word = PROPOSAL_WORD[proposal.kind]
    return (f"{you}在{proposal.session}期间提出的《{proposal.title}》（第{proposal.number}号{word}）已收悉。"
            f"我局高度重视，会同有关部门认真研究，现将办理情况答复如下：")


def closing_paragraph(proposal) -> str:
    return "感谢您对我市经济和信息化工作的关心和支持，欢迎今后继续提出宝贵意见。"


def default_cc(proposal) -> str:
    """The standing recipients, then the co-handling units (as the seeds' cc lists do)."""
    names = list(STANDING_CC[proposal.kind])
    names += [unit.name_zh for unit in proposal.demand.co_handlers.all()]
    return "，".join(dict.fromkeys(names)) + "。"


def format_date(day: dt.date) -> str:
    """GB/T 9704 writes the date in Arabic numerals without leading zeros: 2021年6月11日."""
    return f"{day.year}年{day.month}月{day.day}日"


def suggest_document_number(kind: str, year: int) -> str:
    """The next free number of the year for this kind, e.g. 慈经信建〔2021〕4号 after 3."""
    prefix = NUMBER_PREFIX[kind]
    used = ReplyLetter.objects.filter(document_number__startswith=prefix).values_list("document_number", flat=True)
    serials = [int(m["serial"]) for m in map(NUMBER_PATTERN.match, used)
               if m and m["prefix"] == prefix and int(m["year"]) == year]
    return f"{prefix}〔{year}〕{max(serials, default=0) + 1}号"


def initial_letter(proposal, *, author, today: dt.date) -> dict:
    """The values a new draft starts from; everything stays editable."""
    return {
        "issuing_body": DEFAULT_ISSUING_BODY,
        "document_number": suggest_document_number(proposal.kind, today.year),
        "title": letter_title(proposal.kind, proposal.session, proposal.number),
        "addressee": addressee_for(proposal),
        "body": f"{opening_paragraph(proposal)}\n\n一、\n\n二、\n\n{closing_paragraph(proposal)}",
        "signature": DEFAULT_ISSUING_BODY,
        "dated_on": today,
        "cc": default_cc(proposal),
        "contact_name": getattr(author, "display_name", "") or "",
        "contact_phone": getattr(author, "phone", "") or "",
    }


# --- The letter as an ordered list of blocks ------------------------------------------


@dataclass(frozen=True)
class Block:
    """One line or paragraph of the letter.

    ``lead`` is an inline heading set in ``lead_role``'s font before ``text``;
    ``right`` is the part of the line pushed to the right margin (the signer).
    """

    role: str
    text: str
    lead: str = ""
    lead_role: str = ""
    right: str = ""


def _body_block(paragraph: str) -> Block:
    for role, pattern in (("heading1", HEADING1), ("heading2", HEADING2)):
        if not pattern.match(paragraph):
            continue
        stop = paragraph.find("。")
        if stop == -1 or stop == len(paragraph) - 1:
            return Block(role, paragraph)
        # "（一）加强政策扶持。根据……": the heading runs to the first full stop.
        return Block("body", paragraph[stop + 1:], lead=paragraph[: stop + 1], lead_role=role)
    return Block("body", paragraph)


def _ended(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(("。", ".")) else text + "。"


def letter_blocks(letter: ReplyLetter) -> list[Block]:
    """Everything the letter shows, top to bottom."""
    blocks = []
    if letter.class_mark:
        blocks.append(Block("class_mark", f"类别号：{letter.class_mark}"))
    blocks.append(Block("red_head", f"{letter.issuing_body}文件"))
    blocks.append(Block("number_line", letter.document_number,
                        right=f"签发人：{letter.signer}" if letter.signer else ""))
    blocks.append(Block("title", letter.title))
    blocks.append(Block("addressee", letter.addressee))
    blocks.extend(_body_block(p) for p in letter.paragraphs())
    blocks.append(Block("signature", letter.signature))
    blocks.append(Block("date", format_date(letter.dated_on)))
    if letter.cc.strip():
        blocks.append(Block("cc", f"抄送：{_ended(letter.cc)}"))
    contact = "　　".join(filter(None, [
        f"联系人：{letter.contact_name}" if letter.contact_name else "",
        f"联系电话：{letter.contact_phone}" if letter.contact_phone else "",
    ]))
    if contact:
        blocks.append(Block("contact", contact))
    return blocks


def docx_filename(letter: ReplyLetter) -> str:
    name = re.sub(r'[\\/:*?"<>|\r\n\t]+', "", letter.title).strip() or "reply-letter"
    return f"{name}.docx"


# --- The .docx --------------------------------------------------------------------------

XBS, FANGSONG, HEITI, KAITI, SONG = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"
RED = RGBColor(0xE6, 0x00, 0x12)
BODY_PT, TITLE_PT, NOTE_PT = 16, 22, 14  # 三号, 二号, 四号
LINE_PT = 28  # 固定值 28 磅: 22 lines on a page
PAGE_WIDTH, MARGIN_LEFT, MARGIN_RIGHT = Mm(210), Mm(28), Mm(26)
TEXT_WIDTH = Emu(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)  # 156 mm
ROLE_FONT = {"heading1": HEITI, "heading2": KAITI, "body": FANGSONG}


PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _width_in_chars(text: str) -> float:
    """Full-width characters count 1, ASCII (digits) 0.5: for aligning signature and date."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


def _font(run, east_asian: str, size_pt: float, *, latin: str = LATIN, bold=False, color=None) -> None:
    run.font.name = latin
    # python-docx sets only the Latin font; Chinese text uses w:eastAsia.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _border(paragraph, edge: str, *, size_eighths: int, color: str = "000000", space_pt: int = 1) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.insert_element_before(borders, *PPR_AFTER_BORDER)
    line = OxmlElement(f"w:{edge}")
    for key, value in {"val": "single", "sz": str(size_eighths), "space": str(space_pt), "color": color}.items():
        line.set(qn(f"w:{key}"), value)
    borders.append(line)


class _Writer:
    """Renders the blocks into a python-docx Document, one method per block role."""

    def __init__(self, document):
        self.document = document
        self.signature_width = 0.0
        self.record: list = []  # the paragraphs of the 版记, ruled above and below

    def paragraph(self, *, align=None, first_line_chars=0, line_pt=LINE_PT, left=0.0, right=0.0):
        paragraph = self.document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line_pt)
        if align is not None:
            paragraph.alignment = align
        fmt.left_indent, fmt.right_indent = Pt(left), Pt(right)
        if first_line_chars:
            fmt.first_line_indent = Pt(BODY_PT * first_line_chars)
            # Also in characters (hundredths), as Word's own 首行缩进 2 字符 is stored.
            paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), str(first_line_chars * 100))
        return paragraph

    def blank(self, lines: int = 1) -> None:
        for _ in range(lines):
            self.paragraph()

    def write(self, block: Block) -> None:
        getattr(self, f"write_{block.role}")(block)

    def write_class_mark(self, block: Block) -> None:
        _font(self.paragraph(align=WD_ALIGN_PARAGRAPH.RIGHT, right=BODY_PT).add_run(block.text), HEITI, BODY_PT)

    def write_red_head(self, block: Block) -> None:
        # As large as one line allows (GB/T 9704 leaves the size to the issuer), at most 42 pt.
        size = min(42, int(TEXT_WIDTH.pt / (len(block.text) + 1)))
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=size * 1.4)
        _font(paragraph.add_run(block.text), XBS, size, latin=XBS, color=RED)
        self.blank(2)

    def write_number_line(self, block: Block) -> None:
        if block.right:
            # 上行文 style: the number one character in on the left, the signer one character in on the right.
            paragraph = self.paragraph(left=BODY_PT, right=BODY_PT)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Emu(TEXT_WIDTH - Pt(BODY_PT)), WD_TAB_ALIGNMENT.RIGHT)
            _font(paragraph.add_run(block.text), FANGSONG, BODY_PT)
            label, _sep, name = block.right.partition("：")
            _font(paragraph.add_run(f"\t{label}："), FANGSONG, BODY_PT)
            _font(paragraph.add_run(name), KAITI, BODY_PT)  # the signer's name in 楷体
        else:
            paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER)
            _font(paragraph.add_run(block.text), FANGSONG, BODY_PT)
        _border(paragraph, "bottom", size_eighths=12, color="E60012", space_pt=8)
        self.blank(2)

    def write_title(self, block: Block) -> None:
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=36)
        _font(paragraph.add_run(block.text), XBS, TITLE_PT, latin=XBS, bold=True)
        self.blank()

    def write_addressee(self, block: Block) -> None:
        _font(self.paragraph().add_run(block.text), FANGSONG, BODY_PT)

    def write_body(self, block: Block) -> None:
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=2)
        if block.lead:
            _font(paragraph.add_run(block.lead), ROLE_FONT[block.lead_role], BODY_PT)
        _font(paragraph.add_run(block.text), ROLE_FONT[block.role], BODY_PT)

    write_heading1 = write_heading2 = write_body

    def write_signature(self, block: Block) -> None:
        self.blank()
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.RIGHT, right=2 * BODY_PT)
        _font(paragraph.add_run(block.text), FANGSONG, BODY_PT)
        self.signature_width = _width_in_chars(block.text)

    def write_date(self, block: Block) -> None:
        # The date starts two characters right of the signature's first character (GB/T 9704, 7.3.5.2).
        indent = max(0.0, self.signature_width - _width_in_chars(block.text))
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.RIGHT, right=indent * BODY_PT)
        _font(paragraph.add_run(block.text), FANGSONG, BODY_PT)

    def write_cc(self, block: Block) -> None:
        """版记: the cc and contact lines in 四号, a thick rule above the first, thin ones between."""
        paragraph = self.paragraph(left=NOTE_PT, right=NOTE_PT, line_pt=24)
        if not self.record:
            paragraph.paragraph_format.space_before = Pt(LINE_PT * 2)
        _border(paragraph, "top", size_eighths=4 if self.record else 8, space_pt=4)
        _font(paragraph.add_run(block.text), FANGSONG, NOTE_PT)
        self.record.append(paragraph)

    write_contact = write_cc

    def finish(self) -> None:
        if self.record:
            _border(self.record[-1], "bottom", size_eighths=8, space_pt=4)


def _setup(document, letter: ReplyLetter) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = Mm(22)  # the page number's rule sits about 7 mm below the text area
    r_pr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = r_pr.find(qn("w:rFonts"))
    for key in list(fonts.attrib):
        del fonts.attrib[key]  # the template's theme fonts would win over the fonts named below
    for key, name in (("ascii", LATIN), ("hAnsi", LATIN), ("eastAsia", FANGSONG)):
        fonts.set(qn(f"w:{key}"), name)
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    document.styles["Normal"].font.size = Pt(BODY_PT)
    properties = document.core_properties
    properties.title, properties.author, properties.comments = letter.title, letter.issuing_body, ""


def _page_number(footer, align) -> None:
    """"— 1 —" in 四号 宋体, one character in from the outer edge."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(NOTE_PT)
    _font(paragraph.add_run("— "), SONG, NOTE_PT, latin=SONG)
    field = paragraph.add_run()
    _font(field, SONG, NOTE_PT, latin=SONG)
    begin, instruction, separate, shown, end = (OxmlElement(tag) for tag in (
        "w:fldChar", "w:instrText", "w:fldChar", "w:t", "w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    separate.set(qn("w:fldCharType"), "separate")
    shown.text = "1"
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, shown, end):
        field._r.append(element)
    _font(paragraph.add_run(" —"), SONG, NOTE_PT, latin=SONG)


def build_docx(letter: ReplyLetter) -> bytes:
    """The letter as a Word document (bytes)."""
    document = Document()
    _setup(document, letter)
    writer = _Writer(document)
    for block in letter_blocks(letter):
        writer.write(block)
    writer.finish()
    # Odd pages carry the number on the right, even pages on the left.
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
