"""The register as a spreadsheet: CSV (UTF-8 with BOM, which Excel opens) and .xlsx, both ways.

Internal to `rag.register.store`. One row per case, Chinese column headers a clerk reads; the
events travel as JSON in one column so that an export imports back to the same cases.
A hand-kept ledger (台账) can be imported too: rows without events but with 办理结果 and
办结日期 get their closing event. Text a spreadsheet would run as a formula (=, +, -, @) is
written with a leading apostrophe and read back without it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from rag.register import schema as s
from rag.register.casefile import CLOSING, Case, Event, check_event, closing_outcome
from rag.core.documents import decode_text
from rag.core.errors import BadInput
from rag.core.outcomes import APPLICANT_TYPES, outcome

# (header, Case attribute or computed key)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("编号", "id"), ("登记号", "ref"), ("机关", "agency"), ("收到日期", "received_date"), ("渠道", "channel"),
    ("申请人", "applicant_name"), ("申请人类型", "applicant_type"), ("身份证件号码", "applicant_id"),
    ("联系方式", "applicant_contact"), ("所需信息", "description"), ("状态", "status"), ("办理结果", "outcome"),
    ("办结日期", "closed_date"), ("答复期限", "due_date"), ("申请内容", "request_text"), ("解析字段", "fields"),
    ("事件", "events"),
)
_BY_HEADER = {h: k for h, k in COLUMNS} | {k: k for _, k in COLUMNS}
_FORMULA_START = ("=", "+", "-", "@")
_XLSX_CELL_LIMIT = 32767
SHEET = "案件"


def case_record(case: Case) -> dict[str, Any]:
    """One case as the flat record of the spreadsheet (headers → text)."""
    values = {
        "ref": case.ref, "fields": json.dumps(dict(case.fields), ensure_ascii=False),
        "events": json.dumps([e.to_json() for e in case.events], ensure_ascii=False),
    }
    out = {}
    for header, key in COLUMNS:
        value = values[key] if key in values else getattr(case, key)
        out[header] = value.isoformat() if isinstance(value, date) else ("" if value is None else value)
    return out


def write_csv(cases: Iterable[Case], path: Path) -> int:
    """Write the cases to `path` as CSV; return how many."""
    _check_suffix(path, ".csv")
    n = 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow([h for h, _ in COLUMNS])
            for case in cases:
                w.writerow([_guard(v) for v in case_record(case).values()])
                n += 1
    except OSError as exc:
        raise BadInput(f"无法写出文件 {path}：{exc.strerror or exc}") from exc
    return n


def read_csv(path: Path) -> list[dict[str, Any]]:
    """The records of a CSV (UTF-8 with or without BOM, or GBK as older Excel writes it)."""
    _check_suffix(path, ".csv")
    data = _read(path)
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        raise BadInput(f"CSV 文件不是 UTF-8 或 GBK 编码：{path}") from exc
    rows = list(csv.reader(io.StringIO(text)))
    return _records(rows, path)


def write_xlsx(cases: Iterable[Case], path: Path) -> int:
    """Write the cases to `path` as an .xlsx workbook (sheet 案件); return how many."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _check_suffix(path, ".xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([h for h, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    n = 0
    for case in cases:
        n += 1
        for col, value in enumerate(case_record(case).values(), 1):
            if isinstance(value, str) and len(value) > _XLSX_CELL_LIMIT:
                raise BadInput(f"案件 {case.ref} 的内容超过 Excel 单元格上限（{_XLSX_CELL_LIMIT} 字），请导出为 CSV")
            cell = ws.cell(row=n + 1, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the applicant wrote
    ws.freeze_panes = "A2"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(str(path))
    except OSError as exc:
        raise BadInput(f"无法写出文件 {path}：{exc.strerror or exc}") from exc
    return n


def read_xlsx(path: Path) -> list[dict[str, Any]]:
    """The records of the 案件 sheet (or the first sheet) of an .xlsx workbook."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_suffix(path, ".xlsx")
    _read(path)
    try:
        wb = load_workbook(str(path), read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, BadZipFile, InvalidFileException) as exc:
        raise BadInput(f"不是可读的 .xlsx 文件：{path}（{exc}）") from exc
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return _records(rows, path)


def import_row(rec: Mapping[str, Any], default_agency: str) -> tuple[dict[str, Any], list[dict[str, Any]], int | None]:
    """A spreadsheet record → (cases row, event rows, 登记号 number or None), every event checked."""
    received = _date(rec.get("received_date"), "收到日期", required=True)
    assert received is not None
    kind = str(rec.get("applicant_type") or "自然人").strip()
    if kind not in APPLICANT_TYPES:
        raise BadInput(f"申请人类型应为：{'、'.join(APPLICANT_TYPES)}，收到：{kind!r}")
    description = _text(rec.get("description"))
    raw_text = rec.get("request_text")
    text = str(raw_text) if isinstance(raw_text, str) and raw_text.strip() else description  # kept verbatim
    if not text:
        raise BadInput("申请内容和所需信息都为空")
    row = {
        "agency": _text(rec.get("agency")) or default_agency, "year": received.year, "request_text": text,
        "fields": _json(rec.get("fields"), {}, "解析字段"), "applicant_name": _text(rec.get("applicant_name")),
        "applicant_type": kind, "applicant_id": _text(rec.get("applicant_id")).upper(),
        "applicant_contact": _text(rec.get("applicant_contact")), "channel": _text(rec.get("channel")),
        "received_date": received, "description": description,
    }
    events: list[Event] = []
    rows: list[dict[str, Any]] = []
    raw = _json(rec.get("events"), [], "事件")
    if not isinstance(raw, list):
        raise BadInput("“事件”应为 JSON 列表")
    if not [e for e in raw if isinstance(e, Mapping) and e.get("kind") != s.RECEIVED]:
        raw = _closing_from_columns(rec)
    for n, e in enumerate(raw, 1):
        if not isinstance(e, Mapping) or "kind" not in e:
            raise BadInput(f"第{n}个事件应为含 kind、date 的对象")
        if e["kind"] == s.RECEIVED:  # kept as recorded (who registered it, when)
            rows.insert(0, {"kind": s.RECEIVED, "date": received, "detail": dict(e.get("detail") or {}),
                            "user": str(e.get("user") or "导入"), "at": _moment(e.get("at"))})
            continue
        day = _date(e.get("date"), f"第{n}个事件的日期", required=True)
        assert day is not None
        detail = dict(e.get("detail") or {})
        check_event(received, events, str(e["kind"]), day, detail)
        if e["kind"] in CLOSING:
            detail["outcome"] = closing_outcome(str(e["kind"]), detail)
        events.append(Event(-n, 0, str(e["kind"]), day, detail))
        rows.append({"kind": str(e["kind"]), "date": day, "detail": detail, "user": str(e.get("user") or "导入"),
                     "at": _moment(e.get("at"))})
    return row, rows, _seq(rec.get("ref"), received.year)


def _closing_from_columns(rec: Mapping[str, Any]) -> list[dict[str, Any]]:
    # A hand-kept ledger: the outcome and the closing date are columns, there are no events.
    given = _text(rec.get("outcome"))
    if not given:
        return []
    closed = _date(rec.get("closed_date"), "办结日期", required=True)
    key = outcome(given).key
    kind = next((k for k, fixed in CLOSING.items() if fixed == key and k != s.WITHDRAWN), s.REPLIED)
    if kind != s.REPLIED:  # 逾期不补正 / 逾期未缴费 need their notice first; the ledger does not have it
        raise BadInput(f"办理结果“{given}”须连同补正告知或缴费通知事件导入（“事件”列）")
    return [{"kind": kind, "date": closed.isoformat() if closed else "", "detail": {"outcome": key}}]


def _records(rows: list[list[Any]], path: Path) -> list[dict[str, Any]]:
    if not rows:
        raise BadInput(f"文件为空：{path}")
    header = [str(h or "").strip() for h in rows[0]]
    keys = [_BY_HEADER.get(h) for h in header]
    if "received_date" not in keys:
        raise BadInput(f"表头缺少“收到日期”列：{path}（表头应为：{'、'.join(h for h, _ in COLUMNS)}）")
    out = []
    for values in rows[1:]:
        if not any(v not in (None, "") for v in values):
            continue
        out.append({k: _unguard(v) for k, v in zip(keys, values) if k})
    return out


def _guard(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _unguard(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:2] in _FORMULA_START and value[1:2]:
        return value[1:]
    return value


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise BadInput(f"文件不存在：{path}")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"无法读取文件 {path}：{exc.strerror}") from exc


def _check_suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise BadInput(f"文件应以 {suffix} 结尾，收到：{path}")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any, what: str, *, required: bool = False) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        if required:
            raise BadInput(f"{what}为空")
        return None
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-")[:10])
    except ValueError as exc:
        raise BadInput(f"{what}应写作 YYYY-MM-DD，收到：{text!r}") from exc


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(_text(value)) if _text(value) else datetime.now().replace(microsecond=0)
    except ValueError as exc:
        raise BadInput(f"事件记录时间无法识别：{value!r}") from exc


def _json(value: Any, empty: Any, what: str) -> Any:
    text = _text(value)
    if not text:
        return empty
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"“{what}”列不是合法的 JSON：{exc.msg}") from exc


def _seq(ref: Any, year: int) -> int | None:
    text = _text(ref)
    head, _, tail = text.partition("-")
    if head.isdigit() and tail.isdigit() and int(head) == year and int(tail) > 0:
        return int(tail)
    return None
