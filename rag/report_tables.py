"""Tables 二, 三 and 四 of an annual report, read from the rows of `rag.report_layouts`.

Internal to `rag.reports`. Rows are recognised by what their label says (the form's labels in
`rag.core.outcomes`, group names, 本年新收/上年结转/总计/结转下年度), so reordered, partial or
re-worded tables still parse; position is used only where a layout has no labels at all
(瓯海 2023's table 四 is one row of 15 bare numbers). A cell that is not a plain number makes
its row absent, with the reason in `problems`: a figure is never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.core.outcomes import GROUPS, OUTCOMES, Outcome, report_keys
from rag.report_layouts import Row, join_cell_lines, label_key, loose, norm, to_int, to_number

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


# Table 二: words that mark a column header, and the 2021 names of its rows (the 2019 试行
# format says 规范性文件 for the same 行政规范性文件).
_T2_COLUMN_WORDS = ("件数", "数量", "金额", "增/减", "增减", "总数")
_T2_ITEMS: tuple[tuple[str, str], ...] = (
    ("规章", "规章"), ("规范性文件", "行政规范性文件"), ("行政许可", "行政许可"),
    ("其他对外管理服务事项", "其他对外管理服务事项"), ("行政处罚", "行政处罚"),
    ("行政强制", "行政强制"), ("行政事业性收费", "行政事业性收费"), ("政府集中采购", "政府集中采购"),
)


# ---------------------------------------------------------------- table 三


@dataclass
class Table3:
    rows: dict[str, list[int]]
    problems: list[str]
    found: bool  # some row with numbers was recognised by its label as a row of table 三
    split_other: bool  # the three 其他处理 rows of the 2021 format are there
    merged_other: bool  # the single （六）其他处理 row of the 2019 试行 format carried numbers
    first_line: int
    last_line: int


_NEW = re.compile(r"新收")
_CARRIED_IN = re.compile(r"上一?年度?结转")
_CARRIED_OUT = re.compile(r"结转(?:至)?下一?年")


def classify3(key: str, group: str | None) -> tuple[str, str] | None:
    """("row", report key) | ("group", group name) for a table-三 label; None if it is not one."""
    if not key:
        return None
    if _NEW.search(key):
        return "row", NEW
    if _CARRIED_IN.search(key):
        return "row", CARRIED_IN
    if _CARRIED_OUT.search(key):
        return "row", CARRIED_OUT
    best: tuple[int, Outcome] | None = None
    for o in OUTCOMES:
        for phrase in (o.item, o.form_label, *_ALIASES.get(o.code, ())):
            if phrase and o.code != "other" and (p := loose(phrase)) in key and (best is None or len(p) > best[0]):
                best = (len(p), o)
    if best:
        return "row", best[1].report_key
    stripped = key.replace("本年度办理结果", "").replace("办理结果", "")
    # "其他" alone is a row only under 其他处理: the word is in many other labels.
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
    pending: Row | None = None  # the label line just before, when a label or its numbers wrap
    group_rows: dict[str, list[int]] = {}
    unlabelled: list[Row] = []
    for row in join_cell_lines(rows, frozenset({len(COLUMNS)})):
        kind = classify3(row.key, group)
        if not row.has_values:
            if _is_column_header(row):
                if not out.rows:
                    order = _column_order(row) or order
                pending = None
                continue
            if kind and kind[0] == "group":
                group = kind[1]
            pending = row
            continue
        if (kind is None or not row.key) and pending is not None:
            joined = classify3(label_key(pending.label + row.label), group)
            if joined and joined[0] == "row":
                kind = joined
                row = Row(row.line_no, f"{pending.label}{row.label}", row.key, row.values, row.cells, row.words)
        pending = None
        if kind is None:
            if not row.key and len(row.values) == len(COLUMNS):
                unlabelled.append(row)
            elif row.key and len(row.values) == len(COLUMNS) and out.found:
                out.problems.append(f"表三中未识别的行“{row.label}”，未读取")
            continue
        out.found = True
        out.first_line = row.line_no if out.first_line < 0 else out.first_line
        out.last_line = row.line_no
        what, name = kind
        numbers = _numbers(row, order, "表三", out.problems, name=name)
        if what == "group":
            group = name
            if numbers is not None:
                group_rows[name] = numbers
            continue
        if "/" in name:
            group = name.split("/")[0]
        if name.startswith("其他处理/") and name != OTHER_KEY:
            out.split_other = True
        if numbers is None:
            continue
        if name in out.rows and out.rows[name] != numbers:
            out.problems.append(f"表三“{name}”行出现两次且数字不同，取第一次：{out.rows[name]}，另一次：{numbers}")
        out.rows.setdefault(name, numbers)
    _settle_groups(out, group_rows)
    if not out.rows and unlabelled:
        _positional3(out, unlabelled)
    return out


def _is_column_header(row: Row) -> bool:
    cells = [loose(c) for c in row.cells]
    return (any(c.startswith(("自然人", "法人或其他组织", "申请人情况")) for c in cells)
            or sum(c in COLUMNS for c in cells) >= 2)


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

    for row in join_cell_lines(rows, frozenset({1, 5, 15})):
        r, p = _t4_row(row.key), _t4_part(row.key)
        if not row.has_values:
            current = r if r is not None else current
            header = row.cells if row.cells else header
            continue
        n = len(row.values)
        current = r if r is not None else current
        if n == 1 and p is not None and current is not None:
            put(current, p, row.values[0])
        elif n == 5 and p is None and current is not None:
            for part, cell in zip(_t4_header_parts(header), row.values):
                put(current, part, cell)
        elif n == 10 and r is None and "诉讼" in row.key:  # 行政诉讼 only: its two rows in the form's order
            for (rr, pp), cell in zip([(rr, pp) for rr in (1, 2) for pp in range(5)], row.values):
                put(rr, pp, cell)
        elif n == 15:
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
    in_header = False  # a header may run over several lines (one per cell when copied from a page)
    for row in join_cell_lines(rows, frozenset({1, 2, 3})):
        if not row.has_values:
            cells = row.cells if len(row.cells) > 1 else row.words  # single-space text: one cell per word
            heads = [_canon_column(c) for c in cells if any(w in norm(c) for w in _T2_COLUMN_WORDS)]
            if heads:
                columns = columns + heads if in_header else heads
            in_header = bool(heads)
            continue
        in_header = False
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
