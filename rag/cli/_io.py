"""Shared plumbing of the verbs: reading inputs, JSON output, the JSONL loop."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rag.core.documents import decode_text
from rag.core.errors import BadInput, RagError

MAX_INPUT_BYTES = 20 * 1024 * 1024


def emit(obj: Any) -> None:
    """Print one JSON document (UTF-8, not ASCII-escaped)."""
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def read_bytes(path: str) -> bytes:
    """Read FILE or `-` (stdin) as bytes, with a clear message when it cannot be read."""
    if path == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    p = Path(path)
    if not p.exists():
        raise BadInput(f"文件不存在：{path}")
    if p.is_dir():
        raise BadInput(f"应为文件，收到的是目录：{path}")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise BadInput(f"无法读取文件 {path}：{exc.strerror}") from exc


def jsonl_records(path: str) -> Iterator[tuple[Any, dict | None, str]]:
    """Yield (id, record, error) for every non-blank line of a JSONL file; bad lines carry an error."""
    raw = read_bytes(path)
    try:
        text = decode_text(raw)
    except UnicodeDecodeError as exc:
        raise BadInput(f"JSONL 文件不是 UTF-8 或 GBK 文本：{path}") from exc
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():  # still one output line per input line
            yield f"line{n}", None, f"第{n}行为空"
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield f"line{n}", None, f"第{n}行不是合法的 JSON：{exc.msg}"
            continue
        if not isinstance(obj, dict):
            yield f"line{n}", None, f"第{n}行应为 JSON 对象"
            continue
        yield obj.get("id", f"line{n}"), obj, ""


def run_jsonl(path: str, handle: Callable[[dict], dict]) -> int:
    """Run `handle` on each record; exactly one output line per input line, in order.

    A bad line is answered by its own `{"id", "error"}` line, which is the batch doing its job:
    the exit status stays 0 (a bad FILE — missing, unreadable — is still exit 2, raised before).
    """
    for rid, record, error in jsonl_records(path):
        if record is not None:
            try:
                out = handle(record)
            except RagError as exc:
                error = exc.chinese()
            except Exception as exc:  # the batch edge: a bug on one line must not cost the others their answers
                error = f"内部错误（请报告）：{type(exc).__name__}: {exc}"
            else:
                emit({"id": rid, **out})
                continue
        emit({"id": rid, "error": error})
    return 0
