"""The 政府信息公开工作年度报告 generated from the register (国办公开办函〔2021〕30号 format).

Pure: `build_annual_report` takes plain facts (`AnnualInputs`, loaded by
`Register.annual_inputs`) and returns the tables, the 勾稽关系 checks — the same
`rag.reports.check_tables`/`check_report` that published reports get — and the whole report
skeleton as Markdown (the .docx is written by `rag.annual_docx`). What only the office can
write is left as a visible 【待填：…】.

How table 三 counts (the form's own definitions):
- 本年新收: cases received in the year;
- 上年结转: cases received before the year and still open on its first day;
- each outcome row: cases closed in the year with that outcome, whenever received;
- 结转下年度继续办理: cases received by the year's end and still open after it.
So 本年新收 + 上年结转 = 办理结果总计 + 结转下年度 holds by construction, column by column.

Table 四 counts every reconsideration or suit pending at some point of the year (filed by its
end, not decided before its start): its result if decided by the year's end, else 尚未审结 —
so a case still pending at one year's end appears again, with its result, the next year.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rag.core.errors import BadInput
from rag.core.outcomes import APPLICANT_TYPES, GROUPS, OUTCOMES, outcome, report_keys
from rag.reports import FORMAT_2021, Check, ParsedReport, check_report

COLUMNS = (*APPLICANT_TYPES, "总计")
T4_ROWS = ("行政复议", "未经复议直接起诉", "复议后起诉")
T4_PARTS = ("维持", "纠正", "其他", "尚未审结", "总计")
NEW, CARRIED_IN, TOTAL, CARRIED_OUT = "本年新收", "上年结转", "总计", "结转下年度继续办理"
FIRST_YEAR = 2008  # the 条例 took effect on 2008-05-01

# Table 二 of the 2021 format: (heading, columns, rows).
TABLE2_LAYOUT: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
    ("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
    ("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
)
_T2_ROW_ALIASES = {"规范性文件": "行政规范性文件"}

# Row labels of table 三 as the form prints them.
_GROUP_NUMBERS = dict(zip(GROUPS, ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）")))
_T3_HEADER = ("申请人情况", "自然人", *(f"法人或其他组织：{t}" for t in APPLICANT_TYPES[1:]), "总计")
_T4_HEADER = ("项目", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_T4_LABELS = {"行政复议": "行政复议", "未经复议直接起诉": "行政诉讼（未经复议直接起诉）", "复议后起诉": "行政诉讼（复议后起诉）"}


@dataclass(frozen=True)
class CaseFacts:
    """What the report needs of one case."""

    received: date
    closed: date | None
    outcome: str | None  # Outcome.key once closed
    applicant_type: str
    due: date | None = None  # the reply date in force (charts: answered late or not)


@dataclass(frozen=True)
class ReviewFacts:
    """What table 四 needs of one reconsideration or suit."""

    kind: str  # 行政复议 | 未经复议直接起诉 | 复议后起诉
    filed: date
    result: str  # 维持 | 纠正 | 其他 | 尚未审结
    decided: date | None


@dataclass(frozen=True)
class AnnualInputs:
    """Everything one agency's report of one year is computed from."""

    agency: str
    year: int
    cases: tuple[CaseFacts, ...]
    reviews: tuple[ReviewFacts, ...] = ()
    figures: Mapping[int, Mapping[str, Mapping[str, int | float]]] = field(default_factory=dict)  # year → table 二
    fees: tuple[tuple[date, float], ...] = ()  # (date paid, 元) of every 信息处理费 payment
    has_previous: bool = False  # the register holds cases received before the year


@dataclass(frozen=True)
class AnnualReport:
    """One generated report: tables, checks, the fee total, and notes for the clerk."""

    agency: str
    year: int
    table2: dict[str, dict[str, int | float]]
    table3: dict[str, list[int]]
    table4: dict[str, list[int]]
    checks: tuple[Check, ...]
    fee_total: float
    fee_count: int
    previous_checked: bool
    notes: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    @property
    def ok(self) -> bool:
        """No error-severity check failed."""
        return not any(c.failed for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        """The JSON of `report generate --json`: the keys of `report parse --json`, plus fees and notes."""
        return {"agency": self.agency, "year": self.year, "title": self.title, "format": FORMAT_2021,
                "table3": self.table3, "table4": self.table4, "checks": [c.to_json() for c in self.checks],
                "table2": self.table2, "problems": list(self.notes),
                "fees": {"total": _number(self.fee_total), "count": self.fee_count},
                "previous_year_checked": self.previous_checked}

    def as_parsed(self) -> ParsedReport:
        """The report as `rag.reports` sees a published one (for the shared checks)."""
        return ParsedReport(self.agency, self.year, self.title, FORMAT_2021, self.table2, self.table3, self.table4)


# ---------------------------------------------------------------- the tables


def table3(cases: Sequence[CaseFacts], year: int) -> dict[str, list[int]]:
    """Table 三 of `year`: the 25 rows of the CLI contract, 7 columns each."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    col = {t: i for i, t in enumerate(APPLICANT_TYPES)}
    rows = {k: [0] * len(COLUMNS) for k in report_keys()}
    keys = {o.key: o.report_key for o in OUTCOMES}
    for c in cases:
        if c.received > end:
            continue
        i = col.get(c.applicant_type, col["其他"])
        if c.received >= start:
            rows[NEW][i] += 1
        elif c.closed is None or c.closed >= start:
            rows[CARRIED_IN][i] += 1
        if c.closed is not None and start <= c.closed <= end:
            rows[keys[outcome(c.outcome or "").key]][i] += 1
            rows[TOTAL][i] += 1
        elif c.closed is None or c.closed > end:
            rows[CARRIED_OUT][i] += 1
    for values in rows.values():
        values[-1] = sum(values[:-1])
    return rows


def table4(reviews: Sequence[ReviewFacts], year: int) -> dict[str, list[int]]:
    """Table 四 of `year`: every review pending at some point of the year, by its result at the year's end."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    rows = {k: [0] * len(T4_PARTS) for k in T4_ROWS}
    for r in reviews:
        if r.filed > end or (r.decided is not None and r.decided < start):
            continue
        decided = r.decided is not None and r.decided <= end and r.result != "尚未审结"
        rows[r.kind][T4_PARTS.index(r.result if decided else "尚未审结")] += 1
    for values in rows.values():
        values[-1] = sum(values[:-1])
    return rows


def table2(figures: Mapping[str, Mapping[str, int | float]]) -> dict[str, dict[str, int | float]]:
    """Table 二 in the form's order, with only the figures entered."""
    out: dict[str, dict[str, int | float]] = {}
    for _, columns, rows in TABLE2_LAYOUT:
        for row in rows:
            cells = {c: figures[row][c] for c in columns if c in figures.get(row, {})}
            if cells:
                out[row] = cells
    return out


def table2_cell(row: str, column: str) -> tuple[str, str]:
    """The form's names of a table-二 cell given in any common spelling; BadInput if it is not one."""
    r = _T2_ROW_ALIASES.get(_squash(row), _squash(row))
    c = _squash(column)
    for _, columns, rows in TABLE2_LAYOUT:
        if r in rows:
            for name in columns:
                if c == name or (c.startswith("本年收费金额") and name.startswith("本年收费金额")):
                    return r, name
            raise BadInput(f"表二“{r}”的列应为：{'、'.join(columns)}，收到：{column!r}")
    known = "、".join(x for _, _, rows in TABLE2_LAYOUT for x in rows)
    raise BadInput(f"表二的行应为：{known}，收到：{row!r}")


def _squash(text: str) -> str:
    t = "".join(unicodedata.normalize("NFKC", text).split())
    return t.replace("(", "（").replace(")", "）").replace(":", "：")


# ---------------------------------------------------------------- the report


def parse_year(value: str | int, today: date | None = None) -> int:
    """A report year from "2024", "2024年" or "2024年度"; BadInput for anything else or a year not begun."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = re.fullmatch(r"(\d{4})\s*(?:年度?)?", text)
    year = int(m.group(1)) if m else 0
    latest = (today or date.today()).year
    if not m:
        raise BadInput(f"年度应为四位数字年份（如 2024），收到：{value!r}")
    if not FIRST_YEAR <= year <= latest:
        raise BadInput(f"年度应在{FIRST_YEAR}年（《条例》施行）至{latest}年之间，收到：{year}")
    return year


def build_annual_report(inputs: AnnualInputs, today: date | None = None) -> AnnualReport:
    """Tables 二, 三, 四 of the year, every 勾稽关系 check, fees and notes (pure)."""
    y = inputs.year
    t3, t4 = table3(inputs.cases, y), table4(inputs.reviews, y)
    t2 = table2(inputs.figures.get(y, {}))
    notes: list[str] = []
    this = ParsedReport(inputs.agency, y, "", FORMAT_2021, t2, t3, t4)
    previous = None
    if inputs.has_previous or inputs.figures.get(y - 1):
        previous = ParsedReport(inputs.agency, y - 1, "", FORMAT_2021, table2(inputs.figures.get(y - 1, {})),
                                table3(inputs.cases, y - 1), {})
    checks = tuple(check_report(this, previous))
    fees = [amount for day, amount in inputs.fees if day.year == y]
    if (today or date.today()).year == y:
        notes.append(f"{y}年度尚未结束：数字截至今天，年末请重新生成")
    if not any(t3[NEW][:-1]) and not any(t3[CARRIED_IN][:-1]):
        notes.append(f"登记簿中没有{y}年度的申请：表三各项为0")
    missing = [r for _, _, rows in TABLE2_LAYOUT for r in rows if r not in t2]
    if missing:
        notes.append("表二未录入：" + "、".join(missing) + "（用 python -m rag case figure 录入）")
    if previous is None:
        notes.append(f"登记簿中没有{y - 1}年及以前的申请：上年结转按0计，未做跨年度衔接核对")
    return AnnualReport(inputs.agency, y, t2, t3, t4, checks, sum(fees), len(fees), previous is not None, tuple(notes))


def to_markdown(report: AnnualReport) -> str:
    """The whole report skeleton in the 2021 format; `rag.reports.parse_report` reads it back."""
    r, y = report, report.year
    t3 = r.table3
    groups = {g: sum(t3[o.report_key][-1] for o in OUTCOMES if o.group == g) for g in GROUPS}
    reviews, suits = r.table4["行政复议"][-1], r.table4["未经复议直接起诉"][-1] + r.table4["复议后起诉"][-1]
    persons, orgs = t3[NEW][0], t3[NEW][-1] - t3[NEW][0]
    lines = [
        f"# {r.title}", "",
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
        f"（国办公开办函〔2021〕30号）要求编制。本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
        "本报告电子版可在【待填：门户网站名称及网址】查阅或下载。如对本报告有疑问，请与【待填：联系机构、地址、邮编、电话】联系。", "",
        "## 一、总体情况", "",
        f"{y}年，【待填：本机关政府信息公开工作总体情况】", "",
        "（一）主动公开。【待填：主动公开工作情况】", "",
        f"（二）依申请公开。本年度共收到政府信息公开申请{t3[NEW][-1]}件（自然人{persons}件，法人或其他组织{orgs}件），"
        f"上年结转{t3[CARRIED_IN][-1]}件；办结{t3[TOTAL][-1]}件，其中"
        + "、".join(f"{g}{n}件" for g, n in groups.items())
        + f"；结转下年度继续办理{t3[CARRIED_OUT][-1]}件。因政府信息公开被申请行政复议{reviews}件、被提起行政诉讼{suits}件。"
        "【待填：依申请公开工作的做法和成效】", "",
        "（三）政府信息管理。【待填：政府信息管理情况】", "",
        "（四）政府信息公开平台建设。【待填：平台建设情况】", "",
        "（五）监督保障。【待填：监督保障情况】", "",
        "## 二、主动公开政府信息情况", "",
    ]
    for heading, columns, rows in TABLE2_LAYOUT:
        lines += [_md_row((f"{heading} 信息内容", *columns)), _md_row(("---",) * (len(columns) + 1))]
        lines += [_md_row((row, *(_cell(r.table2.get(row, {}).get(c)) for c in columns))) for row in rows]
        lines.append("")
    lines += ["## 三、收到和处理政府信息公开申请情况", "",
              "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "",
              _md_row(_T3_HEADER), _md_row(("---",) * len(_T3_HEADER))]
    lines += [_md_row((label, *map(str, t3[key]))) for key, label in row_labels()]
    lines += ["", "## 四、政府信息公开行政复议、行政诉讼情况", "",
              _md_row(_T4_HEADER), _md_row(("---",) * len(_T4_HEADER))]
    lines += [_md_row((_T4_LABELS[k], *map(str, r.table4[k]))) for k in T4_ROWS]
    fee = (f"本年度收取信息处理费{_amount(r.fee_total)}元（{r.fee_count}笔）。" if r.fee_count
           else "本年度未收取信息处理费。")
    lines += ["", "## 五、存在的主要问题及改进情况", "",
              f"【待填：{y}年政府信息公开工作存在的主要问题】", "",
              f"【待填：{y + 1}年的改进措施】", "",
              "## 六、其他需要报告的事项", "",
              fee + "（依据《政府信息公开信息处理费管理办法》，国办函〔2020〕109号）", "",
              "【待填：其他需要报告的事项（如年度政务公开工作要点落实情况、人大代表建议和政协提案办理结果公开情况等）】", ""]
    lines += ["---", "", "> 附：勾稽关系核对结果（编制用，发布前删除）", ">"]
    lines += [f"> {'✓' if c.ok else ('✗' if c.failed else '!')} {c.rule}：{c.detail}" for c in r.checks]
    lines += [f"> 说明：{n}" for n in r.notes]
    return "\n".join(lines) + "\n"


def row_labels() -> list[tuple[str, str]]:
    """Table 三's rows as (report key, the form's printed label), in the form's order."""
    out = [(NEW, "一、本年新收政府信息公开申请数量"), (CARRIED_IN, "二、上年结转政府信息公开申请数量")]
    counters: dict[str, int] = {}
    for o in OUTCOMES:
        head = f"三、本年度办理结果 / {_GROUP_NUMBERS[o.group]}"
        if o.group == o.item:
            out.append((o.report_key, f"{head}{o.form_label or o.item}"))
        else:
            counters[o.group] = counters.get(o.group, 0) + 1
            out.append((o.report_key, f"{head}{o.group} / {counters[o.group]}.{o.item}"))
    out += [(TOTAL, "三、本年度办理结果 / （七）总计"), (CARRIED_OUT, "四、结转下年度继续办理")]
    return out


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cell(value: int | float | None) -> str:
    return "【待填】" if value is None else _amount(value)


def _amount(value: float) -> str:
    return str(_number(value))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 6)
