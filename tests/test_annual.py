"""The annual report generated from the register: table 三 with carry-over both ways, table 四
from recorded reviews, table 二 from entered figures, every 勾稽关系 check, and the generated
Markdown and .docx parsed back by `rag.reports` to the same numbers.

A year of realistic cases is entered from the labelled requests in corpus/requests/; what the
tables must show is counted from that plan by the oracle below, not by the code under test.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from rag.annual import (
    AnnualInputs, CaseFacts, ReviewFacts, build_annual_report, parse_year, table2_cell, table3, table4, to_markdown,
)
from rag.annual_docx import write_report_docx
from rag.core.deadlines import load_calendar
from rag.core.errors import BadInput
from rag.core.outcomes import APPLICANT_TYPES, outcome, report_keys
from rag.register.store import Register
from rag.report_files import report_text
from rag.reports import RULE_BALANCE, RULE_CARRY, RULE_OUTCOMES, RULE_ROW_TOTAL, RULE_STOCK, RULE_TABLE4, parse_report

ROOT = Path(__file__).resolve().parent.parent
AGENCY = "温州市瓯海区人民政府办公室"
D = date.fromisoformat
Z7 = [0] * 7


# ---------------------------------------------------------------- a year of realistic cases


@dataclass
class Planned:
    text: str
    applicant_type: str
    received: date
    steps: list[tuple[str, date, dict]] = field(default_factory=list)

    @property
    def closing(self) -> tuple[str, date, dict] | None:
        kinds = {"答复", "撤回", "逾期不补正", "逾期未缴费"}
        return next((s for s in self.steps if s[0] in kinds), None)

    @property
    def closed(self) -> date | None:
        return self.closing[1] if self.closing else None

    @property
    def outcome(self) -> str | None:
        if not self.closing:
            return None
        kind, _, detail = self.closing
        fixed = {"撤回": "其他处理/其他", "逾期不补正": "no_correction", "逾期未缴费": "fee_unpaid"}
        return outcome(fixed.get(kind) or detail["outcome"]).key


def year_plan(n: int = 150) -> list[Planned]:
    """Requests received from 2023-10 to 2024-12, handled the way their label says."""
    folder = ROOT / "corpus" / "requests"
    records = [json.loads(line) for name in ("train_a.jsonl", "train_b.jsonl")
               for line in (folder / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    random.Random(2024).shuffle(records)  # the files are grouped by label: mix them
    plan = []
    for i, rec in enumerate(records[:n]):
        r = date(2023, 10, 9) + timedelta(days=(i * 7) % 440)
        p = Planned(rec["text"], rec["applicant_type"], r)
        lag = 6 + (i * 5) % 30
        label = rec["label"]
        code = None if label == "补正" else outcome(label).code
        if i % 11 == 0:  # still open; some wait for the applicant's 补正
            if label == "补正":
                p.steps = [("补正告知", r + timedelta(2), {"deadline": (r + timedelta(20)).isoformat()})]
        elif label == "补正":
            p.steps = [("补正告知", r + timedelta(2), {}), ("补正收到", r + timedelta(5), {}),
                       ("答复", r + timedelta(5 + lag), {"outcome": "予以公开"})]
        elif code == "no_correction":
            p.steps = [("补正告知", r + timedelta(2), {}), ("逾期不补正", r + timedelta(lag + 15), {})]
        elif code == "fee_unpaid":
            p.steps = [("缴费通知", r + timedelta(3), {"amount": 200}), ("逾期未缴费", r + timedelta(lag + 20), {})]
        elif code == "still_unclear":
            p.steps = [("补正告知", r + timedelta(2), {}), ("补正收到", r + timedelta(6), {}),
                       ("答复", r + timedelta(6 + lag), {"outcome": label})]
        elif code == "other" and i % 2:
            p.steps = [("撤回", r + timedelta(lag), {})]
        else:
            last = r
            if i % 13 == 0:
                p.steps += [("缴费通知", r + timedelta(2), {"amount": 100}), ("缴费", r + timedelta(4), {"amount": 100 + i})]
                last = r + timedelta(4)
            if i % 5 == 0:
                p.steps += [("征求第三方意见", last + timedelta(1), {"party": "某公司"}),
                            ("第三方回复", last + timedelta(9), {"party": "某公司"})]
                last += timedelta(9)
            if i % 7 == 0:
                p.steps.append(("延期", last + timedelta(2), {"days": 10}))
                last += timedelta(2)
            p.steps.append(("答复", last + timedelta(lag), {"outcome": label}))
        plan.append(p)
    return plan


REVIEWS = [  # kind, filed, result, decided
    ("行政复议", "2024-03-01", "维持", "2024-05-01"),
    ("行政复议", "2024-11-20", "尚未审结", None),
    ("未经复议直接起诉", "2023-11-01", "纠正", "2024-02-01"),
    ("复议后起诉", "2024-06-01", "其他", "2025-01-10"),
    ("行政复议", "2023-05-01", "维持", "2023-07-01"),
]
TABLE4_2024 = {"行政复议": [1, 0, 0, 1, 2], "未经复议直接起诉": [0, 1, 0, 0, 1], "复议后起诉": [0, 0, 0, 1, 1]}
FIGURES = {
    2023: [("规章", "现行有效件数", 10), ("行政规范性文件", "现行有效件数", 40)],
    2024: [("规章", "本年制发件数", 2), ("规章", "本年废止件数", 1), ("规章", "现行有效件数", 11),
           ("行政规范性文件", "本年制发件数", 7), ("行政规范性文件", "本年废止件数", 3), ("行政规范性文件", "现行有效件数", 44),
           ("行政许可", "本年处理决定数量", 1200), ("行政处罚", "本年处理决定数量", 35), ("行政强制", "本年处理决定数量", 0),
           ("行政事业性收费", "本年收费金额（单位：万元）", 12.5)],
}


def expected_table3(plan: list[Planned], year: int) -> dict[str, list[int]]:
    """The oracle: the form's definitions applied to the plan."""
    rows = {k: [0] * 7 for k in report_keys()}
    for p in plan:
        col = APPLICANT_TYPES.index(p.applicant_type)
        closed = p.closed
        if p.received.year == year:
            rows["本年新收"][col] += 1
        if p.received.year < year and (closed is None or closed.year >= year):
            rows["上年结转"][col] += 1
        if closed is not None and closed.year == year:
            rows[outcome(p.outcome).report_key][col] += 1
            rows["总计"][col] += 1
        if p.received.year <= year and (closed is None or closed.year > year):
            rows["结转下年度继续办理"][col] += 1
    for v in rows.values():
        v[6] = sum(v[:6])
    return rows


def enter(reg: Register, plan: list[Planned]) -> list[int]:
    """Enter the plan through the register's API; return the case ids."""
    ids = []
    for p in plan:
        case = reg.add_case(p.text, received=p.received, applicant_type=p.applicant_type)
        for kind, day, detail in p.steps:
            reg.record_event(case.id, kind, day, detail)
        ids.append(case.id)
    for kind, filed, result, decided in REVIEWS:
        reg.add_review(kind, D(filed), result=result, decided=D(decided) if decided else None)
    for year, cells in FIGURES.items():
        for row, column, value in cells:
            reg.set_figure(year, row, column, value)
    return ids


@pytest.fixture(scope="module")
def plan():
    return year_plan()


@pytest.fixture(scope="module")
def filled(tmp_path_factory, plan):
    cal = load_calendar(ROOT / "corpus")
    path = tmp_path_factory.mktemp("annual") / "register.sqlite3"
    with Register(f"sqlite:///{path}", calendar=cal, agency=AGENCY, user="张三") as reg:
        enter(reg, plan)
        yield reg


@pytest.fixture(scope="module")
def report_2024(filled):
    return build_annual_report(filled.annual_inputs(2024))


def test_plan_covers_every_outcome_carry_over_and_open_cases(plan):
    closed = {p.outcome for p in plan if p.closed and p.closed.year == 2024}
    assert len(closed) == 21
    assert any(p.received.year == 2023 and (p.closed is None or p.closed.year == 2024) for p in plan)
    assert any(p.received.year == 2024 and (p.closed is None or p.closed.year == 2025) for p in plan)


@pytest.mark.parametrize("year", [2023, 2024])
def test_year_of_cases_gives_table_three_by_applicant_type_and_outcome(filled, plan, year):
    report = build_annual_report(filled.annual_inputs(year))
    assert report.table3 == expected_table3(plan, year)


def test_year_of_cases_passes_every_check_including_last_years_carry_over(report_2024, plan):
    assert report_2024.ok and report_2024.previous_checked
    rules = {c.rule for c in report_2024.checks}
    assert {RULE_BALANCE, RULE_OUTCOMES, RULE_ROW_TOTAL, RULE_TABLE4, RULE_CARRY, RULE_STOCK} <= rules
    assert all(c.ok for c in report_2024.checks)
    assert report_2024.table3["上年结转"] == expected_table3(plan, 2023)["结转下年度继续办理"]


def test_table_four_counts_reviews_pending_during_the_year(report_2024):
    assert report_2024.table4 == TABLE4_2024


def test_table_two_holds_the_entered_figures(report_2024):
    assert report_2024.table2["规章"] == {"本年制发件数": 2, "本年废止件数": 1, "现行有效件数": 11}
    assert report_2024.table2["行政事业性收费"] == {"本年收费金额（单位：万元）": 12.5}


def test_fees_collected_in_the_year_are_summed_for_section_six(report_2024, plan):
    paid = [d["amount"] for p in plan for k, day, d in p.steps if k == "缴费" and day.year == 2024]
    assert (report_2024.fee_count, report_2024.fee_total) == (len(paid), sum(paid)) and paid
    assert f"本年度收取信息处理费{int(sum(paid))}元（{len(paid)}笔）" in to_markdown(report_2024)


def test_generated_markdown_parses_back_to_the_same_numbers(report_2024):
    md = to_markdown(report_2024)
    parsed = parse_report(md)
    assert (parsed.agency, parsed.year, parsed.format) == (AGENCY, 2024, "2021")
    assert parsed.table3 == report_2024.table3
    assert parsed.table4 == report_2024.table4
    assert parsed.table2 == report_2024.table2
    assert parsed.problems == ()
    assert [h for h, _ in parsed.sections][:6] == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                                   "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                                                   "六、其他需要报告的事项"]


def test_generated_docx_reads_back_to_the_same_numbers_with_chinese_fonts(report_2024, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    path = write_report_docx(report_2024, tmp_path / "report.docx")
    parsed = parse_report(report_text(path.read_bytes(), path.name))
    assert (parsed.table3, parsed.table4, parsed.table2) == (report_2024.table3, report_2024.table4, report_2024.table2)
    doc = Document(str(path))
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs}
    assert {"方正小标宋简体", "黑体", "仿宋_GB2312"} <= fonts
    assert len(doc.tables) == 4 + 1 + 1  # 二 (four sub-tables), 三, 四
    assert any("【待填" in p.text for p in doc.paragraphs)


def test_docx_output_must_be_a_docx_path(report_2024, tmp_path):
    with pytest.raises(BadInput, match=".docx"):
        write_report_docx(report_2024, tmp_path / "report.pdf")


# ---------------------------------------------------------------- the pure rules, table by table


def _f(received: str, closed: str | None = None, out: str | None = None, kind: str = "自然人") -> CaseFacts:
    return CaseFacts(D(received), D(closed) if closed else None, outcome(out).key if out else None, kind)


@pytest.mark.parametrize("fact, rows", [
    (_f("2024-03-01", "2024-03-20", "予以公开"), {"本年新收": 1, "予以公开": 1, "总计": 1}),
    (_f("2024-12-20"), {"本年新收": 1, "结转下年度继续办理": 1}),
    (_f("2024-12-20", "2025-01-10", "部分公开"), {"本年新收": 1, "结转下年度继续办理": 1}),
    (_f("2023-12-20", "2024-01-10", "部分公开"), {"上年结转": 1, "部分公开": 1, "总计": 1}),
    (_f("2023-12-20"), {"上年结转": 1, "结转下年度继续办理": 1}),
    (_f("2022-12-20", "2025-02-01", "重复申请"), {"上年结转": 1, "结转下年度继续办理": 1}),
    (_f("2023-06-01", "2023-12-31", "予以公开"), {}),
    (_f("2025-01-02"), {}),
    (_f("2024-01-01", "2024-12-31", "no_correction", "法律服务机构"),
     {"本年新收": 1, "其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": 1, "总计": 1}),
])
def test_one_case_lands_in_the_rows_of_its_year(fact, rows):
    got = table3([fact], 2024)
    col = APPLICANT_TYPES.index(fact.applicant_type)
    expected = {k: [0] * 7 for k in report_keys()}
    for key, n in rows.items():
        expected[key][col] = expected[key][6] = n
    assert got == expected


@pytest.mark.parametrize("review, row, part", [
    (ReviewFacts("行政复议", D("2024-02-01"), "纠正", D("2024-04-01")), "行政复议", 1),
    (ReviewFacts("行政复议", D("2024-12-01"), "维持", D("2025-01-15")), "行政复议", 3),  # pending on 12/31
    (ReviewFacts("复议后起诉", D("2023-09-01"), "尚未审结", None), "复议后起诉", 3),
    (ReviewFacts("未经复议直接起诉", D("2023-09-01"), "其他", D("2024-01-01")), "未经复议直接起诉", 2),
    (ReviewFacts("未经复议直接起诉", D("2023-09-01"), "维持", D("2023-12-31")), None, None),  # decided before the year
    (ReviewFacts("行政复议", D("2025-01-02"), "尚未审结", None), None, None),
])
def test_one_review_lands_in_table_four_by_its_result_at_the_years_end(review, row, part):
    expected = {k: [0] * 5 for k in ("行政复议", "未经复议直接起诉", "复议后起诉")}
    if row:
        expected[row][part] = expected[row][4] = 1
    assert table4([review], 2024) == expected


@pytest.mark.parametrize("given, year", [("2024", 2024), ("2024年", 2024), ("２０２３年度", 2023), (2019, 2019)])
def test_report_year_is_read_in_its_usual_spellings(given, year):
    assert parse_year(given, today=D("2025-02-01")) == year


@pytest.mark.parametrize("given", ["24", "二〇二四", "2024-01", "", "2007", "2026"])
def test_bad_or_future_report_year_is_refused(given):
    with pytest.raises(BadInput, match="年度"):
        parse_year(given, today=D("2025-02-01"))


@pytest.mark.parametrize("row, column, cell", [
    ("规范性文件", "本年制发件数", ("行政规范性文件", "本年制发件数")),
    (" 规章 ", "现行有效件数", ("规章", "现行有效件数")),
    ("行政事业性收费", "本年收费金额(单位:万元)", ("行政事业性收费", "本年收费金额（单位：万元）")),
    ("行政事业性收费", "本年收费金额", ("行政事业性收费", "本年收费金额（单位：万元）")),
])
def test_table_two_cells_are_named_as_the_form_names_them(row, column, cell):
    assert table2_cell(row, column) == cell


@pytest.mark.parametrize("row, column", [("行政许可", "本年制发件数"), ("政府采购", "本年处理决定数量")])
def test_unknown_table_two_cell_is_refused(row, column):
    with pytest.raises(BadInput, match="表二"):
        table2_cell(row, column)


def test_inconsistent_document_stock_across_years_is_a_warning_not_a_failure():
    figures = {2023: {"规章": {"现行有效件数": 10}}, 2024: {"规章": {"本年制发件数": 2, "本年废止件数": 0, "现行有效件数": 11}}}
    report = build_annual_report(AnnualInputs("某局", 2024, (), figures=figures), today=D("2025-02-01"))
    stock = [c for c in report.checks if c.rule == RULE_STOCK]
    assert [(c.ok, c.severity) for c in stock] == [(False, "warning")] and report.ok
    assert "上年现行有效10+本年制发2−本年废止0=12" in stock[0].detail


def test_year_without_cases_gives_zero_tables_that_add_up_and_says_so():
    report = build_annual_report(AnnualInputs("某局", 2024, (_f("2022-03-01", "2022-03-10", "予以公开"),),
                                              has_previous=True), today=D("2025-02-01"))
    assert all(v == Z7 for v in report.table3.values()) and report.ok
    assert any("没有2024年度的申请" in n for n in report.notes)
    assert parse_report(to_markdown(report)).table3 == report.table3


def test_current_year_is_marked_as_not_finished():
    report = build_annual_report(AnnualInputs("某局", 2025, ()), today=D("2025-06-01"))
    assert any("尚未结束" in n for n in report.notes)
