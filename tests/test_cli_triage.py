"""`python -m rag triage` as ../shared/CLI-CONTRACT.md states it: keys and types of --json and --jsonl,
exit codes, bad inputs, file formats (GBK text, .docx, .pdf), --agency, a December 2026 request."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rag.cli import main
from rag.core.outcomes import APPLICANT_TYPES, GROUPS
from tests.files import image_only_pdf, pdf_with_text

ROOT = Path(__file__).resolve().parent.parent

LETTER = """温州市瓯海区人民政府办公室：
本人林晓，身份证330304199001011238，电话13857712345，地址温州市瓯海区娄桥街道1号。
申请公开《温州市瓯海区人民政府关于印发瓯海区农村宅基地管理实施办法的通知》（瓯政发〔2023〕12号）全文。
请邮寄纸质件。
申请人：林晓
2024年3月11日"""

SCHOOLS = """本人潘丽君，身份证330302198603152022，电话13758812345，住温州市鹿城区某小区。
孩子今年上小学，申请公开鹿城区2025年义务教育阶段公办小学招生入学实施方案和学区划分表。请邮寄。
2025年4月10日"""


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cli-triage-data")  # one model cache for every test here


@pytest.fixture(autouse=True)
def _env(monkeypatch, data_dir):
    monkeypatch.setenv("RAG_DATA_DIR", str(data_dir))
    monkeypatch.delenv("RAG_AGENCY", raising=False)


def _run(capsys, *args):
    code = main(["triage", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _is_iso(value):
    return isinstance(value, str) and date.fromisoformat(value).isoformat() == value


def _check_contract(obj):
    assert obj["action"] in ("答复", "补正")
    if obj["outcome"] is not None:
        assert set(obj["outcome"]) == {"group", "item"} and obj["outcome"]["group"] in GROUPS
        if obj["outcome"]["group"] in ("予以公开", "部分公开"):
            assert obj["outcome"]["item"] == obj["outcome"]["group"]
    for alt in obj["alternatives"]:
        assert {"group", "item", "p"} <= set(alt) and isinstance(alt["p"], float) and 0 <= alt["p"] <= 1
    assert isinstance(obj["confidence"], float) and 0 <= obj["confidence"] <= 1
    assert all(isinstance(b, str) and b.startswith("《中华人民共和国政府信息公开条例》") for b in obj["basis"])
    assert obj["applicant_type"] in APPLICANT_TYPES
    assert all(isinstance(obj["applicant"][k], str) for k in ("name", "id_number", "phone", "address"))
    assert _is_iso(obj["received_date"])
    assert all(_is_iso(obj["deadlines"][k]) for k in ("correction_notice", "reply", "reply_extended"))
    assert obj["checklist"] and all(isinstance(c, str) for c in obj["checklist"])
    assert all(isinstance(s, str) for s in obj["signals"])


def test_json_output_follows_the_contract(tmp_path, capsys):
    code, out, _ = _run(capsys, _write(tmp_path, "申请.txt", LETTER), "--json")
    obj = json.loads(out)
    assert code == 0
    _check_contract(obj)
    assert obj["outcome"] == {"group": "予以公开", "item": "予以公开"}
    assert obj["basis"] == ["《中华人民共和国政府信息公开条例》第三十六条第（一）项",
                            "《中华人民共和国政府信息公开条例》第三十六条第（二）项"]
    assert obj["applicant"]["name"] == "林晓" and obj["received_date"] == "2024-03-11"


def test_plain_output_is_a_readable_summary(tmp_path, capsys):
    code, out, _ = _run(capsys, _write(tmp_path, "申请.txt", LETTER))
    assert code == 0
    assert out.startswith("处理：答复 —— 予以公开/予以公开") and "答复期限：" in out


def test_jsonl_gives_one_line_per_input_line_in_order(tmp_path, capsys):
    lines = [json.dumps({"id": "t1", "text": LETTER, "agency": "瓯海区人民政府办公室"}, ensure_ascii=False),
             "{not json",
             json.dumps({"id": "t3", "agency": "瓯海区人民政府办公室"}),
             json.dumps({"id": "t4", "text": "啊啊啊啊啊啊啊啊啊啊"}, ensure_ascii=False),
             json.dumps({"id": "t5", "text": SCHOOLS, "agency": "温州市自然资源和规划局"}, ensure_ascii=False)]
    code, out, _ = _run(capsys, "--jsonl", _write(tmp_path, "batch.jsonl", "\n".join(lines)))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0  # bad lines are answered by their own error lines (rag/cli/_io.py)
    assert [r["id"] for r in rows] == ["t1", "line2", "t3", "t4", "t5"]
    assert [("error" in r) for r in rows] == [False, True, True, True, False]
    _check_contract(rows[0])
    _check_contract(rows[4])
    assert rows[4]["outcome"]["item"] == "本机关不掌握相关政府信息"


def test_agency_flag_changes_a_not_held_decision(tmp_path, capsys):
    path = _write(tmp_path, "schools.txt", SCHOOLS)
    _, land, _ = _run(capsys, path, "--json", "--agency", "温州市自然资源和规划局")
    _, school, _ = _run(capsys, path, "--json", "--agency", "温州市鹿城区教育局")
    assert json.loads(land)["outcome"]["item"] == "本机关不掌握相关政府信息"
    assert json.loads(land)["responsible_body"] == "教育行政部门"
    assert json.loads(school)["outcome"]["item"] != "本机关不掌握相关政府信息"


def test_a_december_2026_request_counts_into_2027_with_a_warning(tmp_path, capsys):
    text = LETTER.replace("2024年3月11日", "2026年12月21日")
    code, out, _ = _run(capsys, _write(tmp_path, "申请.txt", text), "--json")
    obj = json.loads(out)
    assert code == 0
    assert obj["received_date"] == "2026-12-21" and obj["deadlines"]["reply"] == "2027-01-18"
    assert any("2027年节假日安排未收录" in w for w in obj["warnings"])


def test_a_gbk_text_file_is_read(tmp_path, capsys):
    code, out, _ = _run(capsys, _write(tmp_path, "申请.txt", LETTER.encode("gbk")), "--json")
    assert code == 0 and json.loads(out)["applicant"]["name"] == "林晓"


def _docx(lines):
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=2, cols=4)
    for row, values in zip(table.rows, [["申请人姓名", "林晓", "证件号码", "330304199001011238"],
                                        ["联系电话", "13857712345", "通信地址", "温州市瓯海区娄桥街道1号"]]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name, content", [
    ("申请表.docx", _docx(["所需信息：瓯海区2024年民生实事项目计划（瓯政发〔2024〕3号）", "获取方式：邮寄", "日期：2024年5月6日"])),
    ("申请.pdf", pdf_with_text(["申请人：林晓 身份证号：330304199001011238 电话：13857712345",
                      "地址：温州市瓯海区娄桥街道1号", "申请公开瓯海区2024年民生实事项目计划（瓯政发〔2024〕3号）。请邮寄。",
                      "2024年5月6日"])),
])
def test_docx_and_pdf_request_files_are_triaged(name, content, tmp_path, capsys):
    code, out, _ = _run(capsys, _write(tmp_path, name, content), "--json")
    obj = json.loads(out)
    assert code == 0
    _check_contract(obj)
    assert obj["applicant"]["id_number"] == "330304199001011238" and obj["received_date"] == "2024-05-06"


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "为空"),
    ("big.txt", ("申请公开瓯海区文件。" * 120_000).encode("utf-8"), "过大"),
    ("blob.bin", bytes(range(256)) * 64, "二进制"),
    ("scan.pdf", image_only_pdf(), "没有文字层"),
    ("broken.docx", b"PK\x03\x04 this is not a real zip archive", "Word 文件已损坏"),
    ("noise.txt", "鑫龘靐齉爩麤 龘鱻驫羴猋 §§§ ###".encode("utf-8"), "不像政府信息公开申请"),
])
def test_bad_input_exits_2_with_a_chinese_message(name, content, message, tmp_path, capsys):
    code, out, err = _run(capsys, _write(tmp_path, name, content), "--json")
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("args", [[], ["nope.txt"], ["a.txt", "--jsonl", "b.jsonl"], ["-", "--today", "5.3"]])
def test_wrong_arguments_exit_2(args, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(LETTER, encoding="utf-8")
    code, _, err = _run(capsys, *args)
    assert code == 2 and err.strip()


def test_the_real_command_reads_stdin_and_prints_json(data_dir):
    env = {**os.environ, "RAG_DATA_DIR": str(data_dir)}
    env.pop("RAG_AGENCY", None)
    proc = subprocess.run([sys.executable, "-m", "rag", "triage", "-", "--json"], input=LETTER.encode("utf-8"),
                          capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    _check_contract(json.loads(proc.stdout))


def test_the_real_command_refuses_a_2mb_file_without_a_traceback(tmp_path, data_dir):
    path = _write(tmp_path, "big.txt", b"\xe7\x94\xb3" * (2 * 1024 * 1024 // 3 + 10))
    env = {**os.environ, "RAG_DATA_DIR": str(data_dir)}
    proc = subprocess.run([sys.executable, "-m", "rag", "triage", str(path)], capture_output=True, cwd=ROOT, env=env,
                          timeout=120)
    assert proc.returncode == 2
    assert "过大" in proc.stderr.decode() and "Traceback" not in proc.stderr.decode()
