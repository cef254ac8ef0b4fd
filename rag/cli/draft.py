"""`python -m rag draft --request FILE --outcome GROUP/ITEM|补正|<notice> [--agency NAME] [--json] [--docx OUT]`.

Reads the raw request, takes the applicant, received date, request description, missing items
and deadlines from intake and the deadline engine, and drafts the letter (../shared/CLI-CONTRACT.md).
Clerk facts the request cannot tell (文号 number, where published, …) come as `--fact KEY=VALUE`;
whatever is still unknown is a visible 【待填：…】 gap listed in `missing`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from rag.cli._io import emit, read_bytes
from rag.core.errors import BadInput, UnknownOutcome
from rag.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("draft", help="起草答复书或程序性告知书",
                       description="按办理结果起草政府信息公开申请答复书（或补正、延期、征求意见、收费告知、受理回执）。")
    p.add_argument("--request", required=True, metavar="FILE", help="申请书文件（.txt/.docx/.pdf/.eml，或 - 表示标准输入）")
    p.add_argument("--outcome", required=True, metavar="GROUP/ITEM",
                   help="办理结果，如 不予公开/属于四类过程性信息、予以公开/予以公开；或 补正、延期、征求第三方意见、"
                        "征求意见告知、收费、回执")
    p.add_argument("--agency", metavar="NAME", help="答复机关（机关概况名称或 .toml 路径；默认取配置 RAG_AGENCY）")
    p.add_argument("--json", action="store_true", help="输出 JSON：title、text、basis、missing 等")
    p.add_argument("--docx", metavar="OUT", help="同时写出公文格式的 .docx 文件")
    p.add_argument("--fact", action="append", default=[], metavar="KEY=VALUE",
                   help="经办人补充的事实，可多次使用，如 --fact process_kind=请示报告 --fact publish_place=区政府门户网站")
    p.add_argument("--number", default="", metavar="N", help="文号序号（或完整文号）")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="落款日期（默认今天）")
    p.add_argument("--received", metavar="YYYY-MM-DD", help="收到申请日期（默认按第三十一条由申请推算）")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from rag.letters.draft import resolve_kind, valid_kinds_help

    try:
        kind = resolve_kind(args.outcome)
    except UnknownOutcome as exc:
        print(exc.chinese(), file=sys.stderr)
        print(valid_kinds_help(), file=sys.stderr)
        return 2
    extra = _facts(args.fact)
    letter_date = _iso(args.date, "--date") if args.date else date.today()
    received_override = _iso(args.received, "--received") if args.received else None

    from rag.core.agency import load_agency
    from rag.core.deadlines import load_calendar
    from rag.intake.parse import parse_request, read_request_file
    from rag.letters.draft import draft_letter, request_facts

    text = read_request_file(read_bytes(args.request), "" if args.request == "-" else Path(args.request).name)
    request = parse_request(text, today=letter_date)
    agency = load_agency(args.agency or settings.agency, settings.corpus_dir)
    facts, found = request_facts(request, load_calendar(settings.corpus_dir), letter_date=letter_date,
                                 received=received_override, document_number=args.number, extra=extra)
    received, due = facts.received_date, facts.deadlines
    letter = draft_letter(kind, facts, agency, settings.prompts_dir)
    warnings = [*found, *letter.warnings]
    out = {**letter.to_json(), "warnings": warnings,
           "received_date": received.isoformat() if received else None,
           "deadlines": {k: v.isoformat() for k, v in due.items()}}
    if args.docx:
        from rag.letters.word import write_docx

        out["docx"] = str(write_docx(letter, Path(args.docx)))
    if args.json:
        emit(out)
    else:
        print(letter.text)
        for w in warnings:
            print(f"提示：{w}", file=sys.stderr)
        if letter.missing:
            print("待填：" + "；".join(letter.missing), file=sys.stderr)
        if args.docx:
            print(f"已写出：{out['docx']}", file=sys.stderr)
    return 0


def _facts(pairs: list[str]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadInput(f"--fact 应为 KEY=VALUE 形式，收到：{pair!r}")
        facts[key.strip()] = value.strip()
    return facts


def _iso(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise BadInput(f"{flag} 应为 YYYY-MM-DD 形式的日期，收到：{value!r}") from exc
