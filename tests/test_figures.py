"""Figure questions answered from parsed report tables (pure: tables in, sentence out)."""

from pathlib import Path

import pytest

from rag.figures import answer_figure, is_figure_question
from rag.reports import parse_report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reports():
    out = []
    for f in sorted((ROOT / "corpus" / "reports").glob("*.md")):
        r = parse_report(f.read_text(encoding="utf-8"), f.name)
        out.append({"agency": r.agency, "year": r.year, "title": r.title, "table2": r.table2,
                    "table3": r.table3, "table4": r.table4})
    return out


@pytest.mark.parametrize("question, expected", [
    ("2023年瓯海区政府办公室受理了多少件申请？", "51件"),
    ("瓯海区人民政府办公室2023年上年结转多少件", "9件"),
    ("瓯海区政府办公室2023年商业企业申请了几件", "5件"),
    ("瓯海区2023年本机关不掌握的有多少件", "10件"),
    ("瓯海区政府办公室2023年结转下年度的有几件", "7件"),
    ("瓯海区政府办公室2023年行政复议总计多少件", "10件"),
    ("瓯海区政府办公室2023年行政复议尚未审结几件", "5件"),
    ("瓯海区政府办公室2023年现行有效的行政规范性文件多少件", "148件"),
    ("平潭综合实验区2021年行政许可处理决定数量是多少", "2293件"),
    ("平潭综合实验区2021年未经复议直接起诉结果维持几件", "12件"),
    ("平潭综合实验区2021年不予公开一共多少件", "8件"),
    ("平潭综合实验区2021年法人或其他组织申请多少件", "6件"),
])
def test_single_figures_come_from_the_right_cell(reports, question, expected):
    result = answer_figure(question, reports)
    assert result is not None and expected in result.text


def test_a_trend_lists_every_year_of_the_agency(reports):
    result = answer_figure("平潭综合实验区2019年到2021年申请量的变化", reports)
    assert [y for y, _ in result.values] == [2019, 2020, 2021]
    assert "增加47件" in result.text and len(result.titles) == 3


def test_no_agency_named_uses_the_default_agency_then_every_agency(reports):
    own = answer_figure("2023年部分公开多少件？", reports, default_agency="瓯海区人民政府办公室")
    assert own.titles == ("瓯海区人民政府办公室2023年政府信息公开工作年度报告",)
    both = answer_figure("2023年部分公开多少件？", reports)
    assert len(both.titles) == 2 and "25件" in both.text


@pytest.mark.parametrize("question", [
    "补正告知要在几天内发出？", "第三十三条怎么规定的", "温州市鹿城区2023年申请多少件",
    "瓯海区政府办公室2019年新收多少件",  # no such report: no invented number
])
def test_no_figure_is_invented(reports, question):
    assert answer_figure(question, reports) is None


@pytest.mark.parametrize("question, expected", [
    ("2023年受理了多少件", True), ("近三年申请量变化", True), ("年报怎么写", False), ("补正期限多久", False),
])
def test_figure_question_detection(question, expected):
    assert is_figure_question(question) is expected
