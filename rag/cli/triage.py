"""`python -m rag triage FILE|- [--agency NAME] [--json]` · `python -m rag triage --jsonl FILE`.

Reads a request (.txt/.docx/.pdf/.eml, UTF-8 or GBK, or stdin), triages it for the receiving
agency and prints the contract's object (../shared/CLI-CONTRACT.md) or a readable summary.
The receiving agency: the JSONL line's `agency`, else `--agency`, else the configured RAG_AGENCY;
when RAG_AGENCY was left at its shipped default and the request is addressed to another agency,
the addressee is taken (with a warning) — a clerk of that agency is the one triaging it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

from rag.cli._io import emit, read_bytes, run_jsonl
from rag.core.errors import BadInput, BadRequestText
from rag.core.settings import Settings

if TYPE_CHECKING:  # heavy modules load inside `run`, so `--help` stays instant
    from rag.core.agency import AgencyProfile
    from rag.core.deadlines import Calendar
    from rag.triage.decide import History, TriageKit


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("triage", help="分析申请：补正与否、办理结果、法律依据、期限",
                       description="分析一份政府信息公开申请：申请人及类型、是否需要补正、最可能的办理结果及依据、"
                                   "需核实的事实和各项期限。")
    p.add_argument("file", nargs="?", metavar="FILE", help="申请书文件（.txt/.docx/.pdf/.eml），- 表示标准输入")
    p.add_argument("--jsonl", metavar="FILE", help="批量：每行一个 {\"id\", \"text\", \"agency\"}，每行输出一个结果")
    p.add_argument("--agency", metavar="NAME", help="收到申请的机关（机关概况名称或 .toml 路径；默认取配置 RAG_AGENCY）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="以该日期为今天（申请无日期时的收到日期）")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if bool(args.file) == bool(args.jsonl):
        raise BadInput("请给出一个申请书文件（或 - 表示标准输入），或用 --jsonl FILE 批量处理")
    today = _iso(args.today) if args.today else date.today()

    from rag.core.deadlines import load_calendar
    from rag.triage.decide import load_triage

    if args.file and args.file != "-" and not Path(args.file).exists():
        raise BadInput(f"文件不存在：{args.file}")
    kit = load_triage(settings.corpus_dir, settings.data_dir)
    calendar = load_calendar(settings.corpus_dir)
    agencies = _Agencies(settings)
    register = _register(settings, calendar)
    try:
        return _run(args, settings, kit, calendar, agencies, register, today)
    finally:
        if register is not None:
            register.close()


def _run(args: argparse.Namespace, settings: Settings, kit: TriageKit, calendar: Calendar, agencies: _Agencies,
         register: History | None, today: date) -> int:
    from rag.intake.parse import parse_request, read_request_file
    from rag.triage.decide import triage

    def one(text: str, agency_name: str | None) -> dict:
        explicit = agency_name or args.agency  # a JSONL line's own agency is more specific than the flag
        warnings: list[str] = []
        if explicit:
            profile = agencies.get(explicit)
        else:
            profile, warning = agencies.for_request(parse_request(text, today=today).agency if text.strip() else "")
            warnings.extend([warning] if warning else [])
        result = triage(text, kit, profile, calendar, today=today, history=register).to_json()
        result["warnings"] = [*warnings, *result["warnings"]]
        return result

    if args.jsonl:
        def handle(record: dict) -> dict:
            text = record.get("text")
            if not isinstance(text, str):
                raise BadRequestText("缺少 text 字段（申请书全文）")
            agency = record.get("agency")
            return one(text, str(agency) if agency else None)

        return run_jsonl(args.jsonl, handle)

    name = "" if args.file == "-" else Path(args.file).name
    text = read_request_file(read_bytes(args.file), name)
    out = one(text, None)
    if args.json:
        emit(out)
    else:
        _print_summary(out)
    return 0


def _register(settings: Settings, calendar: Calendar):  # type: ignore[no-untyped-def]  # -> Register | None
    """The case register, when one exists: it reveals repeats and a month's volume (第三十六条第（六）项,
    第三十五条). Triage never creates a register: no database file, no history."""
    if not settings.database_url and not (settings.data_dir / "register.sqlite3").is_file():
        return None
    from rag.register.store import Register

    return Register(settings, calendar=calendar)


class _Agencies:
    """Agency profiles loaded once per name."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._cache: dict[str, AgencyProfile] = {}

    def get(self, name: str) -> AgencyProfile:
        from rag.core.agency import load_agency

        if name not in self._cache:
            self._cache[name] = load_agency(name, self._settings.corpus_dir)
        return self._cache[name]

    def for_request(self, addressee: str) -> tuple[AgencyProfile, str]:
        """The configured agency, or the request's addressee when the configuration is the shipped default."""
        configured = self.get(self._settings.agency)
        if "agency" in self._settings.model_fields_set or not addressee or _same(addressee, configured.names()):
            return configured, ""
        return self.get(addressee), (f"未指定收到申请的机关（--agency），按申请书抬头“{addressee}”判断职责；"
                                     f"如实际由{configured.short_name or configured.name}办理，请用 --agency 指定")


def _same(addressee: str, names: tuple[str, ...]) -> bool:
    return any(addressee == n or addressee.endswith(n) or n.endswith(addressee) for n in names if n)


def _print_summary(out: dict) -> None:
    o = out["outcome"]
    label = f"{o['group']}/{o['item']}" if o else "（无）"
    if out["action"] == "补正":
        print(f"处理：补正（补正事项：{'、'.join(out['correction_items']) or '—'}）；暂判办理结果：{label}")
    else:
        print(f"处理：答复 —— {label}（置信度 {out['confidence']:.2f}）")
    if out["basis"]:
        print("依据：" + "；".join(out["basis"]))
    for alt in out["alternatives"]:
        print(f"  其他可能：{alt['group']}/{alt['item']}（{alt['p']:.2f}）")
    a = out["applicant"]
    print(f"申请人：{a['name'] or '（未写明）'}（{out['applicant_type']}）{a['id_number']} {a['phone']} {a['address']}".rstrip())
    d = out["deadlines"]
    print(f"收到日期：{out['received_date']}；补正告知期限：{d['correction_notice']}；答复期限：{d['reply']}；"
          f"延长后：{d['reply_extended']}")
    if out["responsible_body"]:
        print(f"负责机关：{out['responsible_body']}")
    print("依据信号：")
    for s in out["signals"]:
        print(f"  · {s}")
    print("需核实：")
    for c in out["checklist"]:
        print(f"  □ {c}")
    for w in out["warnings"]:
        print(f"提示：{w}", file=sys.stderr)


def _iso(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise BadInput(f"--today 应为 YYYY-MM-DD 形式的日期，收到：{value!r}") from exc
