"""`python -m rag draft` as the acceptance checks call it: exit codes, --json keys, --docx."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

REQUEST = """政府信息公开申请表
申请人姓名：李四
证件类型：居民身份证
证件号码：330304199001011238
联系电话：13812345678
通信地址：浙江省温州市瓯海区娄桥街道古岸头村3组15号
所需信息的内容描述：瓯海区人民政府办公室关于娄桥街道旧村改造项目向区政府的请示，以及区政府常务会议对该项目的讨论记录。
获取信息的方式：电子邮件 lisi@example.com
申请方式：当面提交
申请日期：2024年3月5日
"""

INCOMPLETE = """我想知道区里旧村改造的那个文件。
张先生 2024年3月5日
"""


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "rag", "draft", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture()
def request_file(tmp_path) -> Path:
    path = tmp_path / "申请.txt"
    path.write_text(REQUEST, encoding="utf-8")
    return path


def test_draft_prints_the_letter_and_exits_0(request_file):
    r = _run("--request", str(request_file), "--outcome", "不予公开/属于四类过程性信息", "--date", "2024-03-20",
             "--fact", "process_kind=请示报告")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("政府信息公开申请答复书\n瓯政办公开〔2024〕")
    assert "李四：" in r.stdout and "本机关于2024年3月5日收到您提出的政府信息公开申请" in r.stdout
    assert "第十六条第二款" in r.stdout and "应当先自收到本答复之日起60日内" in r.stdout
    assert "330304199001011238" not in r.stdout
    assert "待填" in r.stderr


def test_draft_json_has_the_contract_keys(request_file):
    r = _run("--request", str(request_file), "--outcome", "予以公开/予以公开", "--json", "--date", "2024-03-20")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"title", "text", "basis", "missing"} <= set(out)
    assert out["title"] == "政府信息公开申请答复书"
    assert out["basis"][0] == "《中华人民共和国政府信息公开条例》第三十六条第（二）项"
    assert "文号序号" in out["missing"] and all(f"【待填：{m}】" in out["text"] for m in out["missing"])
    assert out["received_date"] == "2024-03-05" and out["deadlines"]["reply"] == "2024-04-02"


def test_correction_notice_lists_what_intake_found_missing(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(INCOMPLETE, encoding="utf-8")
    r = _run("--request", str(path), "--outcome", "补正", "--json", "--date", "2024-03-08")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["title"] == "政府信息公开申请补正告知书" and out["kind"] == "correction"
    assert "请提供申请人身份证明" in out["text"] and "视为放弃申请" in out["text"]
    assert out["basis"] == ["《中华人民共和国政府信息公开条例》第二十九条", "《中华人民共和国政府信息公开条例》第三十条"]


def test_docx_option_writes_the_file(request_file, tmp_path):
    out = tmp_path / "out" / "答复.docx"
    r = _run("--request", str(request_file), "--outcome", "无法提供/本机关不掌握相关政府信息", "--docx", str(out), "--json")
    assert r.returncode == 0, r.stderr
    assert out.is_file() and out.read_bytes()[:2] == b"PK"
    assert json.loads(r.stdout)["docx"] == str(out)


@pytest.mark.parametrize(("args", "message"), [
    (["--outcome", "不予公开/不存在的项"], "可用的办理结果"),
    (["--outcome", "批准"], "可用的办理结果"),
    (["--outcome", "补正", "--fact", "no-equals-sign"], "KEY=VALUE"),
    (["--outcome", "补正", "--date", "3月20日"], "YYYY-MM-DD"),
])
def test_bad_arguments_exit_2_with_a_message(request_file, args, message):
    r = _run("--request", str(request_file), *args)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\x03" * 100, b"   \n\n  "])
def test_a_request_the_intake_rejects_exits_2(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    r = _run("--request", str(path), "--outcome", "予以公开/予以公开")
    assert r.returncode == 2 and r.stderr.strip() and "Traceback" not in r.stderr


def test_a_missing_request_file_exits_2(tmp_path):
    r = _run("--request", str(tmp_path / "nope.txt"), "--outcome", "补正")
    assert r.returncode == 2 and "文件不存在" in r.stderr


def test_an_unknown_agency_gets_a_derived_reconsideration_body(request_file):
    r = _run("--request", str(request_file), "--outcome", "不予公开/属于三类内部事务信息", "--agency", "温州市瓯海区教育局",
             "--json")
    out = json.loads(r.stdout)
    assert r.returncode == 0 and "向温州市瓯海区人民政府申请行政复议" in out["text"]
    assert out["text"].splitlines()[1] == "【待填：文号】"
