"""The command line: one module per verb, each with `add_parser(subparsers)` and `run(args, settings)`.

Verb modules import heavy things (chromadb, models) inside `run`, so `--help` stays instant.
Errors are translated here, once: `RagError` → its Chinese message on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from rag.core.errors import RagError

VERBS = ("index", "ask", "triage", "draft", "report", "case")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the settings once, run the verb; return the exit status."""
    # A hub name must never be fetched at run time: fail fast instead of retrying for 70 s.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = argparse.ArgumentParser(prog="python -m rag", description="公开助手：政府信息公开申请办理助手")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="{" + ",".join(VERBS) + "}")
    modules = {}
    for verb in VERBS:
        modules[verb] = importlib.import_module(f"rag.cli.{verb}")
        modules[verb].add_parser(sub)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors are bad input (2), --help is success (0)
        return int(exc.code or 0)
    from rag.core.settings import Settings

    try:
        settings = Settings()
        return modules[args.verb].run(args, settings)
    except RagError as exc:
        print(exc.chinese(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the outermost edge: a bug must still reach the user as a message
        print(f"内部错误（请报告）：{type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("RAG_DEBUG"):
            raise
        return 3
