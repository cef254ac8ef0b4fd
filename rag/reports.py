"""Published 政府信息公开工作年度报告: read their tables back into numbers, check the 勾稽关系.

The tables are those of the report format (国办公开办函〔2021〕30号; 2019–2020 reports use the
2019 试行 format, whose table 三 has a single （六）其他处理 row). The checks are the ones the
format itself states for table 三 ("第一项加第二项之和，等于第三项加第四项之和") and the
arithmetic every published table must satisfy; `check_tables` is shared with the generator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rag import report_layouts as lay
from rag import report_tables as tab
from rag.core.errors import BadInput, ReportUnusable
from rag.core.outcomes import OUTCOMES, report_keys

FORMAT_2021, FORMAT_2019, FORMAT_UNKNOWN = "2021", "2019试行", "unknown"

RULE_BALANCE = "本年新收+上年结转=办理结果总计+结转下年度"
RULE_OUTCOMES = "办理结果总计=各项办理结果之和"
RULE_ROW_TOTAL = "总计列=六类申请人之和"
RULE_TABLE4 = "表四总计=维持+纠正+其他+尚未审结"
RULE_CARRY = "本年上年结转=上年结转下年度"
RULE_STOCK = "上年现行有效+本年制发−本年废止=本年现行有效"

_SHORT = {"no_correction": "逾期不补正", "fee_unpaid": "逾期未缴费", "other": "其他（其他处理）"}
_SPLIT_OTHER = tuple(o.report_key for o in OUTCOMES if o.code in ("no_correction", "fee_unpaid"))


@dataclass(frozen=True)
class Check:
    """One 勾稽关系 rule applied to one column, row or pair of years."""

    rule: str
    ok: bool
    detail: str
    severity: Literal["error", "warning"] = "error"

    @property
    def failed(self) -> bool:
        """A failed error-severity check (warnings never fail a report)."""
        return not self.ok and self.severity == "error"

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "ok": self.ok, "detail": self.detail, "severity": self.severity}


@dataclass(frozen=True)
class ParsedReport:
    """What a published report says, as numbers; `problems` says what could not be read and why."""

    agency: str
    year: int | None
    title: str
    format: str  # "2021" | "2019试行" | "unknown"
    table2: dict[str, dict[str, int | float]]
    table3: dict[str, list[int]]  # report_keys() → 7 counts: 自然人 … 其他, 总计
    table4: dict[str, list[int]]  # 行政复议 / 未经复议直接起诉 / 复议后起诉 → 维持, 纠正, 其他, 尚未审结, 总计
    sections: tuple[tuple[str, str], ...] = ()
    problems: tuple[str, ...] = field(default=())

    def to_json(self, previous: ParsedReport | None = None) -> dict[str, Any]:
        """The CLI contract's JSON (`report parse`), checks included."""
        return {
            "agency": self.agency,
            "year": self.year,
            "title": self.title,
            "format": self.format,
            "table3": {k: self.table3[k] for k in report_keys() if k in self.table3},
            "table4": {k: self.table4[k] for k in tab.T4_ROWS if k in self.table4},
            "checks": [c.to_json() for c in check_report(self, previous)],
            "table2": self.table2,
            "problems": list(self.problems),
        }


def parse_report(text: str, source_name: str = "") -> ParsedReport:
    """Parse a report's text; `source_name` (a file name) is only a fallback for agency and year."""
    if not text.strip():
        raise ReportUnusable("文本为空")
    lines = text.splitlines()
    rows = lay.split_rows(lines)
    sections = lay.find_sections(lines)
    t3 = _table3(rows, sections)
    if not t3.rows:
        why = "；".join(t3.problems[:3]) or "未找到表三（收到和处理政府信息公开申请情况）中任何一行有数字"
        raise ReportUnusable(f"这不是可读的政府信息公开工作年度报告：{why}")
    problems = list(t3.problems)

    t2_rows = lay.rows_in(rows, sections, 2) or [r for r in rows if r.line_no < t3.first_line]
    table2, t2_problems = tab.read_table2(t2_rows)
    problems += t2_problems if table2 or t2_problems else ["未找到表二（主动公开政府信息情况）"]

    t4_rows = lay.rows_in(rows, sections, 4) or _after(rows, sections, t3.last_line)
    table4, t4_problems = tab.read_table4(t4_rows)
    problems += t4_problems if table4 or t4_problems else ["未找到表四（行政复议、行政诉讼情况），未核对表四"]

    fmt = _format(t3, table2)
    missing = [k for k in _expected_keys(fmt) if k not in t3.rows]
    if missing:
        problems.append("表三未读到以下行：" + "、".join(missing))
    problems += _evaluate(t3.rows, table4, fmt)[1]

    agency, year, title = report_identity(text, source_name)
    if not agency:
        problems.append("未能识别报告机关名称")
    if year is None:
        problems.append("未能识别报告年度")
    table3 = {k: t3.rows[k] for k in report_keys() if k in t3.rows}
    return ParsedReport(agency, year, title, fmt, table2, table3, table4, _sections(lines, sections), tuple(problems))


def check_tables(table3: Mapping[str, Sequence[int]], table4: Mapping[str, Sequence[int]],
                 *, report_format: str = FORMAT_2021) -> list[Check]:
    """Every 勾稽关系 rule of one year's tables 三 and 四 whose rows are all present."""
    return _evaluate(table3, table4, report_format)[0]


def check_report(report: ParsedReport, previous: ParsedReport | None = None) -> list[Check]:
    """`check_tables` on the report, plus the cross-year rules when last year's report is given."""
    checks = check_tables(report.table3, report.table4, report_format=report.format)
    if previous is None:
        return checks
    same_agency = lay.loose(previous.agency) == lay.loose(report.agency)
    if not same_agency or report.year is None or previous.year != report.year - 1:
        raise BadInput(f"上年报告应为同一机关的上一年度报告：本报告 {report.agency}{report.year}年，"
                       f"收到 {previous.agency}{previous.year}年")
    last, this = previous.table3.get(tab.CARRIED_OUT), report.table3.get(tab.CARRIED_IN)
    if last is not None and this is not None:
        diffs = [f"{col}列：{previous.year}年结转下年度{a}，{report.year}年上年结转{b}"
                 for col, a, b in zip(tab.COLUMNS, last, this) if a != b]
        detail = "；".join(diffs) if diffs else f"各列一致：{list(this)}"
        checks.append(Check(RULE_CARRY, not diffs, detail))
    for item in ("规章", "行政规范性文件"):
        before, now = previous.table2.get(item, {}), report.table2.get(item, {})
        figures = (before.get("现行有效件数"), now.get("本年制发件数"), now.get("本年废止件数"), now.get("现行有效件数"))
        if None in figures:
            continue
        stock, issued, repealed, current = figures
        expected = stock + issued - repealed  # type: ignore[operator]
        # Documents also lapse without formal repeal (有效期届满): a mismatch is to be explained.
        checks.append(Check(RULE_STOCK, expected == current,
                            f"{item}：上年现行有效{stock}+本年制发{issued}−本年废止{repealed}={expected}，"
                            f"本年现行有效{current}", "warning"))
    return checks


# ---------------------------------------------------------------- the rules


def _expected_keys(fmt: str) -> list[str]:
    keys = list(report_keys())
    return [k for k in keys if k not in _SPLIT_OTHER] if fmt == FORMAT_2019 else keys


def _evaluate(table3: Mapping[str, Sequence[int]], table4: Mapping[str, Sequence[int]],
              fmt: str) -> tuple[list[Check], list[str]]:
    checks: list[Check] = []
    notes: list[str] = []
    cols = range(len(tab.COLUMNS))
    base = (tab.NEW, tab.CARRIED_IN, tab.TOTAL, tab.CARRIED_OUT)
    if all(k in table3 for k in base):
        new, came, total, went = (table3[k] for k in base)
        for c in cols:
            left, right = new[c] + came[c], total[c] + went[c]
            checks.append(Check(RULE_BALANCE, left == right,
                                f"{tab.COLUMNS[c]}列：本年新收{new[c]}+上年结转{came[c]}={left}，"
                                f"办理结果总计{total[c]}+结转下年度{went[c]}={right}"))
    else:
        notes.append(f"缺少“{'”“'.join(k for k in base if k not in table3)}”行，无法核对“{RULE_BALANCE}”")
    outcome_keys = [k for k in _expected_keys(fmt) if k not in base]
    absent = [k for k in outcome_keys if k not in table3]
    if tab.TOTAL in table3 and not absent:
        for c in cols:
            parts = [(_short(k), table3[k][c]) for k in outcome_keys]
            sum_ = sum(v for _, v in parts)
            shown = "+".join(f"{name}{v}" for name, v in parts if v)
            checks.append(Check(RULE_OUTCOMES, sum_ == table3[tab.TOTAL][c],
                                f"{tab.COLUMNS[c]}列：各项办理结果之和{shown + '=' if shown else ''}{sum_}，"
                                f"办理结果总计{table3[tab.TOTAL][c]}"))
    elif tab.TOTAL in table3 or absent:
        what = f"缺少{len(absent)}个办理结果行" if absent else "缺少“总计”行"
        notes.append(f"{what}，无法核对“{RULE_OUTCOMES}”")
    for key in [k for k in report_keys() if k in table3]:
        v = table3[key]
        six = sum(v[:6])
        shown = "+".join(f"{name}{n}" for name, n in zip(tab.COLUMNS[:6], v[:6]))
        checks.append(Check(RULE_ROW_TOTAL, six == v[6], f"“{key}”行：{shown}={six}，总计列{v[6]}"))
    for key in [k for k in tab.T4_ROWS if k in table4]:
        v = table4[key]
        parts = sum(v[:4])
        shown = "+".join(f"{name}{n}" for name, n in zip(tab.T4_PARTS[:4], v[:4]))
        checks.append(Check(RULE_TABLE4, parts == v[4], f"{key}：{shown}={parts}，总计{v[4]}"))
    return checks, notes


def _short(key: str) -> str:
    for o in OUTCOMES:
        if o.report_key == key:
            return _SHORT.get(o.code, o.item)
    return key


# ---------------------------------------------------------------- regions, format, sections


def _table3(rows: list[lay.Row], sections: list[lay.Section]) -> tab.Table3:
    inside = lay.rows_in(rows, sections, 3)
    t3 = tab.read_table3(inside) if inside else None
    # A heading without its table (or a table outside its heading): read the whole text.
    return t3 if t3 is not None and t3.rows else tab.read_table3(rows)


def _after(rows: list[lay.Row], sections: list[lay.Section], line: int) -> list[lay.Row]:
    stops = [s.start for s in sections if s.index in (5, 6) and s.start > line]
    end = min(stops, default=10**9)
    return [r for r in rows if line < r.line_no < end]


def _format(t3: tab.Table3, table2: Mapping[str, Mapping[str, Any]]) -> str:
    if t3.split_other:
        return FORMAT_2021
    if t3.merged_other:
        return FORMAT_2019
    columns = {c for row in table2.values() for c in row}
    if columns & {"本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量"}:
        return FORMAT_2021
    if columns & {"本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量"}:
        return FORMAT_2019
    return FORMAT_UNKNOWN


def _sections(lines: Sequence[str], sections: Sequence[lay.Section]) -> tuple[tuple[str, str], ...]:
    out = [(s.index, s.heading, "\n".join(lines[s.start + 1:s.end]).strip()) for s in sections]
    # A table of contents repeats the headings with nothing under them: keep the real ones.
    filled = {i for i, _, body in out if body}
    return tuple((head, body) for i, head, body in out if body or i not in filled)


# ---------------------------------------------------------------- agency, year, title

_TITLE_WORDS = re.compile(r"政府信息公开(?:工作)?(?:年度)?报告")
_YEAR = re.compile(r"([0-9０-９]{4})\s*年度?")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_AGENCY_ENDS = ("人民政府办公室", "人民政府办公厅", "人民政府", "办公室", "办公厅", "管理委员会", "管委会", "委员会",
                "办事处", "综合实验区", "政府", "局", "厅", "委", "署", "办", "中心", "院", "站", "队")
# Words that begin the predicate of the 总体情况's first sentence ("2023年，X局坚持…").
_PREDICATE = ("以习近平", "坚持", "认真", "深入", "全面", "紧紧", "按照", "围绕", "进一步", "持续", "始终", "严格",
              "不断", "积极", "高度", "聚焦", "扎实", "贯彻", "共受理", "共收到", "共计", "主动", "全年", "切实",
              "继续", "大力", "着力", "结合", "立足", "根据", "依据", "深化", "推进", "落实", "在")
_NOT_AGENCY = ("在", "我", "本机关", "本单位", "全区", "全市", "全县", "全省", "各", "该", "今年", "经", "按照", "根据", "对")


def report_identity(text: str, source_name: str = "") -> tuple[str, int | None, str]:
    """(agency, year, title) of a report: from its title line, else its text, else the file name.

    A report published without a title line (瓯海 2023) gets "<agency><year>年政府信息公开工作年度报告".
    """
    title = _title_line(text.splitlines())
    agency, year = _from_title(title) if title else ("", None)
    hint_agency, hint_year = _from_source(source_name)
    year = year or _year_in_text(text) or hint_year
    agency = agency or (hint_agency if _TITLE_WORDS.search(source_name) else "") or _agency_in_text(text) or hint_agency
    title = title or (f"{agency}{year}年政府信息公开工作年度报告" if agency and year else "")
    return agency, year, title


def _title_line(lines: Sequence[str]) -> str:
    seen = 0
    for line in lines:
        text = line.strip().lstrip("#").strip()
        if not text:
            continue
        seen += 1
        if seen > 8:
            break
        if (_TITLE_WORDS.search(text) and len(text) <= 60 and "《" not in text and "|" not in text
                and not text.startswith(("根据", "本报告", "依据"))):
            return text
    return ""


def _arabic_years(text: str) -> str:
    """"二〇二三年" → "2023年" (same length, so positions in the text stay valid)."""
    return re.sub(r"[〇零一二三四五六七八九]{4}(?=\s*年)", lambda m: m.group().translate(_CN_DIGITS), text)


def _from_title(title: str) -> tuple[str, int | None]:
    m = _YEAR.search(_arabic_years(title))
    if not m:
        return "", None
    year = int(lay.norm(m.group(1)))
    before, after = title[:m.start()], title[m.end():]
    if "政府信息公开" in before:  # "X政府信息公开工作年度报告（2023年度）"
        before = before[:before.rfind("政府信息公开")]
    before = before.strip(" ：:（(").removesuffix("关于")
    cut = after.rfind("政府信息公开")
    agency = before or (after[:cut].strip() if cut > 0 else "")
    return agency, year if 1990 < year < 2200 else None


def _from_source(name: str) -> tuple[str, int | None]:
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if not stem:
        return "", None
    if _TITLE_WORDS.search(stem):
        return _from_title(stem)
    m = _YEAR.search(stem) or re.search(r"(\d{4})", stem)
    year = int(lay.norm(m.group(1))) if m else None
    agency = re.sub(r"[_\-\s]*[0-9０-９]{4}.*$", "", stem).strip("_- ")
    return (agency if re.search(r"[\u4e00-\u9fff]{2}", agency) else ""), year


def _year_in_text(text: str) -> int | None:
    head = _arabic_years(lay.norm(text[:6000]))
    for pattern in (r"统计期限[^。\n]{0,20}?(\d{4})\s*年", r"(\d{4})\s*年\s*1\s*月\s*1\s*日", r"(\d{4})\s*年"):
        if m := re.search(pattern, head):
            year = int(m.group(1))
            if 1990 < year < 2200:
                return year
    return None


def _agency_in_text(text: str) -> str:
    head = lay.norm(text[:6000])
    if m := re.search(r"本报告由([\u4e00-\u9fff()]{3,30}?)(?:编制|发布|编写)", head):
        return m.group(1)
    for m in re.finditer(r"\d{4}\s*年度?\s*[,、]?\s*([\u4e00-\u9fff()]{3,40})", head):
        clause = m.group(1)
        stops = [i for w in _PREDICATE if (i := clause.find(w)) > 1]
        clause = clause[:min(stops)] if stops else clause
        if clause.startswith(_NOT_AGENCY):
            continue
        ends = [i + len(e) for e in _AGENCY_ENDS if (i := clause.rfind(e)) >= 0 and i + len(e) >= 3]
        if ends:
            return clause[:max(ends)]
    return ""
