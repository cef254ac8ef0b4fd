"""`python -m rag report parse FILE` and `python -m rag report check DIR` — published annual reports;
`python -m rag report generate YEAR` — this office's report of a year, from the case register.

Exit status: 0 every check passed, 1 some error-severity check failed, 2 the input is not a
readable report (raised as `ReportUnusable`/`BadInput`, translated in `rag.cli`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from rag.cli._io import emit, read_bytes
from rag.core.errors import BadInput, RagError, ReportUnusable
from rag.report_files import report_text
from rag.reports import FORMAT_UNKNOWN, Check, ParsedReport, check_report, parse_report
from rag.core.settings import Settings

_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".htm", ".html", ".docx", ".pdf"})
_T3_COLUMNS = "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计"
_T4_COLUMNS = "维持、纠正、其他、尚未审结、总计"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="政府信息公开工作年度报告：解析表格、核对勾稽关系")
    verbs = parser.add_subparsers(dest="report_verb", required=True, metavar="{parse,check,generate}")
    parse = verbs.add_parser("parse", help="解析一份已发布的年度报告并核对勾稽关系")
    parse.add_argument("file", metavar="FILE", help="报告文件：.md/.txt/.html（UTF-8 或 GBK）、.docx、.pdf；- 为标准输入")
    parse.add_argument("--json", action="store_true", help="输出 JSON")
    check = verbs.add_parser("check", help="核对目录中的全部年度报告，含同一机关相邻年度的衔接")
    check.add_argument("dir", metavar="DIR", help="存放年度报告文件的目录")
    check.add_argument("--json", action="store_true", help="输出 JSON")
    generate = verbs.add_parser("generate", help="由案件登记簿生成某年度的年度报告（表二、表三、表四及全文框架）并核对勾稽关系")
    generate.add_argument("year", metavar="YEAR", help="年度，如 2024")
    generate.add_argument("--agency", metavar="NAME", help="机关名称（默认取配置 RAG_AGENCY）")
    generate.add_argument("--db", metavar="URL", help="登记簿数据库（SQLAlchemy URL；默认取配置）")
    generate.add_argument("--json", action="store_true", help="输出 JSON（与 report parse --json 同构，另含 fees）")
    generate.add_argument("--md", metavar="OUT", help="写出 Markdown 全文")
    generate.add_argument("--docx", metavar="OUT", help="写出 .docx 全文（公文字体）")


def run(args: argparse.Namespace, settings: Settings) -> int:
    args.settings = settings  # `generate` opens the configured register
    return _VERBS[args.report_verb](args)


def _parse(args: argparse.Namespace) -> int:
    report = _read(args.file)
    checks = check_report(report)
    if args.json:
        emit(report.to_json())
    else:
        print(_summary(report, checks))
    return 1 if any(c.failed for c in checks) else 0


def _check(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if not folder.is_dir():
        raise BadInput(f"应为目录：{args.dir}")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    reports: list[tuple[Path, ParsedReport]] = []
    skipped: list[tuple[Path, str]] = []
    for path in files:
        try:
            reports.append((path, _read(str(path))))
        except RagError as exc:
            skipped.append((path, exc.chinese()))
    if not reports:
        raise ReportUnusable(f"目录中没有可解析的年度报告：{args.dir}（共 {len(files)} 个文件）")
    by_year = {(r.agency, r.year): r for _, r in reports}
    results = []
    for path, report in sorted(reports, key=lambda pr: (pr[1].agency, pr[1].year or 0, str(pr[0]))):
        previous = by_year.get((report.agency, report.year - 1)) if report.year else None
        results.append((path, report, previous, check_report(report, previous)))
    failed = any(c.failed for *_, checks in results for c in checks)
    if args.json:
        emit({"ok": not failed,
              "reports": [{"file": str(path), "agency": r.agency, "year": r.year, "title": r.title,
                           "format": r.format, "previous_year": prev.year if prev else None,
                           "checks": [c.to_json() for c in checks], "problems": list(r.problems)}
                          for path, r, prev, checks in results],
              "skipped": [{"file": str(p), "error": why} for p, why in skipped]})
    else:
        for path, report, previous, checks in results:
            print(_verdict(report, checks, previous, path))
        for path, why in skipped:
            print(f"跳过 {path}：{why}")
        print(f"共核对 {len(results)} 份报告：" + ("有未通过的勾稽关系" if failed else "全部通过"))
    return 1 if failed else 0


def _generate(args: argparse.Namespace) -> int:
    """Exit 0 all checks pass, 1 a check failed, 2 bad year or a register without this agency's records."""
    from rag.annual import build_annual_report, parse_year, to_markdown
    from rag.core.deadlines import load_calendar
    from rag.register.store import Register

    settings: Settings = args.settings
    year = parse_year(args.year)
    agency = args.agency or settings.agency
    target = args.db or settings
    with Register(target, calendar=load_calendar(settings.corpus_dir), agency=agency) as register:
        known = register.agencies()
        if agency not in known:
            where = f"（已有：{'、'.join(known[:10])}）" if known else "：登记簿为空，请先用 python -m rag case add 登记申请"
            raise BadInput(f"登记簿中没有“{agency}”的案件、复议诉讼或表二数字{where}")
        report = build_annual_report(register.annual_inputs(year, agency))
    if args.md:
        _write_text(Path(args.md), to_markdown(report))
    if args.docx:
        from rag.annual_docx import write_report_docx

        write_report_docx(report, Path(args.docx))
    if args.json:
        emit(report.to_json())
    else:
        parsed = report.as_parsed()
        lines = [report.title, f"表三 收到和处理政府信息公开申请（{_T3_COLUMNS}）"]
        lines += [f"  {key}：{' '.join(map(str, values))}" for key, values in report.table3.items()]
        lines.append(f"表四 行政复议、行政诉讼（{_T4_COLUMNS}）")
        lines += [f"  {key}：{' '.join(map(str, values))}" for key, values in report.table4.items()]
        lines.append(f"信息处理费：{report.fee_count}笔，共{report.to_json()['fees']['total']}元")
        lines.append(_verdict(parsed, list(report.checks)))
        lines += [f"  说明：{n}" for n in report.notes]
        lines += [f"  已写出：{out}" for out in (args.md, args.docx) if out]
        print("\n".join(lines))
    return 0 if report.ok else 1


def _write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"无法写出文件 {path}：{exc.strerror}") from exc


_VERBS: dict[str, Callable[[argparse.Namespace], int]] = {"parse": _parse, "check": _check, "generate": _generate}


def _read(file: str) -> ParsedReport:
    source = "" if file == "-" else file
    return parse_report(report_text(read_bytes(file), source), source_name=source)


def _summary(report: ParsedReport, checks: list[Check]) -> str:
    fmt = "未识别" if report.format == FORMAT_UNKNOWN else report.format
    lines = [report.title or "（无标题）",
             f"机关：{report.agency or '未识别'}　年度：{report.year or '未识别'}　格式：{fmt}",
             f"表三 收到和处理政府信息公开申请（{_T3_COLUMNS}）"]
    lines += [f"  {key}：{' '.join(map(str, values))}" for key, values in report.table3.items()]
    if report.table4:
        lines.append(f"表四 行政复议、行政诉讼（{_T4_COLUMNS}）")
        lines += [f"  {key}：{' '.join(map(str, values))}" for key, values in report.table4.items()]
    lines.append(_verdict(report, checks))
    return "\n".join(lines)


def _verdict(report: ParsedReport, checks: list[Check], previous: ParsedReport | None = None,
             path: Path | None = None) -> str:
    failed = [c for c in checks if c.failed]
    warned = [c for c in checks if not c.ok and c.severity == "warning"]
    head = f"{report.title}（{path}）" if path else "勾稽关系"
    against = f"，已与{previous.year}年报告衔接核对" if previous else ""
    lines = [f"{'✗' if failed else '✓'} {head}：核对{len(checks)}项{against}，"
             + (f"未通过{len(failed)}项" if failed else "全部通过") + (f"，提示{len(warned)}项" if warned else "")]
    lines += [f"  ✗ {c.rule}：{c.detail}" for c in failed]
    lines += [f"  ! {c.rule}（提示）：{c.detail}" for c in warned]
    if report.problems:
        lines.append("  未能读取或需说明的：")
        lines += [f"  - {p}" for p in report.problems]
    return "\n".join(lines)
