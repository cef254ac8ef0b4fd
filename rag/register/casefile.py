"""One case file as plain data: the case, its events, and what the events say (pure).

A case's status, outcome, closing date and reply deadline are never typed in: they are
derived from its events by `summarize`, each time an event is recorded. The register stores
the result only as a cache for listing and sorting. `check_event` says whether an event may
follow the ones already recorded, in the order the 条例 prescribes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rag.register import schema as s
from rag.core.deadlines import EXTENSION_DAYS, REPLY_DAYS, Calendar, Deadlines, add_workdays, deadlines
from rag.core.errors import BadInput
from rag.core.outcomes import outcome

# Events that end the handling of a request, and the outcome each implies (None: in the detail).
CLOSING: dict[str, str | None] = {
    s.REPLIED: None,
    s.WITHDRAWN: "其他处理/其他",  # withdrawals are counted under 其他 (DOMAIN.md, table 三)
    s.NO_CORRECTION: outcome("no_correction").key,  # 第三十条: treated as abandoned
    s.FEE_UNPAID: outcome("fee_unpaid").key,  # 第四十二条 + 处理费办法
}
# After the reply only the remedies can follow (第五十一条).
AFTER_CLOSING = frozenset({s.RECONSIDERATION, s.LITIGATION})
_PAIRS = {s.THIRD_PARTY_ANSWERED: s.THIRD_PARTY_ASKED, s.AGENCY_ANSWERED: s.AGENCY_ASKED}
# The fee rules' full text is not in corpus/: the time between notice and payment is left out of
# the reply period, as local 答复规范 do, and the clerk is told to check it.
FEE_PAUSE_NOTE = "缴费通知至缴费之间的时间未计入答复期限（依《政府信息公开信息处理费管理办法》，全文未收录，请核对）"


@dataclass(frozen=True)
class Event:
    """One recorded step of a case."""

    id: int
    case_id: int
    kind: str  # one of rag.register.schema.EVENT_KINDS
    date: date
    detail: Mapping[str, Any] = field(default_factory=dict)
    user: str = ""
    at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "date": self.date.isoformat(), "detail": dict(self.detail),
                "user": self.user, "at": self.at.isoformat(timespec="seconds") if self.at else None}


@dataclass(frozen=True)
class Summary:
    """What the events of a case say: status, outcome, and the deadlines in force."""

    status: str  # 办理中 | 已办结
    outcome: str | None  # Outcome.key once closed
    closed_date: date | None
    waiting: str  # "" | 补正 | 缴费: the reply clock is stopped, waiting for the applicant
    waiting_until: date | None  # the period the notice gave the applicant, when recorded
    due: date | None  # the reply date in force; None while waiting
    deadlines: Deadlines
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    """One registered request with its parsed fields and (from `Register.get_case`) its events."""

    id: int
    agency: str
    year: int
    seq: int
    request_text: str
    fields: Mapping[str, Any]
    applicant_name: str
    applicant_type: str
    applicant_id: str
    applicant_contact: str
    channel: str
    received_date: date
    description: str
    status: str
    waiting: str
    outcome: str | None
    closed_date: date | None
    due_date: date | None
    created_at: datetime
    updated_at: datetime
    events: tuple[Event, ...] = ()

    @property
    def ref(self) -> str:
        """The 登记号: year of receipt and number within the year, e.g. "2024-0012"."""
        return f"{self.year}-{self.seq:04d}"

    @property
    def is_open(self) -> bool:
        return self.status == s.STATUS_OPEN

    def to_json(self, *, with_text: bool = False) -> dict[str, Any]:
        out = {
            "id": self.id, "ref": self.ref, "agency": self.agency, "year": self.year,
            "received_date": self.received_date.isoformat(), "channel": self.channel,
            "applicant": {"name": self.applicant_name, "type": self.applicant_type,
                          "id_number": self.applicant_id, "contact": self.applicant_contact},
            "description": self.description, "status": self.status, "waiting": self.waiting,
            "outcome": self.outcome, "closed_date": _iso(self.closed_date), "due_date": _iso(self.due_date),
            "events": [e.to_json() for e in self.events],
        }
        if with_text:
            out["request_text"] = self.request_text
            out["fields"] = dict(self.fields)
        return out


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def ordered(events: Sequence[Event]) -> list[Event]:
    """Events in the order they happened (date, then the order they were recorded)."""
    return sorted(events, key=lambda e: (e.date, e.id))


def closing_outcome(kind: str, detail: Mapping[str, Any]) -> str:
    """The outcome key a closing event records (its detail's `outcome` for 答复)."""
    fixed = CLOSING[kind]
    if fixed is not None:
        return fixed
    given = detail.get("outcome")
    if not isinstance(given, str) or not given.strip():
        raise BadInput("“答复”事件须写明办理结果（年报表三行名，如 予以公开 或 不予公开/属于四类过程性信息）")
    return outcome(given).key


def summarize(received: date, events: Sequence[Event], calendar: Calendar) -> Summary:
    """Status, outcome and deadlines from the events (the last closing event decides the outcome)."""
    status, result, closed = s.STATUS_OPEN, None, None
    corrected: date | None = None
    correction_open: Event | None = None
    fee_open: Event | None = None
    fee_spans: list[tuple[date, date]] = []
    asked: dict[str, list[Event]] = {s.THIRD_PARTY_ASKED: [], s.AGENCY_ASKED: []}
    consultations: list[tuple[date, date | None]] = []
    extension = 0
    warnings: list[str] = []
    for e in ordered(events):
        if e.kind == s.CORRECTION_SENT:
            correction_open = e
        elif e.kind == s.CORRECTION_RECEIVED:
            corrected, correction_open = e.date, None
        elif e.kind in asked:
            asked[e.kind].append(e)
        elif e.kind in _PAIRS:
            opened = _match(asked[_PAIRS[e.kind]], e)
            if opened is not None:
                consultations.append((opened.date, e.date))
        elif e.kind == s.FEE_NOTICE:
            fee_open = e
        elif e.kind == s.FEE_PAID and fee_open is not None:
            fee_spans.append((fee_open.date, e.date))
            fee_open = None
        elif e.kind == s.EXTENSION:
            extension += int(e.detail.get("days", EXTENSION_DAYS))
        if e.kind in CLOSING:
            status, result, closed = s.STATUS_CLOSED, closing_outcome(e.kind, e.detail), e.date
    consultations += [(e.date, None) for pending in asked.values() for e in pending]
    base = deadlines(received, calendar, corrected=corrected, extended=extension > 0, paused=consultations)
    spans = list(base.paused) + fee_spans
    reply = add_workdays(base.reply_start, REPLY_DAYS, calendar, skip=spans)
    extended = add_workdays(base.reply_start, REPLY_DAYS + (extension or EXTENSION_DAYS), calendar, skip=spans)
    if fee_spans or fee_open is not None:
        warnings.append(FEE_PAUSE_NOTE)
    notice = next((e for e in ordered(events) if e.kind == s.CORRECTION_SENT), None)
    if notice is not None and notice.date > base.correction_notice:
        warnings.append(f"补正告知日期 {notice.date} 晚于收到申请后7个工作日（{base.correction_notice}）（第三十条）")
    ext_notice = next((e for e in ordered(events) if e.kind == s.EXTENSION), None)
    if ext_notice is not None and ext_notice.date > reply:
        warnings.append(f"延期告知日期 {ext_notice.date} 晚于原答复期限 {reply}：延期应在答复期限内告知申请人（第三十三条第二款）")
    dl = dataclasses.replace(base, reply=reply, reply_extended=extended,
                             warnings=tuple(dict.fromkeys(base.warnings + tuple(warnings))))
    waiting, until = "", None
    if correction_open is not None:
        waiting, until = "补正", _date(correction_open.detail.get("deadline"))
    elif fee_open is not None:
        waiting, until = "缴费", _date(fee_open.detail.get("deadline"))
    # While the applicant owes a 补正 or a fee the reply period does not run: no due date. A case
    # closed that way (逾期不补正, 逾期未缴费) keeps none either; any other closed case keeps the
    # date that was in force when it was answered (for the overdue statistics).
    due = None if waiting else dl.due
    if status == s.STATUS_CLOSED:
        waiting, until = "", None
    return Summary(status, result, closed, waiting, until, due, dl, dl.warnings)


def _match(pending: list[Event], answer: Event) -> Event | None:
    # The answer of a named party closes that party's consultation; otherwise the oldest one.
    party = answer.detail.get("party")
    for i, e in enumerate(pending):
        if party and e.detail.get("party") == party:
            return pending.pop(i)
    return pending.pop(0) if pending else None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def check_event(received: date, events: Sequence[Event], kind: str, day: date,
                detail: Mapping[str, Any]) -> None:
    """Raise BadInput unless `kind` on `day` may follow `events` (the 条例's order of steps)."""
    if kind not in s.EVENT_KINDS:
        raise BadInput(f"未知的事件类型：{kind!r}（应为：{'、'.join(s.EVENT_KINDS[1:])}）")
    if kind == s.RECEIVED:
        raise BadInput("“收到”事件在登记案件时自动记录，不能另行添加")
    if day < received:
        raise BadInput(f"事件日期 {day} 早于收到申请日期 {received}")
    history = ordered(events)
    kinds = [e.kind for e in history]
    closed = any(k in CLOSING for k in kinds)
    if closed and kind not in AFTER_CLOSING and not (kind in CLOSING and detail.get("amend")):
        raise BadInput(f"案件已办结，不能再记录“{kind}”（更正办理结果请使用更正）")
    if kind in AFTER_CLOSING and not closed:
        raise BadInput(f"案件尚未答复，不能记录“{kind}”（第五十一条：对答复不服的才能申请复议或起诉）")
    open_correction = _last_index(kinds, s.CORRECTION_SENT) > _last_index(kinds, s.CORRECTION_RECEIVED)
    open_fee = _last_index(kinds, s.FEE_NOTICE) > _last_index(kinds, s.FEE_PAID)
    if kind == s.CORRECTION_SENT and s.CORRECTION_SENT in kinds:
        raise BadInput("补正告知只能一次性发出（第三十条：一次性告知申请人作出补正）")
    if kind in (s.CORRECTION_RECEIVED, s.NO_CORRECTION) and not open_correction:
        raise BadInput(f"没有待补正的补正告知，不能记录“{kind}”")
    if kind in (s.FEE_PAID, s.FEE_UNPAID) and not open_fee:
        raise BadInput(f"没有未缴费的缴费通知，不能记录“{kind}”")
    if kind == s.FEE_PAID:
        amount = detail.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
            raise BadInput(f"“缴费”事件须写明金额 amount（元，非负数），收到：{amount!r}")
    if "deadline" in detail and (_date(detail["deadline"]) is None or _date(detail["deadline"]) < day):
        raise BadInput(f"给申请人的期限 deadline 应为不早于事件日期的 YYYY-MM-DD，收到：{detail['deadline']!r}")
    if kind in _PAIRS and kinds.count(_PAIRS[kind]) <= kinds.count(kind):
        raise BadInput(f"没有未回复的“{_PAIRS[kind]}”，不能记录“{kind}”")
    if kind == s.EXTENSION:
        days = detail.get("days", EXTENSION_DAYS)
        used = sum(int(e.detail.get("days", EXTENSION_DAYS)) for e in history if e.kind == s.EXTENSION)
        if isinstance(days, bool) or not isinstance(days, int) or days < 1 or used + days > EXTENSION_DAYS:
            raise BadInput(f"延长答复期限最长不得超过{EXTENSION_DAYS}个工作日（第三十三条第二款）："
                           f"已延长{used}个工作日，本次{days!r}")
    if kind in CLOSING:
        key = closing_outcome(kind, detail)
        code = outcome(key).code
        if code == "no_correction" and not open_correction:
            raise BadInput("“逾期不补正”须先发出补正告知且未收到补正（第三十条）")
        if code == "still_unclear" and s.CORRECTION_RECEIVED not in kinds:
            raise BadInput("“补正后申请内容仍不明确”须先记录补正告知和补正收到（第三十条）")
        if code == "fee_unpaid" and not open_fee:
            raise BadInput("“逾期未缴费”须先发出缴费通知且未缴费（第四十二条）")


def _last_index(kinds: list[str], kind: str) -> int:
    return max((i for i, k in enumerate(kinds) if k == kind), default=-1)



@dataclass(frozen=True)
class DueItem:
    """An open case whose deadline is near or past: the reply, or the applicant's own period."""

    case: Case
    kind: str  # 答复 | 补正期限 | 缴费期限
    due: date
    remaining: int  # working days (0 = due today; negative = overdue)

    def to_json(self) -> dict[str, Any]:
        c = self.case
        return {"case_id": c.id, "ref": c.ref, "kind": self.kind, "due": self.due.isoformat(),
                "remaining": self.remaining, "applicant": c.applicant_name, "description": c.description,
                "received_date": c.received_date.isoformat()}


@dataclass(frozen=True)
class LetterRecord:
    """A letter produced for a case (the text as sent)."""

    id: int
    case_id: int
    kind: str
    title: str
    text: str
    number: str
    user: str
    created_at: datetime


@dataclass(frozen=True)
class Review:
    """A 行政复议 or 行政诉讼 about a decision: one count in table 四."""

    id: int
    agency: str
    case_id: int | None
    kind: str  # 行政复议 | 未经复议直接起诉 | 复议后起诉
    filed_date: date
    result: str  # 维持 | 纠正 | 其他 | 尚未审结
    decided_date: date | None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "agency": self.agency, "case_id": self.case_id, "kind": self.kind,
                "filed_date": self.filed_date.isoformat(), "result": self.result,
                "decided_date": _iso(self.decided_date)}


def check_review(kind: str, result: str, filed: date, decided: date | None) -> None:
    """Raise BadInput unless this is a table-四 record: a known kind and result, a decision date when decided."""
    if kind not in s.REVIEW_KINDS:
        raise BadInput(f"复议诉讼类型应为：{'、'.join(s.REVIEW_KINDS)}，收到：{kind!r}")
    if result not in s.REVIEW_RESULTS:
        raise BadInput(f"复议诉讼结果应为：{'、'.join(s.REVIEW_RESULTS)}，收到：{result!r}")
    if result != s.PENDING and decided is None:
        raise BadInput(f"结果“{result}”须写明审结日期")
    if decided is not None and decided < filed:
        raise BadInput(f"审结日期 {decided} 早于申请（起诉）日期 {filed}")


def review_kind(event_kind: str, detail: Mapping[str, Any]) -> str:
    """Table 四's row for a 行政复议/行政诉讼 event (a suit says whether reconsideration came first)."""
    if event_kind == s.RECONSIDERATION:
        return "行政复议"
    return "复议后起诉" if detail.get("after_reconsideration") else "未经复议直接起诉"
