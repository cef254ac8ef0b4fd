"""Figure questions about published annual reports, answered from their parsed tables.

"2023年瓯海区政府办公室受理了多少件申请？" → agency, year, row, column → the number, with the
report cited. Pure: works on the tables `rag.reports.parse_report` produced (stored at index time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.core.outcomes import APPLICANT_TYPES, GROUPS, OUTCOMES, TOTAL_COLUMN

COLUMNS = (*APPLICANT_TYPES, TOTAL_COLUMN)

# Row words a clerk uses → table-三 key. Checked in order: specific items before their groups.
_ROW_WORDS: tuple[tuple[str, str], ...] = (
    (r"上年结转|上一年度?结转|从上年|去年结转|结转过来", "上年结转"),
    (r"结转下|转入下一?年|结转到|未办结|尚未办结|继续办理", "结转下年度继续办理"),
    (r"国家秘密|涉密", "不予公开/属于国家秘密"),
    (r"其他法律|法律行政法规禁止", "不予公开/其他法律行政法规禁止公开"),
    (r"三安全一稳定|危及.{0,4}安全|社会稳定", "不予公开/危及“三安全一稳定”"),
    (r"第三方", "不予公开/保护第三方合法权益"),
    (r"内部事务", "不予公开/属于三类内部事务信息"),
    (r"过程性", "不予公开/属于四类过程性信息"),
    (r"执法案卷", "不予公开/属于行政执法案卷"),
    (r"行政查询|查询事项", "不予公开/属于行政查询事项"),
    (r"不掌握|不存在|非本机关", "无法提供/本机关不掌握相关政府信息"),
    (r"另行制作|加工|没有现成", "无法提供/没有现成信息需要另行制作"),
    (r"补正后.{0,4}不明确|仍不明确", "无法提供/补正后申请内容仍不明确"),
    (r"信访|举报|投诉", "不予处理/信访举报投诉类申请"),
    (r"重复申请", "不予处理/重复申请"),
    (r"出版物", "不予处理/要求提供公开出版物"),
    (r"大量反复|反复申请", "不予处理/无正当理由大量反复申请"),
    (r"确认|重新出具", "不予处理/要求行政机关确认或重新出具已获取信息"),
    (r"逾期不补正|不补正", "其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (r"缴纳费用|缴费|未缴", "其他处理/申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (r"部分公开", "部分公开"),
    (r"不予公开", "group:不予公开"),
    (r"无法提供", "group:无法提供"),
    (r"不予处理", "group:不予处理"),
    (r"其他处理", "group:其他处理"),
    (r"予以公开|全部公开|同意公开", "予以公开"),
    (r"办结|办理结果|处理完|答复了", "总计"),
    (r"新收|受理|收到|新增|申请量|申请数|多少件申请|申请.{0,6}多少|多少.{0,6}申请", "本年新收"),
)
_COLUMN_WORDS: tuple[tuple[str, str], ...] = (
    (r"自然人|个人|公民|群众", "自然人"),
    (r"商业企业|企业|公司", "商业企业"),
    (r"科研", "科研机构"),
    (r"公益", "社会公益组织"),
    (r"法律服务|律师|律所", "法律服务机构"),
    (r"法人或其他组织|法人和其他组织|单位", "法人或其他组织"),
)
# Order matters: "未经复议直接起诉" also contains "经复议…起诉".
_T4_ROWS = (("未经复议直接起诉", r"直接起诉|未经复议"), ("复议后起诉", r"复议后.{0,3}起诉|经复议.{0,3}起诉"),
            ("行政复议", r"复议"))
_T4_COLS = ((r"维持", 0), (r"纠正|撤销|确认违法|被纠错", 1), (r"其他结果|其他", 2), (r"尚未审结|未审结|在审", 3))
_T2 = ((r"规范性文件", "行政规范性文件"), (r"规章", "规章"), (r"行政许可", "行政许可"), (r"行政处罚", "行政处罚"),
       (r"行政强制", "行政强制"), (r"收费", "行政事业性收费"))
# Question words → the table-二 column names they mean (2021 format and the 2019 试行 format).
_T2_COLS = ((r"现行有效|有效", r"现行有效|对外公开总数"), (r"废止", r"废止"),
            (r"制发|发布|出台|印发|制作|新", r"制发|新制作"), (r"金额|多少钱|万元", r"金额"))
_FIGURE_WORDS = re.compile(r"多少|几件|几个|几次|数量|总计|合计|一共|共计|总共|占比|比例|变化|趋势|增|减|是多少")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_TREND = re.compile(r"近[一二三四五两\d]年|历年|逐年|变化|趋势|增长|下降|对比|比较")


@dataclass(frozen=True)
class FigureAnswer:
    """A figure read from a report: the sentence, the report(s) it comes from, the numbers."""

    text: str
    titles: tuple[str, ...]  # report titles, cited
    section: str  # "三" / "四" / "二": the table the figure is in
    values: tuple[tuple[int, float], ...]  # (year, value)


def is_figure_question(question: str) -> bool:
    """A question asking for a number, or a trend, from reports."""
    return bool(_FIGURE_WORDS.search(question) and (_YEAR.search(question) or _TREND.search(question)))


def answer_figure(question: str, reports: list[dict], default_agency: str = "") -> FigureAnswer | None:
    """Answer from the parsed reports (dicts with agency, year, title, table2, table3, table4), or None.

    A question that names no agency is about the clerk's own agency (`default_agency`) when it has
    reports; otherwise every agency with a report for the year is answered.
    """
    if not reports or not is_figure_question(question):
        return None
    named = _match_agency(question, reports)
    if named:
        return _answer_agency(question, named)
    if _PLACE.search(question):  # names an agency we hold no report of: never answer for another one
        return None
    own = _match_agency(default_agency, reports) if default_agency else []
    if own:
        return _answer_agency(question, own)
    agencies = sorted({r["agency"] for r in reports if r.get("agency")})
    answers = [a for a in (_answer_agency(question, [r for r in reports if r["agency"] == name]) for name in agencies) if a]
    if not answers:
        return None
    return FigureAnswer("".join(a.text for a in answers), tuple(t for a in answers for t in a.titles),
                        answers[0].section, tuple(v for a in answers for v in a.values))


def _answer_agency(question: str, agency_reports: list[dict]) -> FigureAnswer | None:
    years = [int(y) for y in _YEAR.findall(question)]
    trend = bool(_TREND.search(question)) and len(years) != 1
    if trend:
        chosen = sorted(agency_reports, key=lambda r: r["year"] or 0)
        if years:
            chosen = [r for r in chosen if r["year"] and min(years) <= r["year"] <= max(years)] or chosen
        else:
            n = _recent_count(question)
            chosen = chosen[-n:] if n else chosen
    else:
        if years:
            chosen = [r for r in agency_reports if r["year"] == years[0]]
        else:
            chosen = sorted(agency_reports, key=lambda r: r["year"] or 0)[-1:]
        if not chosen:
            return None
    reading = _read(question, chosen[0])
    if reading is None:
        return None
    label, section, _ = reading
    values = []
    for report in chosen:
        value = _read(question, report)
        if value is not None and value[2] is not None:
            values.append((report["year"], value[2]))
    if not values:
        return None
    agency = chosen[0]["agency"]
    if len(values) == 1:
        year, value = values[0]
        text = f"根据《{chosen[0]['title']}》表{section}，{agency}{year}年{label}为{_fmt(value)}{_unit(label)}。"
    else:
        series = "，".join(f"{y}年{_fmt(v)}{_unit(label)}" for y, v in values)
        change = values[-1][1] - values[0][1]
        trend_word = "增加" if change > 0 else "减少" if change < 0 else "持平"
        text = (f"根据{agency}各年度政府信息公开工作年度报告表{section}，{label}：{series}。"
                f"{values[0][0]}年至{values[-1][0]}年{trend_word}" + (f"{_fmt(abs(change))}{_unit(label)}。" if change else "。"))
    titles = tuple(r["title"] for r in chosen if any(y == r["year"] for y, _ in values))
    return FigureAnswer(text, titles, section, tuple(values))


# "鹿城区…", "某某县交通运输局…": a named body, to be matched against the reports' agencies.
_PLACE = re.compile(r"[\u4e00-\u9fa5]{2,10}?(?:省|市|区|县|镇|乡|街道|实验区|新区|开发区)(?:人民政府|政府|[\u4e00-\u9fa5]{0,8}?局|办公室)?")
_GENERIC = set("中华人民共和国省市区县乡镇街道人民政府办公室厅局委员会综合实验管理")


def _match_agency(question: str, reports: list[dict]) -> list[dict]:
    """Reports of the agency the question names: the longest distinctive run of its name in the question."""
    best, best_len = [], 1
    for report in reports:
        length = _common_run(report.get("agency", ""), question)
        if length > best_len:
            best, best_len = [report], length
        elif length == best_len and best and report.get("agency") == best[0].get("agency"):
            best.append(report)
    return best


def _common_run(name: str, text: str) -> int:
    """Length of the longest substring of `name` found in `text` that is not just generic words
    (政府, 办公室, 区 …): place names carry the match."""
    longest = 0
    for i in range(len(name)):
        for j in range(i + 2, len(name) + 1):
            piece = name[i:j]
            if piece not in text:
                break
            if j - i > longest and any(ch not in _GENERIC for ch in piece):
                longest = j - i
    return longest


def _recent_count(question: str) -> int:
    match = re.search(r"近([一二三四五两\d])年", question)
    if not match:
        return 0
    return int(match.group(1)) if match.group(1).isdigit() else "一二三四五".find(match.group(1)) + 1 or 2


def _read(question: str, report: dict) -> tuple[str, str, float | None] | None:
    """(label, table, value) of the figure the question asks for in one report."""
    for pattern, name in _T2:
        if re.search(pattern, question) and not re.search(r"申请|复议|诉讼", question):
            row = report.get("table2", {}).get(name, {})
            wanted = next((cols for words, cols in _T2_COLS if re.search(words, question)), r"处理决定|现行有效")
            key = next((k for k in row if re.search(wanted, k)), next(iter(row), None))
            if key is None:
                return None
            return f"{name}{re.sub(r'（.*?）|件数|数量', '', key)}", "二", row[key]
    for t4_row, pattern in _T4_ROWS:
        if re.search(pattern, question):
            col = next((i for word, i in _T4_COLS if re.search(word, question)), 4)
            values = report.get("table4", {}).get(t4_row)
            names = ("维持", "纠正", "其他结果", "尚未审结", "总计")
            label = f"{'行政复议' if t4_row == '行政复议' else '行政诉讼（' + t4_row + '）'}{names[col]}"
            return label + "数量", "四", values[col] if values else None
    if re.search(r"诉讼|起诉|被告", question):
        table4 = report.get("table4", {})
        col = next((i for word, i in _T4_COLS if re.search(word, question)), 4)
        parts = [table4[k][col] for k in ("未经复议直接起诉", "复议后起诉") if k in table4]
        return "行政诉讼数量（直接起诉与复议后起诉合计）", "四", sum(parts) if parts else None
    key = next((k for pattern, k in _ROW_WORDS if re.search(pattern, question)), "本年新收")
    column = next((c for pattern, c in _COLUMN_WORDS if re.search(pattern, question)), TOTAL_COLUMN)
    table3 = report.get("table3", {})
    if key.startswith("group:"):
        group = key.split(":", 1)[1]
        rows = [table3.get(o.report_key) for o in OUTCOMES if o.group == group]
        rows = [r for r in rows if r]
        value = sum(_cell(r, column) for r in rows) if rows else None
        label_row = group
    else:
        row = table3.get(key)
        value = _cell(row, column) if row else None
        label_row = _row_label(key)
    label = label_row if column == TOTAL_COLUMN else f"{column}{label_row}"
    return label, "三", value


def _cell(row: list[int], column: str) -> int:
    if column == "法人或其他组织":
        return sum(row[1:6])
    return row[COLUMNS.index(column)]


def _row_label(key: str) -> str:
    return {"本年新收": "本年新收政府信息公开申请数量", "上年结转": "上年结转政府信息公开申请数量",
            "总计": "本年度办理结果总计", "结转下年度继续办理": "结转下年度继续办理的申请数量"}.get(
        key, key.split("/")[-1] + ("件数" if key in GROUPS else "的申请数量"))


def _unit(label: str) -> str:
    return "万元" if "收费" in label else "件"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
