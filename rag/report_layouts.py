"""How published annual reports lay their text out: lines cut into a label and values, sections.

Internal to `rag.reports`. Real reports come as Markdown tables, as web text whose cells are
joined by `|` with multi-level headers split over several lines and truncated (瓯海 2023), as
tab- or space-separated text out of a PDF or a Word file, with full- or half-width digits and
parentheses. So a line is cut into cells whatever the separator; the trailing run of numeric
cells is its values and the rest is its label, which `rag.report_tables` matches by its words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Section headings 一..六, recognised by their words, not their numerals (a report may skip one).
_SECTION_WORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (4, ("行政复议", "行政诉讼")),
    (5, ("存在的主要问题", "问题及改进", "改进情况")),
    (6, ("其他需要报告",)),
    (1, ("总体情况",)),
    (2, ("主动公开",)),
    (3, ("收到和处理", "申请情况", "依申请公开政府信息")),
)
# A heading without numbering or Markdown marks must be one of the form's own titles.
_BARE_HEADING = re.compile(
    r"^(?:政府信息公开(?:工作)?)?(?:总体情况|主动公开政府信息的?情况|收到和处理政府信息公开申请的?情况"
    r"|(?:因政府信息公开(?:申请)?)?(?:被申请)?行政复议[、和及]?(?:提起)?行政诉讼的?情况"
    r"|存在的主要问题[及和]改进情况|其他需要报告的事项)$")
_TOP_NUMBER = re.compile(r"^(?:第([一二三四五六])部分|([一二三四五六])\s*[、.])\s*")
_SUB_NUMBER = re.compile(r"^\(\s*[一二三四五六]\s*\)\s*")

_QUOTES = "“”\"'‘’「」『』〝〞"
_NUMBERING = re.compile(r"[(][一二三四五六七八九十\d]{1,3}[)]|(?<!\d)\d{1,2}[.、](?!\d)|[一二三四五六七八九十]{1,2}、|^其中[:]?")
_INT = re.compile(r"^\d+$|^\d{1,3}(?:,\d{3})+$")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_UNIT = re.compile(r"(?:件|个|项|条|次|起|宗|家|万元|元)$")
_UNKNOWN_MARKS = frozenset({"-", "—", "——", "–", "/", "\\", "*", "×", "x", "X", "无", "空", "…", "……", "...", "?", "？"})
_GARBLED = re.compile(r"^[\dOoIlSs|.,]*\d[\dOoIlSs|.,]*$|^[OoIl]$")
_MD_RULE = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|?)+\s*$")


def norm(text: str) -> str:
    """NFKC: full-width digits, letters, parentheses and colons become half-width."""
    return unicodedata.normalize("NFKC", text)


def loose(text: str) -> str:
    """The text for matching: NFKC, no whitespace, no quotes of either kind."""
    return "".join(ch for ch in norm(text) if not ch.isspace() and ch not in _QUOTES and ch != "\u200b")


def label_key(text: str) -> str:
    """A row label for matching: `loose`, without the form's numbering ("（三）", "1.", "三、") or "/", ":"."""
    return _NUMBERING.sub("", loose(text)).replace("/", "").replace(":", "")


@dataclass(frozen=True)
class Row:
    """One line of the report cut into a label and the trailing run of value cells."""

    line_no: int
    label: str  # as written, cells joined by " / "
    key: str  # label_key(label)
    values: tuple[str, ...]  # raw cells; "" is an empty cell
    cells: tuple[str, ...]  # every non-empty cell of the line, inner whitespace removed
    words: tuple[str, ...] = ()  # every whitespace-separated word of the line

    @property
    def has_values(self) -> bool:
        return any(v.strip() for v in self.values)


def split_rows(lines: Sequence[str]) -> list[Row]:
    """Every non-blank line as a Row (Markdown rule lines are skipped)."""
    rows = []
    for n, line in enumerate(lines):
        if line.strip() and not _MD_RULE.match(line):
            rows.append(_row(n, line))
    return rows


def _row(n: int, line: str) -> Row:
    text = line.strip()
    if "|" in text or "｜" in text:
        parts = re.split(r"[|｜]", text)
        parts = parts[1:] if text[0] in "|｜" else parts
        parts = parts[:-1] if text[-1] in "|｜" and parts else parts
    elif "\t" in text:
        parts = text.split("\t")
    else:
        parts = re.split(r"\s{2,}|\u3000+", text)
    tokens: list[tuple[int, str]] = []
    for i, part in enumerate(parts):
        words = part.split() or [""]
        tokens.extend((i, w) for w in words)
    end = len(tokens)
    while end and tokens[end - 1][1] == "":
        end -= 1
    start = end
    while start and (tokens[start - 1][1] == "" or value_like(tokens[start - 1][1])):
        start -= 1
    values = [t for _, t in tokens[start:end]]
    while values and values[0] == "":
        values.pop(0)
    by_cell: dict[int, list[str]] = {}
    for i, word in tokens[:start]:
        if word:
            by_cell.setdefault(i, []).append(word)
    label = " / ".join(" ".join(words) for words in by_cell.values())
    cells = tuple("".join(p.split()) for p in parts if p.strip())
    return Row(n, label, label_key(label), tuple(values), cells, tuple(w for _, w in tokens if w))


def join_cell_lines(rows: Sequence[Row], widths: frozenset[int]) -> list[Row]:
    """Rows whose cells were copied one per line: a label line followed by exactly `width`
    lines of one number each becomes one row (a stray page number is not swallowed)."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        row, j = rows[i], i + 1
        while j < len(rows) and not rows[j].key and len(rows[j].values) == 1 and rows[j].has_values:
            j += 1
        if row.key and not row.has_values and j - i - 1 in widths:
            values = tuple(v for r in rows[i + 1:j] for v in r.values)
            out.append(Row(rows[j - 1].line_no, row.label, row.key, values, row.cells, row.words))
            i = j
        else:
            out.append(row)
            i += 1
    return out


def value_like(cell: str) -> bool:
    """A cell that stands where a number should: a number, a dash or blank mark, or a garbled number."""
    text = _UNIT.sub("", norm(cell).strip().strip("*_ "))
    return bool(_NUMBER.match(text) or text in _UNKNOWN_MARKS or (len(text) <= 8 and _GARBLED.match(text)))


def to_int(cell: str) -> int | None:
    """A count; None when the cell is not a plain non-negative whole number."""
    text = _UNIT.sub("", norm(cell).strip().strip("*_ "))
    if _INT.match(text):
        return int(text.replace(",", ""))
    if re.fullmatch(r"\d+\.0+", text):
        return int(text.split(".")[0])
    return None


def to_number(cell: str) -> int | float | None:
    """A table-二 figure (a count, a signed change, an amount); None when unreadable."""
    text = _UNIT.sub("", norm(cell).strip().strip("*_ "))
    if not _NUMBER.match(text):
        return None
    value = float(text.replace(",", ""))
    return int(value) if value.is_integer() and "." not in text else value


# ---------------------------------------------------------------- sections


@dataclass(frozen=True)
class Section:
    index: int  # 1..6
    heading: str
    start: int  # line number of the heading
    end: int  # line number after the section's last line


def find_sections(lines: Sequence[str]) -> list[Section]:
    """The headings 一..六 in document order, each running to the next heading."""
    marks = [(n, idx, line.strip().lstrip("#").strip()) for n, line in enumerate(lines)
             if (idx := _heading_index(line)) is not None]
    return [Section(idx, head, n, marks[i + 1][0] if i + 1 < len(marks) else len(lines))
            for i, (n, idx, head) in enumerate(marks)]


def _heading_index(line: str) -> int | None:
    text = line.strip()
    if not text or "|" in text or "\t" in text:
        return None
    markdown = text.startswith("#")
    text = norm(text.lstrip("#").strip())
    numbered = _TOP_NUMBER.match(text)
    sub = None if numbered else _SUB_NUMBER.match(text)
    rest = loose(text[(numbered or sub).end():] if numbered or sub else text)
    if not rest or len(rest) > 32 or re.search(r"\d", rest):
        return None
    # "（一）主动公开" is a paragraph of 总体情况, not section 二: bare or （一）-numbered lines
    # count only when they are one of the form's titles.
    if not (numbered or markdown or _BARE_HEADING.match(rest)):
        return None
    for index, words in _SECTION_WORDS:
        if any(w in rest for w in words):
            return index
    return None


def rows_in(rows: Iterable[Row], sections: Sequence[Section], index: int) -> list[Row]:
    """The rows inside every section with this index."""
    spans = [(s.start, s.end) for s in sections if s.index == index]
    return [r for r in rows if any(a <= r.line_no < b for a, b in spans)]
