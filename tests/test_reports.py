"""rag.reports: published annual reports parse back to their numbers, the 勾稽关系 checks hold
or fail as they should, and `python -m rag report parse|check` exits 0/1/2.

The published reports are the real ones in corpus/reports/; the variants in tests/data/reports/
are realistic re-layouts (fictional agencies) of tables that add up, each with one difficulty.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rag import report_layouts as lay
from rag import report_tables as tab
from rag.cli import main
from rag.core.errors import BadInput, ReportUnusable
from rag.core.outcomes import report_keys
from rag.report_files import report_text
from rag.reports import (
    RULE_BALANCE,
    RULE_CARRY,
    RULE_OUTCOMES,
    RULE_ROW_TOTAL,
    RULE_STOCK,
    RULE_TABLE4,
    ParsedReport,
    check_report,
    check_tables,
    parse_report,
)

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "corpus" / "reports"
VARIANTS = ROOT / "tests" / "data" / "reports"
Z7, Z5 = [0] * 7, [0] * 5
NO_CORRECTION = "其他处理/申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
FEE_UNPAID = "其他处理/申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"


def parse_file(path: Path) -> ParsedReport:
    return parse_report(report_text(path.read_bytes(), path.name), source_name=path.name)


def failed_rules(report: ParsedReport, previous: ParsedReport | None = None) -> set[str]:
    return {c.rule for c in check_report(report, previous) if c.failed}


# ---------------------------------------------------------------- published reports

PUBLISHED_CASES = [
    ("温州市瓯海区人民政府办公室_2023.md", "瓯海区人民政府办公室", 2023,
     "瓯海区人民政府办公室2023年政府信息公开工作年度报告", "2021",
     {"本年新收": [46, 5, 0, 0, 0, 0, 51], "上年结转": [2, 7, 0, 0, 0, 0, 9], "予以公开": [15, 0, 0, 0, 0, 0, 15],
      "部分公开": [16, 9, 0, 0, 0, 0, 25], "无法提供/本机关不掌握相关政府信息": [10, 0, 0, 0, 0, 0, 10],
      NO_CORRECTION: [2, 0, 0, 0, 0, 0, 2], "其他处理/其他": [0, 1, 0, 0, 0, 0, 1],
      "不予公开/危及“三安全一稳定”": Z7, "总计": [43, 10, 0, 0, 0, 0, 53], "结转下年度继续办理": [5, 2, 0, 0, 0, 0, 7]},
     {"行政复议": [1, 3, 1, 5, 10], "未经复议直接起诉": Z5, "复议后起诉": Z5},
     {"行政规范性文件": {"本年制发件数": 19, "本年废止件数": 54, "现行有效件数": 148},
      "行政事业性收费": {"本年收费金额（单位：万元）": 0}}),
    ("平潭综合实验区_2019.md", "平潭综合实验区", 2019, "平潭综合实验区2019年政府信息公开工作年度报告", "2019试行",
     {"本年新收": [23, 0, 0, 0, 0, 0, 23], "予以公开": [7, 0, 0, 0, 0, 0, 7], "部分公开": [1, 0, 0, 0, 0, 0, 1],
      "无法提供/补正后申请内容仍不明确": [5, 0, 0, 0, 0, 0, 5], "不予处理/重复申请": [3, 0, 0, 0, 0, 0, 3],
      "其他处理/其他": Z7, "总计": [23, 0, 0, 0, 0, 0, 23], "结转下年度继续办理": Z7},
     {"行政复议": Z5, "未经复议直接起诉": Z5, "复议后起诉": Z5},
     {"行政规范性文件": {"本年新制作数量": 89, "本年新公开数量": 89, "对外公开总数量": 89},
      "政府集中采购": {"采购项目数量": 135, "采购总金额": 75394432.52}}),
    ("平潭综合实验区_2020.md", "平潭综合实验区", 2020, "平潭综合实验区2020年政府信息公开工作年度报告", "2019试行",
     {"本年新收": [20, 0, 0, 0, 0, 1, 21], "予以公开": [6, 0, 0, 0, 0, 1, 7], "部分公开": [6, 0, 0, 0, 0, 0, 6],
      "其他处理/其他": [4, 0, 0, 0, 0, 0, 4], "总计": [20, 0, 0, 0, 0, 1, 21]},
     {"行政复议": Z5},
     {"行政处罚": {"上一年项目数量": 2648, "本年增/减": -18, "处理决定数量": 538}}),
    ("平潭综合实验区_2021.md", "平潭综合实验区", 2021, "平潭综合实验区2021年度政府信息公开工作年度报告", "2021",
     {"本年新收": [64, 0, 0, 2, 0, 4, 70], "予以公开": [27, 0, 0, 2, 0, 1, 30],
      "不予公开/属于行政执法案卷": [6, 0, 0, 0, 0, 0, 6], "无法提供/本机关不掌握相关政府信息": [22, 0, 0, 0, 0, 3, 25],
      "总计": [63, 0, 0, 2, 0, 4, 69], "结转下年度继续办理": [1, 0, 0, 0, 0, 0, 1]},
     {"行政复议": [1, 0, 2, 0, 3], "未经复议直接起诉": [12, 0, 0, 0, 12], "复议后起诉": Z5},
     {"行政规范性文件": {"本年制发件数": 69, "本年废止件数": 3, "现行有效件数": 665},
      "行政事业性收费": {"本年收费金额（单位：万元）": 24252.311082}}),
    ("平潭综合实验区_2023.md", "平潭综合实验区", 2023, "平潭综合实验区2023年度政府信息公开工作年度报告", "2021",
     {"本年新收": [80, 1, 0, 0, 0, 0, 81], "部分公开": [19, 1, 0, 0, 0, 0, 20],
      "不予公开/属于行政查询事项": [2, 0, 0, 0, 0, 0, 2], "无法提供/本机关不掌握相关政府信息": [31, 0, 0, 0, 0, 0, 31],
      "总计": [80, 1, 0, 0, 0, 0, 81]},
     {"行政复议": [1, 1, 0, 0, 2], "未经复议直接起诉": [4, 0, 0, 1, 5], "复议后起诉": [1, 0, 1, 0, 2]},
     # 表二 says 470 in force while the narrative says 393: the table is what is parsed.
     {"行政规范性文件": {"本年制发件数": 77, "本年废止件数": 132, "现行有效件数": 470}}),
    ("平潭综合实验区_2025.md", "平潭综合实验区", 2025, "平潭综合实验区2025年度政府信息公开工作年度报告", "2021",
     {"本年新收": [151, 3, 0, 0, 0, 0, 154], "无法提供/本机关不掌握相关政府信息": [49, 1, 0, 0, 0, 0, 50],
      NO_CORRECTION: [8, 0, 0, 0, 0, 0, 8], FEE_UNPAID: [2, 0, 0, 0, 0, 0, 2],
      "总计": [147, 1, 0, 0, 0, 0, 148], "结转下年度继续办理": [4, 2, 0, 0, 0, 0, 6]},
     {"行政复议": [25, 3, 8, 0, 36], "未经复议直接起诉": [3, 3, 0, 0, 6], "复议后起诉": [3, 0, 0, 0, 3]},
     {"行政许可": {"本年处理决定数量": 2418}}),
]


@pytest.mark.parametrize("name, agency, year, title, fmt, table3, table4, table2", PUBLISHED_CASES,
                         ids=[c[0] for c in PUBLISHED_CASES])
def test_published_report_parses_to_its_published_numbers(name, agency, year, title, fmt, table3, table4, table2):
    report = parse_file(PUBLISHED / name)
    assert (report.agency, report.year, report.title, report.format) == (agency, year, title, fmt)
    assert {k: report.table3.get(k) for k in table3} == table3
    assert {k: report.table4.get(k) for k in table4} == table4
    assert {k: {c: report.table2.get(k, {}).get(c) for c in v} for k, v in table2.items()} == table2


@pytest.mark.parametrize("name", ["温州市瓯海区人民政府办公室_2023.md", "平潭综合实验区_2021.md",
                                  "平潭综合实验区_2023.md", "平潭综合实验区_2025.md"])
def test_complete_2021_format_table_has_exactly_the_25_contract_keys(name):
    report = parse_file(PUBLISHED / name)
    data = report.to_json()
    assert list(data["table3"]) == list(report_keys())
    assert all(len(v) == 7 and all(type(n) is int for n in v) for v in data["table3"].values())
    assert list(data["table4"]) == ["行政复议", "未经复议直接起诉", "复议后起诉"]
    assert report.problems == ()


@pytest.mark.parametrize("name", ["平潭综合实验区_2019.md", "平潭综合实验区_2020.md"])
def test_2019_format_counts_its_single_other_row_as_other_and_says_so(name):
    report = parse_file(PUBLISHED / name)
    assert "其他处理/其他" in report.table3
    assert NO_CORRECTION not in report.table3 and FEE_UNPAID not in report.table3
    assert len(report.table3) == 23
    assert any("2019年试行格式不分三项" in p for p in report.problems)


@pytest.mark.parametrize("name, failing", [
    ("温州市瓯海区人民政府办公室_2023.md", set()),
    ("平潭综合实验区_2019.md", set()),
    ("平潭综合实验区_2020.md", {RULE_OUTCOMES}),  # published 表三 rows sum to 26/27, 总计 says 20/21
    ("平潭综合实验区_2021.md", set()),
    ("平潭综合实验区_2023.md", set()),
    ("平潭综合实验区_2025.md", set()),
])
def test_published_reports_pass_their_checks_except_pingtan_2020(name, failing):
    assert failed_rules(parse_file(PUBLISHED / name)) == failing


def test_pingtan_2020_failure_names_the_columns_and_the_numbers():
    failed = [c for c in check_report(parse_file(PUBLISHED / "平潭综合实验区_2020.md")) if c.failed]
    assert [c.detail.split("：")[0] for c in failed] == ["自然人列", "总计列"]
    assert "=26，办理结果总计20" in failed[0].detail and "=27，办理结果总计21" in failed[1].detail


def test_balance_detail_names_column_and_numbers():
    checks = check_report(parse_file(PUBLISHED / "温州市瓯海区人民政府办公室_2023.md"))
    details = [c.detail for c in checks if c.rule == RULE_BALANCE]
    assert details[0] == "自然人列：本年新收46+上年结转2=48，办理结果总计43+结转下年度5=48"
    assert len(details) == 7
    assert {c.rule for c in checks} == {RULE_BALANCE, RULE_OUTCOMES, RULE_ROW_TOTAL, RULE_TABLE4}
    assert len(checks) == 7 + 7 + 25 + 3


def test_json_has_the_contract_keys_and_round_trips():
    data = json.loads(json.dumps(parse_file(PUBLISHED / "平潭综合实验区_2021.md").to_json(), ensure_ascii=False))
    assert {"agency", "year", "table3", "table4", "checks"} <= set(data)
    assert all({"rule", "ok", "detail"} <= set(c) for c in data["checks"])
    assert data["table3"]["不予公开/危及“三安全一稳定”"] == Z7


# ---------------------------------------------------------------- across years


def test_consecutive_pingtan_reports_carry_over_and_agree():
    r2019, r2020, r2021 = (parse_file(PUBLISHED / f"平潭综合实验区_{y}.md") for y in (2019, 2020, 2021))
    for this, last in ((r2020, r2019), (r2021, r2020)):
        carry = [c for c in check_report(this, last) if c.rule == RULE_CARRY]
        assert [c.ok for c in carry] == [True]
        # the 2019 试行 format has no 现行有效件数: no stock rule can be applied across it
        assert not [c for c in check_report(this, last) if c.rule == RULE_STOCK]


def test_previous_report_must_be_the_same_agency_one_year_earlier():
    r2021, r2023 = parse_file(PUBLISHED / "平潭综合实验区_2021.md"), parse_file(PUBLISHED / "平潭综合实验区_2023.md")
    with pytest.raises(BadInput):
        check_report(r2023, r2021)
    with pytest.raises(BadInput):
        check_report(r2023, parse_file(PUBLISHED / "温州市瓯海区人民政府办公室_2023.md"))


def test_carry_over_mismatch_is_an_error_and_stock_mismatch_a_warning():
    last = parse_file(VARIANTS / "云溪区民政局_2022_制表符.txt")
    this = parse_file(VARIANTS / "云溪区民政局_2023_跨年不衔接.md")
    checks = check_report(this, last)
    carry = next(c for c in checks if c.rule == RULE_CARRY)
    stock = next(c for c in checks if c.rule == RULE_STOCK and c.detail.startswith("行政规范性文件"))
    assert (carry.ok, carry.severity) == (False, "error")
    assert "商业企业列：2022年结转下年度2，2023年上年结转1" in carry.detail
    assert (stock.ok, stock.severity, stock.failed) == (False, "warning", False)
    assert stock.detail == "行政规范性文件：上年现行有效50+本年制发6−本年废止2=54，本年现行有效51"
    assert failed_rules(this) == set()  # each year adds up by itself


# ---------------------------------------------------------------- variant layouts

A22 = {"本年新收": [30, 4, 0, 1, 2, 0, 37], "上年结转": [3, 1, 0, 0, 0, 0, 4], "予以公开": [10, 1, 0, 1, 0, 0, 12],
       "不予公开/危及“三安全一稳定”": Z7, "不予公开/属于四类过程性信息": [0, 1, 0, 0, 0, 0, 1],
       NO_CORRECTION: [1, 0, 0, 0, 0, 0, 1], "其他处理/其他": [1, 0, 0, 0, 0, 0, 1],
       "总计": [31, 3, 0, 1, 2, 0, 37], "结转下年度继续办理": [2, 2, 0, 0, 0, 0, 4]}
A22_T4 = {"行政复议": [2, 1, 0, 1, 4], "未经复议直接起诉": [1, 0, 0, 1, 2], "复议后起诉": [0, 0, 0, 1, 1]}
B22 = {"本年新收": [12, 6, 1, 0, 0, 1, 20], "部分公开": [2, 1, 1, 0, 0, 0, 4],
       "不予公开/危及“三安全一稳定”": [1, 0, 0, 0, 0, 0, 1], "不予公开/属于行政查询事项": [0, 2, 0, 0, 0, 0, 2],
       NO_CORRECTION: [0, 1, 0, 0, 0, 0, 1], "总计": [11, 8, 1, 0, 0, 0, 20], "结转下年度继续办理": [1, 0, 0, 0, 0, 1, 2]}


def _times(rows: dict, k: int) -> dict:
    return {key: [n * k for n in v] for key, v in rows.items()}


VARIANT_CASES = [
    # tab-separated text; group rows on lines of their own; "1．" full-width item numbers;
    # table 四 as three header lines and a row of 15 bare numbers
    ("云溪区民政局_2022_制表符.txt", "云溪区民政局", 2022, "2021", A22, A22_T4, 25, []),
    # half-width parentheses, straight quotes, full-width digits, rows in another order,
    # table 四 as one row of 15 labelled headers in another order than the form's
    ("南屿市自然资源和规划局_2022_行序调换.md", "南屿市自然资源和规划局", 2022, "2021", B22,
     {"行政复议": [1, 0, 0, 0, 1], "未经复议直接起诉": [0, 1, 0, 0, 1], "复议后起诉": Z5}, 25, []),
    # PDF text: single spaces, long labels wrapped over two lines, table 四 one figure per line
    ("青禾县教育局_2023_PDF文本.txt", "青禾县教育局", 2023, "2021", _times(A22, 2), _times(A22_T4, 2), 25, []),
    # 2019 试行 format as flattened `|` web text without a title line
    ("flat_2019_no_title_2020.txt", "青禾县人民政府办公室", 2020, "2019试行",
     {**{k: v for k, v in A22.items() if not k.startswith("其他处理/")}, "其他处理/其他": [2, 0, 0, 0, 0, 0, 2]},
     A22_T4, 23, ["2019年试行格式不分三项"]),
    # saved web page: rowspan/colspan cells
    ("南屿市审计局_2024_网页.html", "南屿市审计局", 2024, "2021", _times(B22, 2),
     {"行政复议": [2, 0, 0, 0, 2], "未经复议直接起诉": [0, 2, 0, 0, 2], "复议后起诉": Z5}, 25, []),
    # no table 四 at all (and section 五 numbered 四)
    ("云溪区卫生健康局_2023_缺表四.md", "云溪区卫生健康局", 2023, "2021", _times(A22, 3), {}, 25, ["未找到表四"]),
    # "1O" in a table-三 cell and "—" in a table-四 cell: those rows are absent, never guessed
    ("南屿市财政局_2023_数字错乱.md", "南屿市财政局", 2023, "2021",
     {k: v for k, v in B22.items() if k != "部分公开"},
     {"未经复议直接起诉": [0, 1, 0, 0, 1], "复议后起诉": Z5}, 24,
     ["“部分公开”行“商业企业”列的“1O”不是数字", "表四“行政复议”行“其他”为“—”", "无法核对“办理结果总计=各项办理结果之和”"]),
]


@pytest.mark.parametrize("name, agency, year, fmt, table3, table4, n_rows, problems", VARIANT_CASES,
                         ids=[c[0] for c in VARIANT_CASES])
def test_variant_layout_parses_by_labels(name, agency, year, fmt, table3, table4, n_rows, problems):
    report = parse_file(VARIANTS / name)
    assert (report.agency, report.year, report.format) == (agency, year, fmt)
    assert {k: report.table3.get(k) for k in table3} == table3
    assert report.table4 == table4
    assert len(report.table3) == n_rows
    for fragment in problems:
        assert any(fragment in p for p in report.problems), (fragment, report.problems)
    if not problems:
        assert report.problems == ()
    assert failed_rules(report) == set()


def test_cells_copied_one_per_line_parse_like_the_table():
    tabbed = (VARIANTS / "云溪区民政局_2022_制表符.txt").read_text(encoding="utf-8")
    one_per_line = "\n".join(cell for line in tabbed.splitlines() for cell in line.split("\t") if cell.strip())
    assert parse_report(one_per_line).to_json() == parse_report(tabbed).to_json()


T4_FIRST = "一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1\n四、政府信息公开行政复议、行政诉讼情况\n"


@pytest.mark.parametrize("table, expected", [
    ("| | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n| 行政复议 | 1 | 3 | 1 | 5 | 10 |\n"
     "| 行政诉讼（未经复议直接起诉） | 0 | 1 | 0 | 0 | 1 |\n| 行政诉讼（复议后起诉） | 2 | 0 | 0 | 0 | 2 |",
     {"行政复议": [1, 3, 1, 5, 10], "未经复议直接起诉": [0, 1, 0, 0, 1], "复议后起诉": [2, 0, 0, 0, 2]}),
    ("| | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 |\n| 行政复议 | 10 | 1 | 3 | 1 | 5 |",
     {"行政复议": [1, 3, 1, 5, 10]}),
    ("行政复议\n结果维持 1\n结果纠正 **3**\n其他结果 1\n尚未审结 5\n总计 10",
     {"行政复议": [1, 3, 1, 5, 10]}),
    ("行政复议 1 3 1 5 10 0 0 0 0 0 2 0 0 0 2",
     {"行政复议": [1, 3, 1, 5, 10], "未经复议直接起诉": Z5, "复议后起诉": [2, 0, 0, 0, 2]}),
    ("行政复议：结果维持 | 1\n行政复议：结果纠正 | 3\n行政复议：总计 | 4", {}),
])
def test_table4_layouts_are_read_by_their_labels(table, expected):
    assert parse_report(T4_FIRST + table).table4 == expected


def test_garbled_report_runs_only_the_checks_whose_rows_are_there():
    report = parse_file(VARIANTS / "南屿市财政局_2023_数字错乱.md")
    rules = {c.rule for c in check_report(report)}
    assert RULE_OUTCOMES not in rules and RULE_BALANCE in rules
    assert not any("部分公开" in c.detail for c in check_report(report))


def test_report_without_title_gets_one_from_agency_and_year():
    report = parse_file(VARIANTS / "flat_2019_no_title_2020.txt")
    assert report.title == "青禾县人民政府办公室2020年政府信息公开工作年度报告"


def test_sections_one_to_six_are_found_by_their_words():
    report = parse_file(PUBLISHED / "平潭综合实验区_2019.md")
    assert [h for h, _ in report.sections] == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                               "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                                               "六、其他需要报告的事项"]
    assert report.sections[5][1] == "无其他需要报告的事项"
    ouhai = parse_file(PUBLISHED / "温州市瓯海区人民政府办公室_2023.md")
    # "(一) 主动公开" heads a paragraph of 总体情况, not section 二
    assert [h[:2] for h, _ in ouhai.sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert ouhai.sections[0][1].startswith("2023年,瓯海区人民政府办公室") and "(一) 主动公开" in ouhai.sections[0][1]


# ---------------------------------------------------------------- what the text gives


@pytest.mark.parametrize("text, agency, year", [
    ("2023年，云溪区司法局坚持以习近平新时代中国特色社会主义思想为指导。", "云溪区司法局", 2023),
    ("本报告所列数据的统计期限为2022年1月1日起至12月31日。\n2022年,南屿市人民政府办公室深化政务公开。", "南屿市人民政府办公室", 2022),
    ("2021年，在省政府办公厅的指导下，我局认真贯彻条例。", "", 2021),
])
def test_agency_and_year_come_from_the_text_when_there_is_no_title(text, agency, year):
    table = "\n".join(f"{k} " + " ".join(["0"] * 7) for k in ("一、本年新收政府信息公开申请数量", "（七）总计"))
    report = parse_report(f"{text}\n三、收到和处理政府信息公开申请情况\n{table}\n")
    assert (report.agency, report.year) == (agency, year)
    assert ("未能识别报告机关名称" in report.problems) == (not agency)


@pytest.mark.parametrize("title, agency, year", [
    ("平潭综合实验区2021年度政府信息公开工作年度报告", "平潭综合实验区", 2021),
    ("2023年度云溪区人民政府政府信息公开工作年度报告", "云溪区人民政府", 2023),
    ("南屿市人民政府政府信息公开工作年度报告（2022年度）", "南屿市人民政府", 2022),
    ("青禾县司法局二〇二三年政府信息公开工作年度报告", "青禾县司法局", 2023),
])
def test_agency_and_year_come_from_the_title_line(title, agency, year):
    report = parse_report(f"# {title}\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n")
    assert (report.agency, report.year, report.title) == (agency, year, title)


def test_file_name_is_only_a_fallback_for_the_agency():
    text = "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n"
    assert parse_report(text, source_name="南屿市水利局_2024.md").agency == "南屿市水利局"
    assert parse_report(text, source_name="南屿市水利局_2024.md").year == 2024
    ouhai = (PUBLISHED / "温州市瓯海区人民政府办公室_2023.md").read_text(encoding="utf-8")
    assert parse_report(ouhai, source_name="温州市瓯海区人民政府办公室_2023.md").agency == "瓯海区人民政府办公室"


@pytest.mark.parametrize("label, group, expected", [
    ("三、本年度办理结果 / （三）不予公开 / 3.危及“三安全一稳定”", None, ("row", "不予公开/危及“三安全一稳定”")),
    ('(三)不予公开 3.危及"三安全一稳定"', None, ("row", "不予公开/危及“三安全一稳定”")),
    ("危及三安全一稳定", "不予公开", ("row", "不予公开/危及“三安全一稳定”")),
    ("属于国家秘密", "不予公开", ("row", "不予公开/属于国家秘密")),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, ("row", "部分公开")),
    ("(一)予以公开", None, ("row", "予以公开")),
    ("1．申请人无正当理由逾期不补正", "其他处理", ("row", NO_CORRECTION)),
    ("3.其他", "其他处理", ("row", "其他处理/其他")),
    ("3.其他", "不予处理", None),
    ("（六）其他处理 / 3.其他", None, ("row", "其他处理/其他")),
    ("（六）其他处理", None, ("group", "其他处理")),
    ("（三）不予公开", None, ("group", "不予公开")),
    ("（七）总计", None, ("row", "总计")),
    ("办理结果合计", None, ("row", "总计")),
    ("二、上年度结转政府信息公开申请数量", None, ("row", "上年结转")),
    ("四、结转下一年度继续办理", None, ("row", "结转下年度继续办理")),
    ("其他法律行政法规禁止公开", "不予公开", ("row", "不予公开/其他法律行政法规禁止公开")),
    ("要求行政机关确认或重新出具已获取信息", None, ("row", "不予处理/要求行政机关确认或重新出具已获取信息")),
    ("联系电话", None, None),
])
def test_table3_rows_are_recognised_by_their_label_text(label, group, expected):
    assert tab.classify3(lay.label_key(label), group) == expected


@pytest.mark.parametrize("cell, number", [
    ("46", 46), ("４６", 46), ("1,234", 1234), ("12件", 12), (" 0 ", 0), ("3.0", 3),
    ("1O", None), ("—", None), ("", None), ("-", None), ("无", None), ("2.5", None), ("-3", None),
])
def test_counts_are_read_only_when_they_are_plain_numbers(cell, number):
    assert lay.to_int(cell) == number


@pytest.mark.parametrize("line, label, values", [
    ("| 三、本年度办理结果 / （一）予以公开 | 7 | 0 |", "三、本年度办理结果 / （一）予以公开", ("7", "0")),
    ("(三)不予公开 | 1.属于国家秘密 | 0 | 0 | ||", "(三)不予公开 / 1.属于国家秘密", ("0", "0")),
    ("一、本年新收\t46\t\t0", "一、本年新收", ("46", "", "0")),
    ("（七）总计  43  10", "（七）总计", ("43", "10")),
    ("1.属于国家秘密 0 1O —", "1.属于国家秘密", ("0", "1O", "—")),
    ("1 | 3 | 1 | 5 | 10 |", "", ("1", "3", "1", "5", "10")),
])
def test_a_line_splits_into_its_label_and_trailing_values(line, label, values):
    row = lay.split_rows([line])[0]
    assert (row.label, row.values) == (label, values)


def test_table3_without_any_row_labels_falls_back_to_the_form_order():
    numbers = {k: Z7 for k in report_keys()} | {"本年新收": [3, 0, 0, 0, 0, 0, 3], "予以公开": [3, 0, 0, 0, 0, 0, 3],
                                                 "总计": [3, 0, 0, 0, 0, 0, 3]}
    text = "南屿市水利局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" + "\n".join(
        " ".join(map(str, numbers[k])) for k in report_keys())
    report = parse_report(text)
    assert report.table3 == numbers
    assert any("没有行名" in p for p in report.problems)


def test_an_empty_cell_is_unknown_not_zero():
    text = ("# 南屿市水利局2023年政府信息公开工作年度报告\n"
            "| 一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |\n"
            "| 二、上年结转政府信息公开申请数量 | 0 |  | 0 | 0 | 0 | 0 | 0 |\n")
    report = parse_report(text)
    assert "上年结转" not in report.table3
    assert "表三“上年结转”行“商业企业”列为空，该行未读取" in report.problems
    assert any("无法核对“本年新收+上年结转=办理结果总计+结转下年度”" in p for p in report.problems)


def test_a_column_order_given_by_the_header_is_followed():
    text = ("# 南屿市水利局2023年政府信息公开工作年度报告\n"
            "| 申请人情况 | 总计 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n|---|---|---|---|---|---|---|---|\n"
            "| 一、本年新收政府信息公开申请数量 | 6 | 5 | 1 | 0 | 0 | 0 | 0 |\n")
    assert parse_report(text).table3["本年新收"] == [5, 1, 0, 0, 0, 0, 6]


@pytest.mark.parametrize("text", ["", "   \n\n", "政府信息公开申请表\n申请人：张三\n",
                                  (VARIANTS / "不是年报_公开申请.txt").read_text(encoding="utf-8")])
def test_text_without_table3_is_not_a_report(text):
    with pytest.raises(ReportUnusable):
        parse_report(text)


# ---------------------------------------------------------------- check_tables on plain dicts


def _good_tables() -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    report = parse_file(PUBLISHED / "温州市瓯海区人民政府办公室_2023.md")
    return {k: list(v) for k, v in report.table3.items()}, {k: list(v) for k, v in report.table4.items()}


@pytest.mark.parametrize("row, col, delta, rules, fragment", [
    ("本年新收", 0, 1, {RULE_BALANCE, RULE_ROW_TOTAL}, "自然人列：本年新收47+上年结转2=49，办理结果总计43+结转下年度5=48"),
    ("予以公开", 1, 1, {RULE_OUTCOMES, RULE_ROW_TOTAL}, "商业企业列：各项办理结果之和予以公开1+部分公开9+其他（其他处理）1=11，办理结果总计10"),
    ("总计", 6, -1, {RULE_BALANCE, RULE_OUTCOMES, RULE_ROW_TOTAL}, "“总计”行：自然人43+商业企业10+科研机构0+社会公益组织0+法律服务机构0+其他0=53，总计列52"),
    ("结转下年度继续办理", 2, 1, {RULE_BALANCE, RULE_ROW_TOTAL}, "科研机构列：本年新收0+上年结转0=0，办理结果总计0+结转下年度1=1"),
])
def test_check_tables_flags_each_broken_relation(row, col, delta, rules, fragment):
    table3, table4 = _good_tables()
    assert not [c for c in check_tables(table3, table4) if c.failed]
    table3[row][col] += delta
    failed = [c for c in check_tables(table3, table4) if c.failed]
    assert {c.rule for c in failed} == rules
    assert fragment in [c.detail for c in failed]


def test_check_tables_flags_a_table4_total():
    table3, table4 = _good_tables()
    table4["复议后起诉"] = [1, 0, 0, 0, 2]
    failed = [c for c in check_tables(table3, table4) if c.failed]
    assert [(c.rule, c.detail) for c in failed] == [(RULE_TABLE4, "复议后起诉：维持1+纠正0+其他0+尚未审结0=1，总计2")]


def test_check_tables_emits_only_rules_whose_rows_are_present():
    table3, _ = _good_tables()
    del table3["上年结转"], table3["不予处理/重复申请"]
    rules = [c.rule for c in check_tables(table3, {})]
    assert RULE_BALANCE not in rules and RULE_OUTCOMES not in rules and RULE_TABLE4 not in rules
    assert rules.count(RULE_ROW_TOTAL) == 23


# ---------------------------------------------------------------- files: encodings, Word, PDF


def test_gbk_file_parses_like_its_utf8_original(tmp_path):
    original = VARIANTS / "云溪区民政局_2022_制表符.txt"
    gbk = tmp_path / "云溪区民政局_2022_gbk.txt"
    gbk.write_bytes(original.read_text(encoding="utf-8").encode("gbk"))
    assert parse_file(gbk).to_json() == parse_file(original).to_json()


def _docx_report() -> bytes:
    """A report as a Word file: title and headings as paragraphs, table 三 with merged label cells."""
    from docx import Document

    from rag.core.outcomes import OUTCOMES

    doc = Document()
    doc.add_paragraph("青禾县司法局2023年政府信息公开工作年度报告")
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = doc.add_table(rows=3 + 2 + 21 + 2, cols=10)
    t.cell(0, 0).merge(t.cell(2, 2)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t.cell(0, 3).merge(t.cell(0, 9)).text = "申请人情况"
    t.cell(1, 3).merge(t.cell(2, 3)).text = "自然人"
    t.cell(1, 4).merge(t.cell(1, 8)).text = "法人或其他组织"
    t.cell(1, 9).merge(t.cell(2, 9)).text = "总计"
    for i, name in enumerate(("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")):
        t.cell(2, 4 + i).text = name

    def put(r: int, label: str, first: int, values: list[int]) -> None:
        t.cell(r, first).merge(t.cell(r, 2)).text = label
        for c, v in zip(range(3, 10), values):
            t.cell(r, c).text = str(v)

    put(3, "一、本年新收政府信息公开申请数量", 0, [5, 1, 0, 0, 0, 0, 6])
    put(4, "二、上年结转政府信息公开申请数量", 0, [1, 0, 0, 0, 0, 0, 1])
    t.cell(5, 0).merge(t.cell(25, 0)).text = "三、本年度办理结果"
    groups: dict[str, list[int]] = {}
    for r, o in enumerate(OUTCOMES, start=5):
        values = {"disclose": [4, 1, 0, 0, 0, 0, 5], "repeat": [1, 0, 0, 0, 0, 0, 1]}.get(o.code, Z7)
        if o.group == o.item:
            put(r, o.form_label or o.item, 1, values)
        else:
            groups.setdefault(o.group, []).append(r)
            put(r, o.item, 2, values)
    for group, rows in groups.items():
        t.cell(rows[0], 1).merge(t.cell(rows[-1], 1)).text = group
    put(26, "（七）总计", 1, [5, 1, 0, 0, 0, 0, 6])
    put(27, "四、结转下年度继续办理", 0, [1, 0, 0, 0, 0, 0, 1])
    doc.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t4 = doc.add_table(rows=2, cols=3)
    for c, text in enumerate(("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")):
        t4.cell(0, c).text = text
    t4.cell(1, 0).text, t4.cell(1, 1).text, t4.cell(1, 2).text = "维持1，纠正0", "0", "0"  # not a usable layout
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_docx_report_with_merged_cells_parses(tmp_path):
    report = parse_report(report_text(_docx_report(), "report.docx"))
    assert (report.agency, report.year) == ("青禾县司法局", 2023)
    assert len(report.table3) == 25
    assert report.table3["予以公开"] == [4, 1, 0, 0, 0, 0, 5]
    assert report.table3["不予处理/重复申请"] == [1, 0, 0, 0, 0, 0, 1]
    assert report.table3["不予公开/属于国家秘密"] == Z7
    assert report.table4 == {}
    assert failed_rules(report) == set()


def _text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text pypdf can extract without any font file: a Type0 font whose
    Identity-H codes are the Unicode code points, with a ToUnicode map saying so."""
    ops = ["BT", "/F1 9 Tf", "11 TL", "30 800 Td"]
    ops += ["<" + "".join(f"{ord(ch):04X}" for ch in line) + "> Tj T*" for line in lines]
    content = "\n".join([*ops, "ET"]).encode("ascii")
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            "1 beginbfrange <0000> <FFFF> <0000> endbfrange\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end").encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H"
        b" /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_report_text_is_extracted_and_parsed():
    lines = (VARIANTS / "青禾县教育局_2023_PDF文本.txt").read_text(encoding="utf-8").splitlines()
    three = lines.index("三、收到和处理政府信息公开申请情况")
    report = parse_report(report_text(_text_pdf(lines[:1] + lines[three:three + 40]), "report.pdf"))
    assert (report.agency, report.year) == ("青禾县教育局", 2023)
    assert report.table3 == parse_file(VARIANTS / "青禾县教育局_2023_PDF文本.txt").table3


@pytest.mark.parametrize("data, error", [
    (b"", ReportUnusable),
    (b"\x00\x01\x02binary\x00junk" * 20, BadInput),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, BadInput),
    (b"PK\x03\x04not really a zip", BadInput),
    (b"%PDF-1.4\nnot really a pdf", BadInput),
])
def test_unreadable_files_raise_a_clear_error(data, error):
    with pytest.raises(error):
        report_text(data, "x")


def test_html_page_becomes_rows_of_cells_without_scripts():
    text = report_text((VARIANTS / "南屿市审计局_2024_网页.html").read_bytes(), "page.html")
    assert "| 一、本年新收政府信息公开申请数量 | 24 | 12 | 2 | 0 | 0 | 2 | 40" in text
    assert "var x" not in text


# ---------------------------------------------------------------- the CLI


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "PYTHONIOENCODING": "utf-8"})


def test_cli_parse_prints_contract_json_and_exits_0():
    result = _run("report", "parse", "corpus/reports/温州市瓯海区人民政府办公室_2023.md", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["agency"], data["year"]) == ("瓯海区人民政府办公室", 2023)
    assert data["table3"]["本年新收"] == [46, 5, 0, 0, 0, 0, 51]
    assert data["table4"]["行政复议"] == [1, 3, 1, 5, 10]
    assert data["checks"] and all(c["ok"] for c in data["checks"])


def test_cli_parse_exits_1_when_a_check_fails():
    result = _run("report", "parse", "corpus/reports/平潭综合实验区_2020.md")
    assert result.returncode == 1
    assert "✗ 办理结果总计=各项办理结果之和：自然人列" in result.stdout


@pytest.mark.parametrize("path", ["tests/data/reports/不是年报_公开申请.txt", "corpus/laws/中华人民共和国行政诉讼法_2017修正.md",
                                  "tests/data/reports/no-such-file.md", "tests/data"])
def test_cli_parse_exits_2_with_a_message_for_what_is_not_a_report(path):
    result = _run("report", "parse", path, "--json")
    assert result.returncode == 2
    assert result.stdout == "" and "Traceback" not in result.stderr and result.stderr.strip()


def test_cli_parse_exits_2_for_a_binary_file(tmp_path):
    junk = tmp_path / "image.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert main(["report", "parse", str(junk)]) == 2


def test_cli_parse_reads_docx_and_gbk(tmp_path, capsys):
    (tmp_path / "年报.docx").write_bytes(_docx_report())
    assert main(["report", "parse", str(tmp_path / "年报.docx"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["table3"]["予以公开"] == [4, 1, 0, 0, 0, 0, 5]
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes((PUBLISHED / "温州市瓯海区人民政府办公室_2023.md").read_text(encoding="utf-8").encode("gbk"))
    assert main(["report", "parse", str(gbk), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["agency"] == "瓯海区人民政府办公室"


def test_cli_check_flags_pingtan_2020_in_the_published_reports():
    result = _run("report", "check", "corpus/reports", "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    by_file = {Path(r["file"]).name: r for r in data["reports"]}
    assert len(by_file) == 6 and data["ok"] is False
    bad = {name for name, r in by_file.items() if any(not c["ok"] and c["severity"] == "error" for c in r["checks"])}
    assert bad == {"平潭综合实验区_2020.md"}
    assert by_file["平潭综合实验区_2021.md"]["previous_year"] == 2020
    assert by_file["平潭综合实验区_2023.md"]["previous_year"] is None  # no 2022 report


def test_cli_check_passes_consistent_years_and_skips_non_reports(tmp_path, capsys):
    for name in ("平潭综合实验区_2019.md", "平潭综合实验区_2021.md", "平潭综合实验区_2023.md"):
        shutil.copy(PUBLISHED / name, tmp_path / name)
    shutil.copy(VARIANTS / "不是年报_公开申请.txt", tmp_path)
    assert main(["report", "check", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and [Path(s["file"]).name for s in data["skipped"]] == ["不是年报_公开申请.txt"]


def test_cli_check_fails_when_years_do_not_carry_over(tmp_path, capsys):
    for name in ("云溪区民政局_2022_制表符.txt", "云溪区民政局_2023_跨年不衔接.md"):
        shutil.copy(VARIANTS / name, tmp_path / name)
    assert main(["report", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "✗ 本年上年结转=上年结转下年度：商业企业列：2022年结转下年度2，2023年上年结转1" in out
    assert "（提示）：行政规范性文件：上年现行有效50" in out


@pytest.mark.parametrize("make", [lambda p: p / "missing", lambda p: p])
def test_cli_check_exits_2_without_reports(tmp_path, make):
    assert main(["report", "check", str(make(tmp_path))]) == 2
