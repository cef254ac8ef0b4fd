"""Turn a report file's bytes into text for `rag.reports.parse_report`.

Reports arrive as web text (UTF-8 or GBK, sometimes raw HTML), Markdown, Word (.docx) or PDF.
Tables come out as one line per row with cells joined by " | ", the layout the parser reads.
"""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from rag.core.documents import decode_text
from rag.core.errors import BadInput, ReportUnusable

if TYPE_CHECKING:
    from docx.table import Table

_HTML_BLOCKS = frozenset({"p", "div", "br", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section"})


def report_text(data: bytes, name: str = "") -> str:
    """The text of a report file: .docx and .pdf by content, text as UTF-8 or GBK, HTML without tags."""
    if not data.strip():
        raise ReportUnusable(f"文件为空：{name}" if name else "输入为空")
    if data.startswith(b"PK\x03\x04"):
        return _docx_text(data, name)
    if data.startswith(b"%PDF"):
        return _pdf_text(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadInput(f"旧版 Word/Excel 文件（.doc/.xls）无法读取，请另存为 .docx 后再试：{name}")
    text = _decode(data, name)
    head = text[:4000].lower()
    if "<table" in head or "<html" in head or "<td" in head or "<p>" in head:
        text = _html_text(text)
    return text


def _decode(data: bytes, name: str) -> str:
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[:8192]:
        raise BadInput(f"不是文本文件（含二进制内容）：{name}")
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        raise BadInput(f"文件不是 UTF-8 或 GBK 编码的文本：{name}") from exc
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > max(3, len(text[:20000]) // 100):
        raise BadInput(f"不是文本文件（含大量控制字符）：{name}")
    return text


def _docx_text(data: bytes, name: str) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BadInput(f"不是可读的 .docx 文件：{name}") from exc
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(Paragraph(child, doc).text)
        elif child.tag == qn("w:tbl"):
            lines.extend(_docx_rows(Table(child, doc)))
    return "\n".join(lines)


def _docx_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        seen: list[object] = []  # a merged cell comes back once per grid column it spans
        cells = []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)
            cells.append(" ".join(cell.text.split()))
        rows.append(" | ".join(cells))
    return rows


def _pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        # Layout mode keeps the gaps between table cells as runs of spaces.
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise BadInput(f"不是可读的 PDF 文件：{name}（{exc}）") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise ReportUnusable(f"PDF 中没有可提取的文字（可能是扫描件，需先做文字识别）：{name}")
    return text


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "tr":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag in _HTML_BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in _HTML_BLOCKS or tag == "tr":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(" ".join(data.split()) if "\n" in data else data)


def _html_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return "\n".join(line.strip() for line in "".join(parser.parts).splitlines())
