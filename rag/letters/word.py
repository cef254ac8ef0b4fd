"""A drafted letter as a .docx in 公文 format (GB/T 9704—2012 in spirit), ready for letterhead paper.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体 二号 (22 pt)
centred; 文号 centred 仿宋_GB2312 三号 under it; body 仿宋_GB2312 三号 (16 pt), fixed 28.95 pt line
pitch (22 lines a page), first line indented two characters; 落款 right-aligned; page numbers
"— 1 —" in 四号 半角宋体, odd pages right and even pages left, one character in from the edge.

python-docx writes only w:ascii/w:hAnsi for a font name; Chinese text takes w:eastAsia, so it
is set by hand on every run and on the Normal style (TECH-NOTES §6). Fonts a machine lacks are
listed with fall-backs (w:altName) in the font table so Word/WPS substitute sensibly. Gaps
(【待填：…】) are highlighted so the clerk cannot miss them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from rag.core.errors import BadInput
from rag.letters.draft import GAP_RE, Letter

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
PAGE_FONT = "宋体"
# What to use where the 公文 fonts are not installed (w:altName of the font table).
FALLBACKS = {TITLE_FONT: "华文中宋", BODY_FONT: "仿宋", PAGE_FONT: "SimSun"}
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_SIZE = Pt(14)  # 四号
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area
TITLE_PITCH = Pt(35)
INDENT_CHARS = 200  # w:firstLineChars is in hundredths of a character: 2 characters


def write_docx(letter: Letter, path: Path) -> Path:
    """Write `letter` to `path` as a .docx; return the path."""
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise BadInput(f"输出文件应以 .docx 结尾，收到：{path}")
    doc = official_document()
    _paragraph(doc, letter.title, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
               pitch=TITLE_PITCH)
    _paragraph(doc, letter.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "")
    _paragraph(doc, letter.salutation)
    for text in letter.paragraphs:
        _paragraph(doc, text, indent=True)
    for _ in range(2):  # room for the seal (加盖印章) above the date
        _paragraph(doc, "")
    for line in letter.signature:
        _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    if letter.notes:
        _paragraph(doc, "")
        for line in letter.notes:
            _paragraph(doc, line, indent=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def official_document() -> Document:
    """An empty A4 document in 公文 format: margins, 仿宋 三号 Normal style (w:eastAsia set), the
    font table with fall-backs, page numbers. Letters and the annual report both start here."""
    doc = Document()
    _page_setup(doc)
    _normal_style(doc)
    _font_table(doc)
    _page_numbers(doc)
    return doc


def add_text(p: Paragraph, text: str, font: str = BODY_FONT, size: Pt = BODY_SIZE) -> None:
    """Runs of `text` in `font` (East Asian attribute set), 【待填：…】 gaps highlighted."""
    pos = 0
    for m in GAP_RE.finditer(text):
        _run(p, text[pos:m.start()], font, size)
        _run(p, m.group(), font, size, highlight=True)
        pos = m.end()
    _run(p, text[pos:], font, size)


def to_pdf(docx_path: Path, out_dir: Path | None = None) -> Path | None:
    """Convert with LibreOffice when it is installed; None when it is not (the .docx is enough)."""
    binary = shutil.which("libreoffice") or shutil.which("soffice")
    if not binary:
        return None
    out = Path(out_dir or docx_path.parent)
    subprocess.run([binary, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx_path)],
                   check=True, capture_output=True, timeout=120)
    pdf = out / (docx_path.stem + ".pdf")
    return pdf if pdf.exists() else None


def _page_setup(doc: Document) -> None:
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin = Mm(37), Mm(35)
    s.left_margin, s.right_margin = Mm(28), Mm(26)
    s.footer_distance = Mm(28) - Mm(7)  # the page number sits about 7 mm below the type area


def _normal_style(doc: Document) -> None:
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = BODY_SIZE
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)


def _font_table(doc: Document) -> None:
    """Declare the 公文 fonts with fall-backs (w:altName) and the GB2312 charset in word/fontTable.xml."""
    part = next((rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in FALLBACKS.items():
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", "auto"), ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag), {qn("w:val"): value})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)  # a plain Part


def _paragraph(doc: Document, text: str, *, font: str = BODY_FONT, size: Pt = BODY_SIZE,
               align: int | None = None, indent: bool = False, pitch: Pt = LINE_PITCH,
               right_chars: int = 0) -> Paragraph:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch
    if align is not None:
        p.alignment = align
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    if indent:  # two characters, in character units (firstLineChars) and in twips for older readers
        fmt.first_line_indent = Pt(size.pt * 2)
        ind.set(qn("w:firstLineChars"), str(INDENT_CHARS))
    if right_chars:
        fmt.right_indent = Pt(size.pt * right_chars)
        ind.set(qn("w:rightChars"), str(right_chars * 100))
    add_text(p, text, font, size)
    return p


def _run(p: Paragraph, text: str, font: str, size: Pt, highlight: bool = False) -> None:
    if not text:
        return
    run = p.add_run(text)
    run.font.name = font
    run.font.size = size
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _page_numbers(doc: Document) -> None:
    """"— 1 —": odd pages right, even pages left, one character in (GB/T 9704 7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = PAGE_SIZE
        else:
            p.paragraph_format.left_indent = PAGE_SIZE
        _run(p, "— ", PAGE_FONT, PAGE_SIZE)
        _field(p, "PAGE")
        _run(p, " —", PAGE_FONT, PAGE_SIZE)


def _field(p: Paragraph, instruction: str) -> None:
    """A Word field (PAGE) as begin / instrText / separate / result / end runs."""
    def run_with(child: OxmlElement) -> None:
        run = p.add_run()
        run.font.name = PAGE_FONT
        run.font.size = PAGE_SIZE
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), PAGE_FONT)
        run._element.append(child)

    for kind in ("begin", None, "separate", "result", "end"):
        if kind is None:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        elif kind == "result":
            el = OxmlElement("w:t")
            el.text = "1"
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run_with(el)
