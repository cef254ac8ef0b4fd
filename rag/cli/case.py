"""`python -m rag case …` — the case register from the command line.

  case add FILE|-            register a request (parsed by intake), show its deadline and any
                             重复申请 / 大量申请 candidates
  case show CASE             one case: events, deadlines, letters
  case event CASE KIND       record a step (补正告知, 补正收到, 延期, 征求第三方意见, 缴费, …)
  case close CASE OUTCOME    close with its table-三 outcome (答复, or 逾期不补正 / 逾期未缴费)
  case list                  filter by status, outcome, applicant type, year, text
  case due                   due soon and overdue (exit 1 when something is overdue)
  case export FILE / import FILE   .csv or .xlsx
  case review KIND DATE      a 行政复议 / 行政诉讼 for table 四; `case review-result ID RESULT`
  case figure YEAR ROW COLUMN VALUE   a figure of table 二

CASE is the number (12) or the 登记号 (2024-0012). The database is the configured register
(RAG_DATABASE_URL, default SQLite under the data directory) unless `--db URL` is given.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from rag.cli._io import emit, read_bytes
from rag.core.errors import BadInput
from rag.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="登记簿数据库（SQLAlchemy URL；默认取配置 RAG_DATABASE_URL 或数据目录下的 SQLite 文件）")
    common.add_argument("--agency", metavar="NAME", help="机关名称（默认取配置 RAG_AGENCY）")
    common.add_argument("--user", metavar="NAME", help="经办人（写入审计记录；默认为系统用户名）")
    common.add_argument("--json", action="store_true", help="输出 JSON")
    parser = sub.add_parser("case", help="案件登记簿：登记申请、记录办理事件、期限提醒、导入导出")
    verbs = parser.add_subparsers(dest="case_verb", required=True, metavar="{" + ",".join(_VERBS) + "}")

    p = verbs.add_parser("add", parents=[common], help="登记一件申请")
    p.add_argument("file", metavar="FILE", help="申请书文件（.txt/.docx/.pdf/.eml），- 为标准输入")
    p.add_argument("--received", metavar="DATE", help="收到申请日期（第三十一条；默认今天）")
    p.add_argument("--type", dest="applicant_type", metavar="TYPE", help="申请人类型（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他）")
    p.add_argument("--channel", metavar="CHANNEL", help="申请渠道（当面、邮寄、网络、传真、电子邮件…）")
    p.add_argument("--name", metavar="NAME", help="申请人姓名或名称（默认从申请书识别）")

    p = verbs.add_parser("show", parents=[common], help="查看一件案件")
    p.add_argument("case", metavar="CASE", help="案件编号或登记号")

    p = verbs.add_parser("event", parents=[common], help="记录办理事件")
    p.add_argument("case", metavar="CASE", help="案件编号或登记号")
    p.add_argument("kind", metavar="KIND", help="事件：补正告知、补正收到、延期、征求第三方意见、第三方回复、征求其他机关意见、"
                                                 "其他机关回复、缴费通知、缴费、答复、撤回、逾期不补正、逾期未缴费、行政复议、行政诉讼")
    p.add_argument("--date", metavar="DATE", help="事件日期（默认今天）")
    p.add_argument("--detail", metavar="JSON", help='其他内容，JSON 对象，如 {"party": "某公司"}')
    p.add_argument("--days", type=int, metavar="N", help="延期：延长的工作日数（不超过20，默认20）")
    p.add_argument("--party", metavar="NAME", help="征求意见：第三方或其他机关名称")
    p.add_argument("--amount", type=float, metavar="YUAN", help="缴费、缴费通知：金额（元）")
    p.add_argument("--deadline", metavar="DATE", help="补正告知、缴费通知：给申请人的期限")
    p.add_argument("--outcome", metavar="GROUP/ITEM", help="答复：办理结果")
    p.add_argument("--result", metavar="RESULT", help="行政复议、行政诉讼：维持、纠正、其他、尚未审结")
    p.add_argument("--after-reconsideration", action="store_true", help="行政诉讼：复议后起诉")

    p = verbs.add_parser("close", parents=[common], help="办结：记录答复及办理结果")
    p.add_argument("case", metavar="CASE", help="案件编号或登记号")
    p.add_argument("outcome", metavar="GROUP/ITEM", help="办理结果（年报表三行名），如 予以公开、不予公开/属于四类过程性信息")
    p.add_argument("--date", metavar="DATE", help="答复日期（默认今天）")
    p.add_argument("--amend", action="store_true", help="更正已办结案件的办理结果")

    p = verbs.add_parser("list", parents=[common], help="列出案件")
    p.add_argument("--status", help="办理中 或 已办结")
    p.add_argument("--outcome", help="办理结果或结果类别（如 不予公开）")
    p.add_argument("--type", dest="applicant_type", help="申请人类型")
    p.add_argument("--year", type=int, help="收到年度")
    p.add_argument("--text", help="在申请人、所需信息和申请内容中查找")
    p.add_argument("--limit", type=int, default=200, help="最多列出几件（默认200）")

    p = verbs.add_parser("due", parents=[common], help="即将到期和已超期的案件（有超期时退出码为1）")
    p.add_argument("--today", metavar="DATE", help="以哪天为今天（默认今天）")
    p.add_argument("--within", type=int, default=5, metavar="N", help="几个工作日内到期算即将到期（默认5）")

    p = verbs.add_parser("export", parents=[common], help="导出案件（.csv 或 .xlsx）")
    p.add_argument("file", metavar="FILE")
    p = verbs.add_parser("import", parents=[common], help="导入案件（.csv 或 .xlsx，表头同导出文件）")
    p.add_argument("file", metavar="FILE")

    p = verbs.add_parser("review", parents=[common], help="登记行政复议或行政诉讼（年报表四）")
    p.add_argument("kind", metavar="KIND", help="行政复议、未经复议直接起诉、复议后起诉")
    p.add_argument("filed", metavar="DATE", help="申请复议或起诉的日期")
    p.add_argument("--case", metavar="CASE", help="所涉案件（登记簿中有的）")
    p.add_argument("--result", default="尚未审结", help="维持、纠正、其他、尚未审结（默认）")
    p.add_argument("--decided", metavar="DATE", help="审结日期")
    p = verbs.add_parser("review-result", parents=[common], help="录入行政复议、行政诉讼的结果")
    p.add_argument("review_id", type=int, metavar="ID")
    p.add_argument("result", metavar="RESULT", help="维持、纠正、其他、尚未审结")
    p.add_argument("--date", metavar="DATE", help="审结日期（默认今天）")

    p = verbs.add_parser("figure", parents=[common], help="录入年报表二（主动公开）的数字")
    p.add_argument("year", type=int, metavar="YEAR")
    p.add_argument("row", metavar="ROW", help="规章、行政规范性文件、行政许可、行政处罚、行政强制、行政事业性收费")
    p.add_argument("column", metavar="COLUMN", help="本年制发件数、本年废止件数、现行有效件数、本年处理决定数量、本年收费金额（单位：万元）")
    p.add_argument("value", type=float, metavar="VALUE")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from rag.register.store import Register

    if args.db:
        from rag.core.deadlines import load_calendar

        register = Register(args.db, calendar=load_calendar(settings.corpus_dir),
                            agency=args.agency or settings.agency, user=args.user)
    else:
        register = Register(settings, agency=args.agency, user=args.user)
    with register:
        return _VERBS[args.case_verb](register, args)


def _add(reg: Any, args: argparse.Namespace) -> int:
    from rag.intake.parse import parse_request, read_request_file
    from rag.register.repeats import MASS_MONTHLY_THRESHOLD

    received = _day(args.received, "--received")
    text = read_request_file(read_bytes(args.file), "" if args.file == "-" else Path(args.file).name)
    request = parse_request(text, today=received)
    case = reg.add_case(text, received=received, request=request, applicant_type=args.applicant_type,
                        channel=args.channel, applicant_name=args.name)
    repeats = reg.repeat_candidates({"name": case.applicant_name, "id_number": case.applicant_id,
                                     "description": case.description}, exclude=case.id)
    month = reg.monthly_counts({"name": case.applicant_name, "id_number": case.applicant_id}, received)
    if args.json:
        emit({**case.to_json(), "deadlines": reg.summary(case.id).deadlines.to_json(),
              "repeat_candidates": [r.to_json() for r in repeats], "monthly": month.to_json()})
        return 0
    print(f"已登记 {case.ref}（编号 {case.id}）：{case.applicant_name or '申请人未识别'}（{case.applicant_type}），"
          f"收到 {case.received_date}，答复期限 {case.due_date}")
    for r in repeats:
        state = f"已于 {r.answer_date} 答复（{r.outcome}）" if r.answered else f"尚在办理（{r.outcome or '未办结'}）"
        print(f"  ! 可能重复申请：与 {r.ref} 相似度 {r.score:.2f}，{state}——第三十六条第（六）项，请核对是否同一信息")
    if month.mass_candidate:
        print(f"  ! 该申请人 {month.month} 已申请 {month.count} 件（超过 {MASS_MONTHLY_THRESHOLD} 件）：可能属于无正当理由大量反复申请，"
              f"第三十五条要求先要求其说明理由；按件计收下一件信息处理费 {month.next_fee.amount} 元")
    return 0


def _show(reg: Any, args: argparse.Namespace) -> int:
    case = reg.get_case(args.case)
    summary = reg.summary(case.id)
    letters = reg.letters(case.id)
    if args.json:
        emit({**case.to_json(with_text=True), "deadlines": summary.deadlines.to_json(),
              "letters": [{"kind": x.kind, "title": x.title, "number": x.number,
                           "created_at": x.created_at.isoformat()} for x in letters]})
        return 0
    print(f"{case.ref}（编号 {case.id}）{case.agency}")
    print(f"申请人：{case.applicant_name}（{case.applicant_type}）{case.applicant_id}　联系方式：{case.applicant_contact}")
    print(f"收到：{case.received_date}　渠道：{case.channel or '未注明'}　状态：{case.status}"
          + (f"（等待{case.waiting}）" if case.waiting else "") + (f"　结果：{case.outcome}" if case.outcome else ""))
    print(f"所需信息：{case.description}")
    d = summary.deadlines
    print(f"期限：补正告知 {d.correction_notice}　答复 {d.reply}　延期后 {d.reply_extended}　现行 {summary.due or '（暂停）'}")
    for w in summary.warnings:
        print(f"  ! {w}")
    for e in case.events:
        extra = "，".join(f"{k}={v}" for k, v in e.detail.items() if v not in ("", None))
        print(f"  {e.date} {e.kind}" + (f"（{extra}）" if extra else "") + f"　{e.user}")
    for x in letters:
        print(f"  文书：{x.title} {x.number}")
    return 0


def _event(reg: Any, args: argparse.Namespace) -> int:
    detail: dict[str, Any] = {}
    if args.detail:
        try:
            detail = json.loads(args.detail)
        except json.JSONDecodeError as exc:
            raise BadInput(f"--detail 不是合法的 JSON：{exc.msg}") from exc
        if not isinstance(detail, dict):
            raise BadInput("--detail 应为 JSON 对象")
    for key, value in (("days", args.days), ("party", args.party), ("amount", args.amount),
                       ("outcome", args.outcome), ("result", args.result)):
        if value is not None:
            detail[key] = value
    if args.deadline:
        detail["deadline"] = _day(args.deadline, "--deadline").isoformat()
    if args.after_reconsideration:
        detail["after_reconsideration"] = True
    case = reg.record_event(args.case, args.kind, _day(args.date, "--date"), detail)
    return _print_case(reg, case, args, f"已记录 {case.ref} {args.kind}")


def _close(reg: Any, args: argparse.Namespace) -> int:
    case = reg.close_case(args.case, args.outcome, _day(args.date, "--date"), amend=args.amend)
    return _print_case(reg, case, args, f"已办结 {case.ref}：{case.outcome}（{case.closed_date}）")


def _print_case(reg: Any, case: Any, args: argparse.Namespace, line: str) -> int:
    summary = reg.summary(case.id)
    if args.json:
        emit({**case.to_json(), "deadlines": summary.deadlines.to_json()})
        return 0
    print(line)
    if case.is_open:
        print(f"  状态：{case.status}" + (f"，等待{case.waiting}" if case.waiting else f"，答复期限 {summary.due}"))
    for w in summary.warnings:
        print(f"  ! {w}")
    return 0


def _list(reg: Any, args: argparse.Namespace) -> int:
    cases = reg.list_cases(status=args.status, outcome=args.outcome, applicant_type=args.applicant_type,
                           year=args.year, text=args.text, limit=args.limit)
    if args.json:
        emit({"cases": [c.to_json() for c in cases]})
        return 0
    for c in cases:
        state = c.outcome or (f"等待{c.waiting}" if c.waiting else f"期限 {c.due_date}")
        print("\t".join((c.ref, str(c.received_date), c.applicant_name, c.applicant_type, c.status, state,
                         c.description[:30])))
    print(f"共 {len(cases)} 件")
    return 0


def _due(reg: Any, args: argparse.Namespace) -> int:
    today = _day(args.today, "--today")
    soon, late = reg.due_soon(today, args.within), reg.overdue(today)
    if args.json:
        emit({"today": today.isoformat(), "within_workdays": args.within,
              "due_soon": [i.to_json() for i in soon], "overdue": [i.to_json() for i in late]})
    else:
        print(f"截至 {today}：{args.within}个工作日内到期 {len(soon)} 件，已超期 {len(late)} 件")
        for i in late:
            print(f"  ✗ {i.case.ref} {i.kind}期限 {i.due}（已超 {-i.remaining} 个工作日）{_who(i)}")
        for i in soon:
            print(f"  ! {i.case.ref} {i.kind}期限 {i.due}（剩 {i.remaining} 个工作日）{_who(i)}")
    return 1 if late else 0


def _who(item: Any) -> str:
    return f"{item.case.applicant_name}：{item.case.description[:30]}"


def _export(reg: Any, args: argparse.Namespace) -> int:
    path = Path(args.file)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise BadInput(f"导出文件应以 .csv 或 .xlsx 结尾，收到：{args.file}")
    n = reg.export_csv(path, reg.agency) if suffix == ".csv" else reg.export_xlsx(path, reg.agency)
    if args.json:
        emit({"file": str(path), "cases": n})
    else:
        print(f"已导出 {n} 件案件到 {path}")
    return 0


def _import(reg: Any, args: argparse.Namespace) -> int:
    path = Path(args.file)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise BadInput(f"导入文件应以 .csv 或 .xlsx 结尾，收到：{args.file}")
    result = reg.import_csv(path) if suffix == ".csv" else reg.import_xlsx(path)
    if args.json:
        emit(result)
    else:
        print(f"已导入 {result['added']} 件" + (f"；已存在而跳过 {len(result['skipped'])} 件：{'、'.join(result['skipped'][:10])}"
                                             if result["skipped"] else ""))
    return 0


def _review(reg: Any, args: argparse.Namespace) -> int:
    review = reg.add_review(args.kind, _day(args.filed, "DATE"), case=args.case, result=args.result,
                            decided=_day(args.decided, "--decided") if args.decided else None)
    return _print_review(review, args)


def _review_result(reg: Any, args: argparse.Namespace) -> int:
    return _print_review(reg.decide_review(args.review_id, args.result, _day(args.date, "--date")), args)


def _print_review(review: Any, args: argparse.Namespace) -> int:
    if args.json:
        emit(review.to_json())
    else:
        print(f"复议诉讼记录 {review.id}：{review.kind}，{review.filed_date}，{review.result}"
              + (f"（{review.decided_date}审结）" if review.decided_date else ""))
    return 0


def _figure(reg: Any, args: argparse.Namespace) -> int:
    reg.set_figure(args.year, args.row, args.column, int(args.value) if args.value.is_integer() else args.value)
    figures = reg.figures(args.year)
    if args.json:
        emit({"year": args.year, "table2": figures})
    else:
        print(f"已录入 {args.year} 年表二：{args.row} {args.column} = {args.value:g}")
    return 0


def _day(text: str | None, flag: str) -> date:
    from rag.intake.text import parse_date

    if not text:
        return date.today()
    day = parse_date(text.strip())
    if day is None:
        raise BadInput(f"{flag} 应为日期，如 2024-03-05，收到：{text!r}")
    return day


_VERBS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "add": _add, "show": _show, "event": _event, "close": _close, "list": _list, "due": _due,
    "export": _export, "import": _import, "review": _review, "review-result": _review_result, "figure": _figure,
}
