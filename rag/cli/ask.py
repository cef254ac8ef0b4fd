"""`python -m rag ask QUESTION [--json]` · `python -m rag ask --jsonl FILE`."""

from __future__ import annotations

import argparse
import sys

from rag.cli._io import emit, run_jsonl
from rag.core.errors import BadInput, BadQuestion
from rag.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="向知识库提问，回答附法规条文出处")
    p.add_argument("question", nargs="?", help="问题（中文）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--jsonl", metavar="FILE", help='批量：每行 {"id":…, "question":…}')


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.jsonl and args.question:
        raise BadInput("QUESTION 与 --jsonl 只能二选一")
    if not args.jsonl and args.question is None:
        raise BadQuestion("请提供问题，例如：python -m rag ask \"补正告知要在几天内发出？\"")
    if not args.jsonl and not args.question.strip():
        raise BadQuestion("问题为空，请输入要咨询的问题")
    from rag.answer import answer
    from rag.cli.index import progress_bar
    from rag.index import KnowledgeBase
    from rag.core.llm import chat_model

    kb = KnowledgeBase.open(settings)
    if not kb.is_built():
        print("知识库索引尚未建立，正在建立（首次约1–2分钟）……", file=sys.stderr)
        kb.build(progress_bar())
    kb.load()
    model = chat_model(settings)

    def handle(record: dict) -> dict:
        question = record.get("question")
        if not isinstance(question, str):
            raise BadQuestion("缺少 question 字段（应为字符串）")
        return answer(question, kb, chat_model=model, prompts_dir=settings.prompts_dir,
                      default_agency=settings.agency).to_json()

    if args.jsonl:
        return run_jsonl(args.jsonl, handle)
    result = answer(args.question, kb, chat_model=model, prompts_dir=settings.prompts_dir,
                    default_agency=settings.agency)
    if args.json:
        emit({"question": args.question, **result.to_json()})
    else:
        print(result.answer)
        if result.citations and result.found:
            print("\n出处：")
            for n, c in enumerate(result.citations, 1):
                print(f"  [{n}] 《{c.doc}》{c.article or c.path}（相关度 {c.score:.2f}）")
    for flag in result.flags:
        print(f"提示：{flag}", file=sys.stderr)
    return 0
