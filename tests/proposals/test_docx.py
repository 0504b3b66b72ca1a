"""The generated Word document: content in the seed order, official-document layout, and LibreOffice can open it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from proposals import letters


def _document(letter):
    return Document(io.BytesIO(letters.build_docx(letter)))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_the_letter_has_its_parts_in_the_seed_order(draft):
    texts = _texts(_document(draft))

    assert texts == [
        "慈溪市经济和信息化局文件",
        "慈经信建〔2021〕1号\t签发人：周海东",
        "对市十七届人大五次会议第220号建议的答复",
        "徐洲代表：",
        "您在市十七届人大五次会议期间提出的《关于加大龙头企业配套产业链扶持力度的建议》（第220号建议）已收悉。",
        "一、强化用地保障",
        "（一）盘活存量用地。鼓励利用闲置厂房建设小微企业园，优先安排配套企业入驻。",
        "二、强化金融支持",
        "推动银行开展供应链融资，引导担保机构降低担保费率。",
        "感谢您对我市产业链工作的关心和支持。",
        "慈溪市经济和信息化局",
        "2021年6月11日",
        "抄送：市人大代表工委，市政府办公室，市自然资源规划局。",
        "联系人：张玲玲　　联系电话：63813127",
    ]


def test_the_class_mark_comes_first_when_set(draft, jxj_handler):
    from proposals import actions

    letter = actions.do_save_reply_draft(draft.proposal, acting_user=jxj_handler, class_mark="A")
    assert _texts(_document(letter))[0] == "类别号：A"


def test_the_page_and_fonts_follow_the_official_document_format(draft):
    document = _document(draft)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    paragraphs = {p.text: p for p in document.paragraphs if p.text.strip()}

    head = paragraphs["慈溪市经济和信息化局文件"].runs[0]
    assert head.font.color.rgb is not None and str(head.font.color.rgb) == "E60012"
    assert head._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    title = paragraphs["对市十七届人大五次会议第220号建议的答复"]
    assert title.alignment == 1 and title.runs[0].font.bold  # centred, bold
    body = paragraphs["推动银行开展供应链融资，引导担保机构降低担保费率。"]
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    heading = paragraphs["一、强化用地保障"].runs[0]
    assert heading._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    inline = paragraphs["（一）盘活存量用地。鼓励利用闲置厂房建设小微企业园，优先安排配套企业入驻。"].runs
    assert inline[0].text == "（一）盘活存量用地。"
    assert inline[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert paragraphs["慈溪市经济和信息化局"].alignment == 2  # right
    assert paragraphs["2021年6月11日"].alignment == 2
    assert paragraphs["抄送：市人大代表工委，市政府办公室，市自然资源规划局。"]._p.pPr.find(qn("w:pBdr")) is not None


def test_the_file_is_named_after_the_title(draft):
    assert letters.docx_filename(draft) == "对市十七届人大五次会议第220号建议的答复.docx"


def _office() -> str | None:
    for candidate in ("/usr/bin/libreoffice", "/usr/bin/soffice"):
        if os.path.exists(candidate):
            return candidate
    return shutil.which("soffice") or shutil.which("libreoffice")


def test_libreoffice_converts_the_letter_to_pdf(draft, tmp_path):
    office = _office()
    if office is None:
        pytest.skip("LibreOffice (soffice) is not installed; the PDF conversion check needs it.")
    source = tmp_path / letters.docx_filename(draft)
    source.write_bytes(letters.build_docx(draft))
    profile = tmp_path / "profile"  # a private profile: a running LibreOffice elsewhere cannot block us
    subprocess.run(
        [office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, timeout=120, capture_output=True,
    )
    pdf = source.with_suffix(".pdf")
    assert pdf.exists() and pdf.stat().st_size > 0
    assert pdf.read_bytes().startswith(b"%PDF")
