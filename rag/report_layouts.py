"""How published annual reports lay their tables out, and how to read the rows back.

Internal to `rag.reports`. Real reports come as Markdown tables, as web text whose cells are
joined by `|` with multi-level headers split over several lines and truncated (瓯海 2023), as
tab- or space-separated text out of a PDF or a Word file, with full- or half-width digits and
parentheses. So a line is cut into cells whatever the separator, the trailing run of numeric
cells is its values, the rest is its label, and rows are recognised by what the label says —
never by their position, except where a layout has no labels at all (瓯海's table 四 is one
row of 15 bare numbers).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rag.outcomes import GROUPS, OUTCOMES, Outcome

# The seven columns of table 三 (国办公开办函〔2021〕30号 format), in the form's order.
COLUMNS: tuple[str, ...] = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
# Table 四: its three rows and the five parts of each, in the form's order.
T4_ROWS: tuple[str, ...] = ("行政复议", "未经复议直接起诉", "复议后起诉")
T4_PARTS: tuple[str, ...] = ("维持", "纠正", "其他", "尚未审结", "总计")

NEW, CARRIED_IN, TOTAL, CARRIED_OUT = "本年新收", "上年结转", "总计", "结转下年度继续办理"
OTHER_KEY = "其他处理/其他"

# Shorter wordings seen in real reports for the form's long row labels (keyed by outcome code).
# A label is matched by the longest of these (or of the form's own labels) it contains.
_ALIASES: dict[str, tuple[str, ...]] = {
    "secret": ("国家秘密",),
    "law_forbids": ("禁止公开",),
    "security": ("三安全一稳定",),
    "third_party": ("第三方合法权益", "保护第三方"),
    "internal": ("内部事务",),
    "process": ("过程性信息", "过程性"),
    "enforcement_file": ("执法案卷",),
    "special_query": ("行政查询",),
    "not_held": ("不掌握",),
    "needs_compiling": ("另行制作", "没有现成信息"),
    "still_unclear": ("仍不明确",),
    "petition": ("信访", "举报投诉"),
    "repeat": ("重复申请",),
    "publication": ("出版物",),
    "mass_requests": ("大量反复",),
    "confirm_reissue": ("重新出具",),
    "no_correction": ("逾期不补正",),
    "fee_unpaid": ("缴纳费用", "收费通知"),
}

# Section headings 一..六, recognised by their words, not their numerals (a report may skip one).
_SECTION_WORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (4, ("行政复议", "行政诉讼")),
    (5, ("存在的主要问题", "问题及改进", "改进情况")),
    (6, ("其他需要报告",)),
    (1, ("总体情况",)),
    (2, ("主动公开",)),
    (3, ("收到和处理", "申请情况", "依申请公开政府信息")),
)
_TOP_NUMBER = re.compile(r"^(?:第([一二三四五六])部分|([一二三四五六])\s*[、.])\s*")

# Table 二: words that mark a column header, and the 2021 names of its rows (the 2019 试行
# format says 规范性文件 for the same 行政规范性文件).
_T2_COLUMN_WORDS = ("件数", "数量", "金额", "增/减", "增减", "总数")
_T2_ITEMS: tuple[tuple[str, str], ...] = (
    ("规章", "规章"), ("规范性文件", "行政规范性文件"), ("行政许可", "行政许可"),
    ("其他对外管理服务事项", "其他对外管理服务事项"), ("行政处罚", "行政处罚"),
    ("行政强制", "行政强制"), ("行政事业性收费", "行政事业性收费"), ("政府集中采购", "政府集中采购"),
)

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
    """A row label for matching: `loose`, with the form's numbering ("（三）", "1.", "三、") removed."""
    return _NUMBERING.sub("", loose(text))


@dataclass(frozen=True)
class Row:
    """One line of the report cut into a label and the trailing run of value cells."""

    line_no: int
    label: str  # as written, cells joined by " / "
    key: str  # label_key(label)
    values: tuple[str, ...]  # raw cells; "" is an empty cell
    cells: tuple[str, ...]  # every non-empty cell of the line, inner whitespace removed

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
        words = part.split()
        tokens.extend((i, w) for w in words) if words else tokens.append((i, ""))
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
    return Row(n, label, label_key(label), tuple(values), cells)


def value_like(cell: str) -> bool:
    """A cell that stands where a number should: a number, a dash or blank mark, or a garbled number."""
    text = _UNIT.sub("", norm(cell).strip())
    return bool(_NUMBER.match(text) or text in _UNKNOWN_MARKS or (len(text) <= 8 and _GARBLED.match(text)))


def to_int(cell: str) -> int | None:
    """A count; None when the cell is not a plain non-negative whole number."""
    text = _UNIT.sub("", norm(cell).strip())
    if _INT.match(text):
        return int(text.replace(",", ""))
    if re.fullmatch(r"\d+\.0+", text):
        return int(text.split(".")[0])
    return None


def to_number(cell: str) -> int | float | None:
    """A table-二 figure (a count, a signed change, an amount); None when unreadable."""
    text = _UNIT.sub("", norm(cell).strip())
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
    rest = loose(text[numbered.end():] if numbered else text)
    if not rest or len(rest) > 32 or re.search(r"\d", rest):
        return None
    if not (numbered or markdown or rest.endswith(("情况", "事项"))):
        return None
    for index, words in _SECTION_WORDS:
        if any(w in rest for w in words):
            return index
    return None


def rows_in(rows: Iterable[Row], sections: Sequence[Section], index: int) -> list[Row]:
    """The rows inside every section with this index."""
    spans = [(s.start, s.end) for s in sections if s.index == index]
    return [r for r in rows if any(a <= r.line_no < b for a, b in spans)]


# ---------------------------------------------------------------- table 三


@dataclass
class Table3:
    rows: dict[str, list[int]]
    problems: list[str]
    found: bool  # some row of table 三 was recognised by its label
    split_other: bool  # the three 其他处理 rows of the 2021 format are there
    merged_other: bool  # the single （六）其他处理 row of the 2019 试行 format carried numbers
    first_line: int
    last_line: int


def classify3(key: str, group: str | None) -> tuple[str, str] | None:
    """("row", report key) | ("group", group name) for a table-三 label; None if it is not one."""
    if not key:
        return None
    if "本年新收" in key or key.startswith("新收"):
        return "row", NEW
    if "上年结转" in key:
        return "row", CARRIED_IN
    if "结转下年" in key:
        return "row", CARRIED_OUT
    best: tuple[int, Outcome] | None = None
    for o in OUTCOMES:
        for phrase in (o.item, o.form_label, *_ALIASES.get(o.code, ())):
            if phrase and o.code != "other" and (p := loose(phrase)) in key and (best is None or len(p) > best[0]):
                best = (len(p), o)
    if best:
        return "row", best[1].report_key
    stripped = key.replace("本年度办理结果", "").replace("办理结果", "")
    if stripped.endswith("其他") and ("其他处理" in stripped[:-2] or group == "其他处理"):
        return "row", OTHER_KEY
    if "总计" in stripped or "合计" in stripped:
        return "row", TOTAL
    for name in GROUPS[2:]:
        if stripped.startswith(name) or stripped.endswith(name):
            return "group", name
    return None


def read_table3(rows: Sequence[Row]) -> Table3:
    """Table 三 from the rows of its section: each row found by its label."""
    out = Table3({}, [], False, False, False, -1, -1)
    group: str | None = None
    order = list(range(len(COLUMNS)))
    pending: Row | None = None  # a label line whose numbers may follow on the next line
    previous_label = ""
    group_rows: dict[str, list[int]] = {}
    unlabelled: list[Row] = []
    for row in rows:
        kind = classify3(row.key, group)
        if kind is None and row.has_values and previous_label:
            kind = classify3(label_key(previous_label + row.label), group)
        if not row.has_values:
            if kind:
                out.found = True
                pending = row
                group = kind[1] if kind[0] == "group" else group
            elif (cols := _column_order(row)) is not None and not out.rows:
                order = cols
            previous_label = row.label
            continue
        if kind is None and not row.key and pending is not None:
            kind = classify3(pending.key, group)
            row = Row(row.line_no, pending.label, pending.key, row.values, row.cells)
        pending, previous_label = None, ""
        if kind is None:
            if not row.key and len(row.values) == len(COLUMNS):
                unlabelled.append(row)
            elif row.key and len(row.values) == len(COLUMNS) and out.found:
                out.problems.append(f"表三中未识别的行“{row.label}”，未读取")
            continue
        out.found = True
        out.first_line = row.line_no if out.first_line < 0 else out.first_line
        out.last_line = row.line_no
        numbers = _numbers(row, order, "表三", out.problems)
        what, name = kind
        if what == "group":
            group = name
            if numbers is not None:
                group_rows[name] = numbers
            continue
        if name.count("/") and not name.startswith(("予以", "部分")):
            group = name.split("/")[0]
        if name in ("其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", OTHER_KEY,
                    "其他处理/申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"):
            out.split_other = True
        if numbers is None:
            continue
        if name in out.rows and out.rows[name] != numbers:
            out.problems.append(f"表三“{name}”行出现两次且数字不同，取第一次：{out.rows[name]}，另一次：{numbers}")
        out.rows.setdefault(name, numbers)
    _settle_groups(out, group_rows)
    if not out.found and unlabelled:
        _positional3(out, unlabelled)
    return out


def _settle_groups(out: Table3, group_rows: dict[str, list[int]]) -> None:
    # The 2019 试行 format has one （六）其他处理 row; the 2021 format splits it in three.
    other = group_rows.get("其他处理")
    if other is not None and not any(k.startswith("其他处理/") for k in out.rows):
        out.rows[OTHER_KEY] = other
        out.merged_other, out.split_other = True, False
        out.problems.append("“（六）其他处理”只有一行（2019年试行格式不分三项）：计入“其他处理/其他”，"
                            "“逾期不补正”“逾期未缴费”两项缺")
    for name, numbers in group_rows.items():
        if name != "其他处理" and not any(k.startswith(name + "/") for k in out.rows):
            out.problems.append(f"表三“{name}”只有合计行{numbers}、没有分项，分项未读取")


def _positional3(out: Table3, rows: list[Row]) -> None:
    # Only when no row has a label at all: the form's own row order (2021: 25 rows, 2019: 23).
    from rag.outcomes import report_keys

    keys = list(report_keys())
    if len(rows) == len(keys) - 2:
        keys = [k for k in keys if not k.startswith("其他处理/") or k == OTHER_KEY]
        out.merged_other = True
    if len(rows) != len(keys):
        out.problems.append(f"表三没有行名，且有{len(rows)}行数字（格式应为25行），无法对应")
        return
    out.found = True
    out.problems.append("表三没有行名：按年报格式的行序对应各行")
    for key, row in zip(keys, rows):
        numbers = _numbers(row, list(range(len(COLUMNS))), "表三", out.problems, name=key)
        if numbers is not None:
            out.rows[key] = numbers
    out.first_line, out.last_line = rows[0].line_no, rows[-1].line_no


def _column_order(row: Row) -> list[int] | None:
    found: dict[int, int] = {}
    for pos, cell in enumerate(loose(c) for c in row.cells):
        for col, name in enumerate(COLUMNS):
            if cell == name or (cell.endswith(name) and name != "其他") or cell.endswith(":" + name):
                found.setdefault(col, pos)
    if len(found) != len(COLUMNS):
        return None
    return sorted(found, key=found.__getitem__)


def _numbers(row: Row, order: list[int], table: str, problems: list[str], name: str = "") -> list[int] | None:
    name = name or row.label
    if len(row.values) != len(order):
        problems.append(f"{table}“{name}”行有{len(row.values)}个数（应为{len(order)}个），该行未读取")
        return None
    numbers: list[int] = [0] * len(order)
    bad = []
    for col, cell in zip(order, row.values):
        value = to_int(cell)
        if value is None:
            bad.append(f"“{COLUMNS[col]}”列{'为空' if not cell.strip() else f'的“{cell}”不是数字'}")
        else:
            numbers[col] = value
    if bad:
        problems.append(f"{table}“{name}”行" + "、".join(bad) + "，该行未读取")
        return None
    return numbers


# ---------------------------------------------------------------- table 四


def _t4_row(key: str) -> int | None:
    if "未经复议" in key or "直接起诉" in key:
        return 1
    if "复议后" in key:
        return 2
    if "复议" in key:
        return 0
    return None


def _t4_part(key: str) -> int | None:
    for word in ("未经复议直接起诉", "复议后起诉", "行政复议", "行政诉讼"):
        key = key.replace(word, "")
    if "尚未" in key or "未审结" in key:
        return 3
    for i, word in ((0, "维持"), (1, "纠正"), (2, "其他"), (4, "总计"), (4, "合计")):
        if word in key:
            return i
    return None


def read_table4(rows: Sequence[Row]) -> tuple[dict[str, list[int]], list[str]]:
    """Table 四: by labels where a layout has them, by the form's order for a bare row of 15."""
    grid: dict[int, list[int | None]] = {}
    bad: dict[int, list[str]] = {}
    problems: list[str] = []
    current: int | None = None
    header: tuple[str, ...] = ()

    def put(r: int, p: int, cell: str) -> None:
        value = to_int(cell)
        grid.setdefault(r, [None] * 5)[p] = value
        if value is None:
            bad.setdefault(r, []).append(f"“{T4_PARTS[p]}”{'为空' if not cell.strip() else f'为“{cell}”'}")

    for row in rows:
        r, p = _t4_row(row.key), _t4_part(row.key)
        if not row.has_values:
            current = r if r is not None and p is None else current
            header = row.cells if row.cells else header
            continue
        n = len(row.values)
        if n == 1 and p is not None and (r if r is not None else current) is not None:
            put(r if r is not None else current, p, row.values[0])  # type: ignore[arg-type]
        elif n == 5 and p is None and (r if r is not None else current) is not None:
            parts = _t4_header_parts(header)
            for part, cell in zip(parts, row.values):
                put(r if r is not None else current, part, cell)  # type: ignore[arg-type]
        elif n == 15 and not row.key:
            for (rr, pp), cell in zip(_t4_header_cells(header), row.values):
                put(rr, pp, cell)
        elif r is not None or p is not None or not row.key:
            problems.append(f"表四中无法对应的一行（{n}个数）：“{row.label or ' '.join(row.values)}”")
    table: dict[str, list[int]] = {}
    for r in sorted(grid):
        cells = grid[r]
        if r in bad:
            problems.append(f"表四“{T4_ROWS[r]}”行" + "、".join(bad[r]) + "，该行未读取")
        elif None in cells:
            missing = "、".join(T4_PARTS[i] for i, v in enumerate(cells) if v is None)
            problems.append(f"表四“{T4_ROWS[r]}”行缺少“{missing}”，该行未读取")
        else:
            table[T4_ROWS[r]] = [int(v) for v in cells]  # type: ignore[arg-type]
    return table, problems


def _t4_header_parts(header: Sequence[str]) -> list[int]:
    parts = [_t4_part(label_key(c)) for c in header]
    parts = [p for p in parts if p is not None]
    return parts if sorted(parts) == list(range(5)) else list(range(5))


def _t4_header_cells(header: Sequence[str]) -> list[tuple[int, int]]:
    cells = [(_t4_row(label_key(c)), _t4_part(label_key(c))) for c in header]
    if len(cells) == 15 and all(r is not None and p is not None for r, p in cells) and len(set(cells)) == 15:
        return cells  # type: ignore[return-value]
    return [(r, p) for r in range(3) for p in range(5)]  # the form's order


# ---------------------------------------------------------------- table 二


def read_table2(rows: Sequence[Row]) -> tuple[dict[str, dict[str, int | float]], list[str]]:
    """Table 二: each row's figures under the column headers of its sub-table."""
    table: dict[str, dict[str, int | float]] = {}
    problems: list[str] = []
    columns: list[str] = []
    for row in rows:
        if not row.has_values:
            heads = [c for c in row.cells if any(w in norm(c) for w in _T2_COLUMN_WORDS)]
            columns = [_canon_column(c) for c in heads] if heads else columns
            continue
        item = _t2_item(row.key, row.label)
        if item is None:
            continue
        if not columns:
            problems.append(f"表二“{item}”行前没有列名，未读取")
            continue
        if len(row.values) > len(columns):
            problems.append(f"表二“{item}”行有{len(row.values)}个数、只有{len(columns)}个列名，多出的未读取")
        for column, cell in zip(columns, row.values):
            value = to_number(cell)
            if value is None:
                problems.append(f"表二“{item}”行“{column}”{'为空' if not cell.strip() else f'的“{cell}”不是数字'}，未读取")
            else:
                table.setdefault(item, {})[column] = value
    return table, problems


def _t2_item(key: str, label: str) -> str | None:
    for word, name in _T2_ITEMS:
        if word in key:
            return name
    return label.strip() if 0 < len(key) <= 12 and not re.search(r"\d", key) else None


def _canon_column(cell: str) -> str:
    text = "".join(norm(cell).split())
    return text.replace("(", "（").replace(")", "）").replace(":", "：")
