"""`python -m rag case …` and `python -m rag report generate`: a year of cases entered through
the command line gives a report whose tables add up and parse back; bad input exits 2 with a
Chinese message; `case due` exits 1 when something is overdue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import rag.cli
from rag.cli import main
from rag.core.outcomes import report_keys
from rag.reports import parse_report
from tests.test_annual import REVIEWS, TABLE4_2024, expected_table3, year_plan

AGENCY = "温州市瓯海区人民政府办公室"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _configured(tmp_path, monkeypatch):
    """A fresh data directory (so a fresh SQLite register) and the agency, as a deployment sets them."""
    if "case" not in rag.cli.VERBS:  # until the verb is listed in rag/cli/__init__.py
        monkeypatch.setattr(rag.cli, "VERBS", (*rag.cli.VERBS, "case"))
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RAG_AGENCY", AGENCY)
    monkeypatch.delenv("RAG_DATABASE_URL", raising=False)


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def request_file(tmp_path: Path, text: str, name: str = "申请.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SAMPLE = ("政府信息公开申请表\n申请人姓名：王小明\n身份证号码：330304199001011236\n联系电话：13800000000\n"
          "通讯地址：温州市瓯海区某某路1号\n所需政府信息的内容描述：瓯海区2023年城中村改造项目征收补偿方案\n获取方式：纸质 邮寄\n")


def test_year_entered_through_the_cli_gives_a_report_that_adds_up_and_parses_back(tmp_path, capsys):
    plan = year_plan(45)
    for n, p in enumerate(plan):
        path = request_file(tmp_path, p.text, f"req{n}.txt")
        code, out, err = cli(capsys, "case", "add", path, "--received", p.received.isoformat(),
                             "--type", p.applicant_type, "--json")
        assert code == 0, err
        case_id = json.loads(out)["id"]
        for kind, day, detail in p.steps:
            code, _, err = cli(capsys, "case", "event", case_id, kind, "--date", day.isoformat(),
                               "--detail", json.dumps(detail, ensure_ascii=False))
            assert code == 0, err
    for kind, filed, result, decided in REVIEWS:
        extra = ["--decided", decided] if decided else []
        assert cli(capsys, "case", "review", kind, filed, "--result", result, *extra)[0] == 0
    assert cli(capsys, "case", "figure", "2024", "规章", "本年制发件数", "2")[0] == 0
    md, docx = tmp_path / "out" / "2024.md", tmp_path / "out" / "2024.docx"
    code, out, err = cli(capsys, "report", "generate", "2024", "--json", "--md", md, "--docx", docx)
    assert code == 0, err
    data = json.loads(out)
    assert list(data["table3"]) == list(report_keys())
    assert data["table3"] == expected_table3(plan, 2024)
    assert data["table4"] == TABLE4_2024
    assert data["table2"] == {"规章": {"本年制发件数": 2}}
    assert data["checks"] and all(c["ok"] for c in data["checks"])
    assert {"agency", "year", "title", "format", "table3", "table4", "checks", "table2", "problems",
            "fees"} <= set(data)
    parsed = parse_report(md.read_text(encoding="utf-8"))
    assert (parsed.table3, parsed.table4) == (data["table3"], data["table4"])
    assert docx.stat().st_size > 10_000
    code, out, _ = cli(capsys, "report", "generate", "2024")
    assert code == 0 and "全部通过" in out and "表三" in out


def test_add_reports_the_deadline_and_a_repeat_of_an_answered_request(tmp_path, capsys):
    path = request_file(tmp_path, SAMPLE)
    code, out, _ = cli(capsys, "case", "add", path, "--received", "2024-09-27", "--json")
    first = json.loads(out)
    assert code == 0 and first["due_date"] == "2024-10-30" and first["applicant"]["name"] == "王小明"
    assert first["deadlines"]["correction_notice"] == "2024-10-12"
    assert cli(capsys, "case", "close", first["ref"], "予以公开", "--date", "2024-10-15")[0] == 0
    code, out, _ = cli(capsys, "case", "add", path, "--received", "2024-11-04")
    assert code == 0 and "可能重复申请" in out and first["ref"] in out


def test_show_list_and_due_tell_the_state_of_the_cases(tmp_path, capsys):
    path = request_file(tmp_path, SAMPLE)
    cli(capsys, "case", "add", path, "--received", "2024-09-02")
    cli(capsys, "case", "add", path, "--received", "2024-09-27")
    cli(capsys, "case", "event", "2024-0002", "征求第三方意见", "--date", "2024-10-08", "--party", "某公司")
    code, out, _ = cli(capsys, "case", "show", "2", "--json")
    shown = json.loads(out)
    assert code == 0 and [e["kind"] for e in shown["events"]] == ["收到", "征求第三方意见"]
    assert shown["request_text"] == SAMPLE
    code, out, _ = cli(capsys, "case", "due", "--today", "2024-10-24", "--json")
    due = json.loads(out)
    assert code == 1  # something is overdue
    assert [(i["ref"], i["remaining"]) for i in due["overdue"]] == [("2024-0001", -14)]
    code, out, _ = cli(capsys, "case", "list", "--status", "办理中")
    assert code == 0 and "共 2 件" in out
    cli(capsys, "case", "close", "1", "无法提供/本机关不掌握相关政府信息", "--date", "2024-09-20")
    assert cli(capsys, "case", "due", "--today", "2024-10-24")[0] == 0


def test_export_and_import_through_the_cli(tmp_path, capsys, monkeypatch):
    path = request_file(tmp_path, SAMPLE)
    cli(capsys, "case", "add", path, "--received", "2024-09-27")
    cli(capsys, "case", "event", "1", "延期", "--date", "2024-10-20", "--days", "10")
    for suffix in (".csv", ".xlsx"):
        out_file = tmp_path / f"cases{suffix}"
        assert cli(capsys, "case", "export", out_file)[0] == 0
        other = f"sqlite:///{tmp_path / f'other{suffix}.sqlite3'}"
        code, out, _ = cli(capsys, "case", "import", out_file, "--db", other, "--json")
        assert code == 0 and json.loads(out)["added"] == 1
        code, out, _ = cli(capsys, "case", "show", "1", "--db", other, "--json")
        assert json.loads(out)["due_date"] == "2024-11-13"


@pytest.mark.parametrize("argv, message", [
    (["case", "show", "99"], "没有案件"),
    (["case", "show", "第一件"], "编号"),
    (["case", "event", "1", "催办"], "未知的事件类型"),
    (["case", "event", "1", "补正收到"], "没有待补正"),
    (["case", "event", "1", "延期", "--detail", "{bad"], "JSON"),
    (["case", "close", "1", "同意公开"], "办理结果"),
    (["case", "close", "1", "予以公开", "--date", "下周"], "日期"),
    (["case", "add", "missing.txt"], "不存在"),
    (["case", "add", "{sample}", "--type", "个体户"], "申请人类型"),
    (["case", "list", "--status", "挂起"], "状态"),
    (["case", "export", "cases.pdf"], ".csv 或 .xlsx"),
    (["case", "review", "信访", "2024-05-01"], "复议诉讼类型"),
    (["case", "figure", "2024", "政府采购", "本年处理决定数量", "3"], "表二"),
    (["report", "generate", "24"], "四位数字年份"),
    (["report", "generate", "2024", "--agency", "没有的局"], "没有“没有的局”"),
    (["case", "list", "--db", "mysql+nosuchdriver://x/y"], "数据库驱动"),
    (["case", "export", "/proc/no-such-dir/cases.csv"], "无法写出"),
    (["report", "generate", "2024", "--docx", "/proc/no-such-dir/report.docx"], "无法写出"),
])
def test_bad_input_exits_2_with_a_chinese_message(tmp_path, capsys, argv, message):
    sample = request_file(tmp_path, SAMPLE)
    cli(capsys, "case", "add", sample, "--received", "2024-09-27")
    argv = [str(sample) if a == "{sample}" else a for a in argv]
    code, _, err = cli(capsys, *argv)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_generate_on_an_empty_register_exits_2_and_says_how_to_start(capsys):
    code, _, err = cli(capsys, "report", "generate", "2024")
    assert code == 2 and "登记簿为空" in err and "case add" in err
