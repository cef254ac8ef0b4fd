"""The generated annual report as a .docx in 公文 style, ready for the office to finish.

Title 方正小标宋简体 二号; headings 一…六 黑体 三号; body 仿宋_GB2312 三号, first line indented
two characters; tables in 仿宋_GB2312 五号 with the form's row labels. python-docx writes only
w:ascii/w:hAnsi for a font name, so w:eastAsia is set by hand on every run and on the Normal
style (TECH-NOTES §6). Gaps (【待填：…】) are highlighted; the 勾稽关系 results come last, marked
for deletion before publication. The blocks are those of `to_markdown`: one source for both.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from rag.annual import AnnualReport, to_markdown
from rag.letters.word import BODY_FONT, BODY_SIZE, TITLE_FONT, TITLE_SIZE, add_text, official_document
from rag.core.errors import BadInput

HEADING_FONT = "黑体"
TABLE_SIZE = Pt(10.5)  # 五号


def write_report_docx(report: AnnualReport, path: Path) -> Path:
    """Write the report to `path` (.docx); return the path."""
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise BadInput(f"输出文件应以 .docx 结尾，收到：{path}")
    doc = official_document()
    for block in _blocks(to_markdown(report)):
        kind, payload = block
        if kind == "title":
            _para(doc, payload, TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
        elif kind == "heading":
            _para(doc, payload, HEADING_FONT, BODY_SIZE, indent=True)
        elif kind == "table":
            _table(doc, payload)
        else:
            _para(doc, payload, BODY_FONT, BODY_SIZE, indent=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(path))
    except OSError as exc:
        raise BadInput(f"无法写出文件 {path}：{exc.strerror or exc}") from exc
    return path


def _blocks(markdown: str) -> list[tuple[str, object]]:
    """The Markdown of `to_markdown` as title / heading / paragraph / table blocks."""
    out: list[tuple[str, object]] = []
    table: list[list[str]] = []
    for line in markdown.splitlines():
        text = line.strip()
        if text.startswith("|"):
            cells = [c.strip() for c in text.strip("|").split("|")]
            if not all(set(c) <= {"-", ":"} for c in cells):
                table.append(cells)
            continue
        if table:
            out.append(("table", table))
            table = []
        if not text or text == "---" or text == ">":
            continue
        if text.startswith("# "):
            out.append(("title", text[2:]))
        elif text.startswith("## "):
            out.append(("heading", text[3:]))
        else:
            out.append(("para", text.lstrip("> ")))
    if table:
        out.append(("table", table))
    return out


def _table(doc: Document, rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, cells in enumerate(rows):
        row = table.add_row()
        for c, text in enumerate(cells):
            p = row.cells[c].paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if c == 0 else WD_ALIGN_PARAGRAPH.CENTER
            add_text(p, text, HEADING_FONT if r == 0 else BODY_FONT, TABLE_SIZE)
    doc.add_paragraph()


def _para(doc: Document, text: str, font: str, size: Pt, *, align: int | None = None,
          indent: bool = False) -> Paragraph:
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size.pt * 2)
    add_text(p, text, font, size)
    return p
