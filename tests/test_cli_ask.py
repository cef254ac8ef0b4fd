"""`python -m rag ask` / `index` as the acceptance checks call them (../shared/CLI-CONTRACT.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def rag(args, kb, stdin=None, **env):
    environ = {**os.environ, "RAG_CORPUS_DIR": str(kb.settings.corpus_dir), "RAG_DATA_DIR": str(kb.settings.data_dir),
               "PYTHONIOENCODING": "utf-8", **env}
    return subprocess.run([sys.executable, "-m", "rag", *args], cwd=ROOT, env=environ, input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_ask_json_has_the_contract_keys(small_kb):
    out = rag(["ask", "补正告知要在几天内发出？", "--json"], small_kb)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert "7个工作日" in data["answer"]
    first = data["citations"][0]
    assert (first["doc"], first["article"]) == ("中华人民共和国政府信息公开条例", "第三十条")
    assert first["text"].startswith("政府信息公开申请内容不明确") and isinstance(first["score"], float)


def test_ask_jsonl_gives_one_line_per_input_line_in_order(small_kb, tmp_path):
    lines = [
        {"id": "q1", "question": "复议申请期限是多少天"},
        {"id": "q2", "question": ""},
        "this is not json",
        {"id": 7, "question": "2023年瓯海区政府办公室受理了多少件申请？"},
        {"id": "q5"},
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines),
                    encoding="utf-8")
    out = rag(["ask", "--jsonl", str(path)], small_kb)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2", "line3", 7, "q5"]
    assert "citations" in rows[0] and "error" in rows[1] and "error" in rows[2] and "error" in rows[4]
    assert "51" in rows[3]["answer"] and rows[3]["citations"][0]["article"] == ""
    assert out.returncode == 0  # bad lines are answered by their own error lines


@pytest.mark.parametrize("args, code, message", [
    (["ask", "   "], 2, "问题为空"),
    (["ask"], 2, "请提供问题"),
    (["ask", "\x01\x02\x03\x04\x05"], 2, "无法识别"),
    (["ask", "--jsonl", "/nonexistent/q.jsonl"], 2, "文件不存在"),
    (["ask", "--bogus"], 2, ""),
])
def test_bad_input_exits_2_with_a_message_and_no_traceback(small_kb, args, code, message):
    out = rag(args, small_kb)
    assert out.returncode == code
    assert message in out.stderr and "Traceback" not in out.stderr


def test_off_topic_question_says_no_basis(small_kb):
    out = rag(["ask", "今天天气怎么样", "--json"], small_kb)
    assert out.returncode == 0 and "知识库中没有找到依据" in json.loads(out.stdout)["answer"]


def test_index_twice_embeds_nothing_the_second_time(small_kb):
    out = rag(["index", "--quiet"], small_kb)
    assert out.returncode == 0, out.stderr
    assert "新向量化 0 条" in out.stdout


def test_ask_builds_a_missing_index_first(tmp_path, corpus_dir):
    from tests.conftest import copy_corpus

    corpus = copy_corpus(corpus_dir, tmp_path / "corpus", files=("laws/中华人民共和国政府信息公开条例_2019修订.md",))
    env = {**os.environ, "RAG_CORPUS_DIR": str(corpus), "RAG_DATA_DIR": str(tmp_path / "data"), "RAG_EMBEDDER": "none"}
    out = subprocess.run([sys.executable, "-m", "rag", "ask", "补正告知几天内发出", "--json"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "正在建立" in out.stderr and json.loads(out.stdout)["citations"][0]["article"] == "第三十条"
