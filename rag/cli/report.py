"""`python -m rag report parse FILE` and `python -m rag report check DIR` — published annual reports.

Exit status: 0 every check passed, 1 some error-severity check failed, 2 the input is not a
readable report (raised as `ReportUnusable`/`BadInput`, translated in `rag.cli`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from rag.cli._io import emit, read_bytes
from rag.errors import BadInput, RagError, ReportUnusable
from rag.report_files import report_text
from rag.reports import FORMAT_UNKNOWN, Check, ParsedReport, check_report, parse_report
from rag.settings import Settings

_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".htm", ".html", ".docx", ".pdf"})
_T3_COLUMNS = "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计"
_T4_COLUMNS = "维持、纠正、其他、尚未审结、总计"


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="政府信息公开工作年度报告：解析表格、核对勾稽关系")
    verbs = parser.add_subparsers(dest="report_verb", required=True, metavar="{parse,check}")
    parse = verbs.add_parser("parse", help="解析一份已发布的年度报告并核对勾稽关系")
    parse.add_argument("file", metavar="FILE", help="报告文件：.md/.txt/.html（UTF-8 或 GBK）、.docx、.pdf；- 为标准输入")
    parse.add_argument("--json", action="store_true", help="输出 JSON")
    check = verbs.add_parser("check", help="核对目录中的全部年度报告，含同一机关相邻年度的衔接")
    check.add_argument("dir", metavar="DIR", help="存放年度报告文件的目录")
    check.add_argument("--json", action="store_true", help="输出 JSON")


def run(args: argparse.Namespace, settings: Settings) -> int:
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


_VERBS: dict[str, Callable[[argparse.Namespace], int]] = {"parse": _parse, "check": _check}


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
