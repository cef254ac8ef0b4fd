"""The .docx in 公文 format: open the written file and check its text, fonts, page and numbering."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from rag.core.agency import load_agency
from rag.letters.word import BODY_FONT, TITLE_FONT, to_pdf, write_docx
from rag.core.errors import BadInput
from rag.letters.draft import LetterFacts, draft_letter

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def letter():
    facts = LetterFacts(applicant_name="张三", received_date=date(2024, 3, 5), letter_date=date(2024, 3, 20),
                        request_quote="瓯海区人民政府办公室关于娄桥街道旧村改造项目的请示", extra={"process_kind": "请示报告"})
    return draft_letter("不予公开/属于四类过程性信息", facts, load_agency("瓯海区人民政府办公室", ROOT / "corpus"), ROOT / "prompts")


@pytest.fixture(scope="module")
def written(letter, tmp_path_factory):
    return write_docx(letter, tmp_path_factory.mktemp("docx") / "答复书.docx")


def _east_asia(run) -> str | None:  # type: ignore[no-untyped-def]
    fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_docx_holds_the_letter_text_in_order(letter, written):
    paras = [p.text for p in Document(str(written)).paragraphs if p.text]
    assert paras == [letter.title, letter.number, letter.salutation, *letter.paragraphs, *letter.signature, *letter.notes]


def test_title_is_22pt_xiaobiaosong_centred_with_east_asian_font_set(written):
    title = Document(str(written)).paragraphs[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        assert run.font.size == Pt(22) and run.font.name == TITLE_FONT and _east_asia(run) == TITLE_FONT


def test_number_is_centred_and_body_is_16pt_fangsong_with_east_asian_font_set(written, letter):
    doc = Document(str(written))
    number = doc.paragraphs[1]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = [p for p in doc.paragraphs if p.text in letter.paragraphs]
    assert len(body) == len(letter.paragraphs)
    for p in [number, *body]:
        for run in p.runs:
            assert run.font.size == Pt(16) and run.font.name == BODY_FONT and _east_asia(run) == BODY_FONT
    for p in body:  # first line indented two characters, fixed line pitch 28–29 pt
        assert p.paragraph_format.first_line_indent == Pt(32)
        assert p._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
        assert p.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert Pt(28) <= p.paragraph_format.line_spacing <= Pt(29)


def test_normal_style_sets_the_east_asian_font(written):
    normal = Document(str(written)).styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT and normal.font.size == Pt(16)


def test_signature_is_right_aligned(written, letter):
    doc = Document(str(written))
    sig = [p for p in doc.paragraphs if p.text in letter.signature]
    assert [p.text for p in sig] == list(letter.signature)
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in sig)


def test_page_is_a4_with_gbt9704_margins(written):
    s = Document(str(written)).sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]


def test_footers_carry_a_page_field_in_dash_style(written):
    with zipfile.ZipFile(written) as z:
        footers = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer")]
        settings = z.read("word/settings.xml").decode("utf-8")
    assert len(footers) == 2 and "evenAndOddHeaders" in settings
    for xml in footers:
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml and "— " in xml and " —" in xml
        assert 'w:eastAsia="宋体"' in xml and 'w:val="28"' in xml  # 四号 = 14 pt = 28 half-points


def test_gaps_are_highlighted_for_the_clerk(written):
    doc = Document(str(written))
    gap_runs = [r for p in doc.paragraphs for r in p.runs if r.text.startswith("【待填：")]
    assert gap_runs and all(r.font.highlight_color is not None for r in gap_runs)


def test_font_table_lists_fallbacks_for_the_official_fonts(written):
    with zipfile.ZipFile(written) as z:
        table = z.read("word/fontTable.xml").decode("utf-8")
    assert f'w:name="{TITLE_FONT}"' in table and 'w:val="华文中宋"' in table
    assert f'w:name="{BODY_FONT}"' in table and 'w:val="仿宋"' in table


def test_write_docx_rejects_other_extensions(letter, tmp_path):
    with pytest.raises(BadInput):
        write_docx(letter, tmp_path / "letter.pdf")


@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice not installed")
def test_pdf_conversion_where_libreoffice_exists(written, tmp_path):
    pdf = to_pdf(written, tmp_path)
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")


def test_pdf_conversion_is_skipped_without_libreoffice(written, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert to_pdf(written) is None
