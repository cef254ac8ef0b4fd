"""The case register: every request, its events, letters and audit trail in one database.

SQLite by default (one file under the data directory; WAL, busy timeout, every write under
`BEGIN IMMEDIATE` so concurrent writers queue instead of failing), any SQLAlchemy URL for a
multi-office deployment (e.g. PostgreSQL with its driver installed). The schema is migrated
in order by Alembic each time the register is opened (`rag/migrations/`, no alembic.ini).

Every write is one transaction that also writes its audit row: a case is never stored without
its 收到 event and its audit entry. Status, outcome and deadlines are derived from the events
(`rag.casefile.summarize`) with the working-day engine of `rag.deadlines`.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from rag import register_schema as s
from rag.annual import AnnualInputs, CaseFacts, ReviewFacts
from rag.casefile import CLOSING, Case, Event, check_event, closing_outcome, ordered, summarize
from rag.deadlines import Calendar, add_workdays, load_calendar, remaining
from rag.errors import BadInput, ConfigError
from rag.intake import Request, parse_request
from rag.outcomes import APPLICANT_TYPES, GROUPS, outcome
from rag.repeats import (
    REPEAT_THRESHOLD, MonthlyCount, RepeatCandidate, month_key, monthly_count, norm_id, norm_name,
    same_applicant, similarity,
)
from rag.settings import ROOT, Settings

__all__ = ["Case", "DueItem", "Event", "LetterRecord", "Register", "Review"]

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_SEQ_RETRIES = 8  # concurrent writers on a server database may pick the same 登记号: retry


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


class Register:
    """The office's case register over one database."""

    def __init__(self, target: str | Settings, *, calendar: Calendar | None = None,
                 agency: str | None = None, user: str | None = None) -> None:
        if isinstance(target, Settings):
            url, corpus, agency = target.db_url, target.corpus_dir, agency or target.agency
        else:
            url, corpus = str(target), ROOT / "corpus"
        self.url = url
        self.agency = agency or ""
        self.user = user or _default_user()
        self.calendar = calendar or load_calendar(corpus)
        self._engine = _engine(url)
        self._sqlite = self._engine.dialect.name == "sqlite"
        self._writer = self._engine.execution_options(sqlite_begin="IMMEDIATE") if self._sqlite else self._engine
        try:
            self._migrate()
        except sa.exc.OperationalError as exc:
            self._engine.dispose()
            raise ConfigError(f"无法打开登记簿数据库 {_safe(url)}：{exc.orig}") from exc

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with self._writer.begin() as conn:
            if conn.dialect.name == "postgresql":  # one migrating process at a time
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(727274)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def schema_revision(self) -> str:
        """The Alembic revision the database is at."""
        with self._engine.connect() as conn:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._writer.begin() as conn:
            yield conn

    def _audit(self, conn: Connection, user: str | None, action: str, case_id: int | None, **detail: Any) -> None:
        conn.execute(s.audit.insert().values(at=_now(), user=user or self.user, action=action,
                                             case_id=case_id, detail=_jsonable(detail)))

    # ------------------------------------------------------------ cases

    def add_case(self, text: str, *, received: date, request: Request | None = None, user: str | None = None,
                 agency: str | None = None, channel: str | None = None, applicant_type: str | None = None,
                 applicant_name: str | None = None, applicant_id: str | None = None,
                 applicant_contact: str | None = None, description: str | None = None) -> Case:
        """Register a request received on `received`; fields not given are parsed from `text`."""
        if not isinstance(received, date):
            raise BadInput(f"收到日期应为日期，收到：{received!r}")
        if received > date.today():
            raise BadInput(f"收到日期 {received} 晚于今天")
        req = request or parse_request(text)
        a = req.applicant
        kind = applicant_type or a.applicant_type
        if kind not in APPLICANT_TYPES:
            raise BadInput(f"申请人类型应为：{'、'.join(APPLICANT_TYPES)}，收到：{kind!r}")
        contact = applicant_contact if applicant_contact is not None else "；".join(
            x for x in (a.phone, a.email, a.address) if x)
        row = {
            "agency": agency or self.agency, "year": received.year, "request_text": text,
            "fields": _jsonable(req.to_json()), "applicant_name": applicant_name or a.name,
            "applicant_type": kind, "applicant_id": norm_id(applicant_id if applicant_id is not None else a.id_number),
            "applicant_contact": contact, "channel": channel if channel is not None else req.channel,
            "received_date": received, "description": description if description is not None else req.description,
        }
        who = user or self.user
        for attempt in range(_SEQ_RETRIES):
            try:
                with self._write() as conn:
                    case_id = self._insert_case(conn, row, [], who)
                    self._audit(conn, who, "登记", case_id, ref=f"{received.year}-?", applicant=row["applicant_name"])
                    return self._load(conn, case_id)
            except sa.exc.IntegrityError:
                if attempt == _SEQ_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _insert_case(self, conn: Connection, row: Mapping[str, Any], events: Sequence[Mapping[str, Any]],
                     user: str, seq: int | None = None) -> int:
        now = _now()
        if seq is None:
            seq = 1 + (conn.execute(sa.select(sa.func.max(s.cases.c.seq)).where(
                s.cases.c.agency == row["agency"], s.cases.c.year == row["year"])).scalar() or 0)
        summary = summarize(row["received_date"], [], self.calendar)
        case_id = conn.execute(s.cases.insert().values(
            **row, seq=seq, status=summary.status, waiting=summary.waiting, outcome=None, closed_date=None,
            due_date=summary.due, created_at=now, updated_at=now)).inserted_primary_key[0]
        conn.execute(s.events.insert().values(case_id=case_id, kind=s.RECEIVED, date=row["received_date"],
                                              detail={"channel": row["channel"]}, user=user, at=now))
        for e in events:
            conn.execute(s.events.insert().values(case_id=case_id, **e))
        if events:
            self._refresh(conn, case_id)
        return case_id

    def record_event(self, case: int | str, kind: str, day: date, detail: Mapping[str, Any] | None = None,
                     user: str | None = None) -> Case:
        """Record one step; the case's status and deadlines are recomputed from all its events."""
        detail = _jsonable(dict(detail or {}))
        if not isinstance(day, date):
            raise BadInput(f"事件日期应为日期，收到：{day!r}")
        with self._write() as conn:
            case_id = self._resolve(conn, case)
            current = self._load(conn, case_id)
            check_event(current.received_date, current.events, kind, day, detail)
            if kind in CLOSING:
                detail["outcome"] = closing_outcome(kind, detail)
            who = user or self.user
            conn.execute(s.events.insert().values(case_id=case_id, kind=kind, date=day, detail=detail,
                                                  user=who, at=_now()))
            if kind in (s.RECONSIDERATION, s.LITIGATION):
                self._insert_review(conn, current.agency, case_id, _review_kind(kind, detail), day, detail)
            self._refresh(conn, case_id)
            self._audit(conn, who, f"记录{kind}", case_id, date=day, **detail)
            return self._load(conn, case_id)

    def close_case(self, case: int | str, outcome_key: str, day: date, user: str | None = None, *,
                   amend: bool = False, detail: Mapping[str, Any] | None = None) -> Case:
        """Close a case with its table-三 outcome (逾期不补正/逾期未缴费 record their own event kinds)."""
        key = outcome(outcome_key).key
        kind = {outcome("no_correction").key: s.NO_CORRECTION, outcome("fee_unpaid").key: s.FEE_UNPAID}.get(key, s.REPLIED)
        extra = {**(detail or {}), "outcome": key, **({"amend": True} if amend else {})}
        return self.record_event(case, kind, day, extra, user)

    def _refresh(self, conn: Connection, case_id: int) -> None:
        received, events = self._events_of(conn, case_id)
        sm = summarize(received, events, self.calendar)
        conn.execute(s.cases.update().where(s.cases.c.id == case_id).values(
            status=sm.status, waiting=sm.waiting, outcome=sm.outcome, closed_date=sm.closed_date,
            due_date=sm.due, updated_at=_now()))

    def summary(self, case: int | str) -> Any:
        """The case's `rag.casefile.Summary`: deadlines, waiting state and warnings, as of now."""
        c = self.get_case(case)
        return summarize(c.received_date, c.events, self.calendar)

    def add_letter(self, case: int | str, kind: str, title: str, text: str, number: str = "",
                   user: str | None = None) -> LetterRecord:
        """Keep the text of a letter sent for a case."""
        if not text.strip():
            raise BadInput("文书正文为空")
        who = user or self.user
        with self._write() as conn:
            case_id = self._resolve(conn, case)
            now = _now()
            lid = conn.execute(s.letters.insert().values(case_id=case_id, kind=kind, title=title, text=text,
                                                         number=number, user=who, created_at=now)).inserted_primary_key[0]
            self._audit(conn, who, "存档文书", case_id, kind=kind, title=title, number=number)
        return LetterRecord(lid, case_id, kind, title, text, number, who, now)

    def letters(self, case: int | str) -> list[LetterRecord]:
        """The letters kept for a case, oldest first."""
        with self._engine.connect() as conn:
            case_id = self._resolve(conn, case)
            rows = conn.execute(sa.select(s.letters).where(s.letters.c.case_id == case_id).order_by(s.letters.c.id))
            return [LetterRecord(r.id, r.case_id, r.kind, r.title, r.text, r.number, r.user, r.created_at) for r in rows]

    # ------------------------------------------------------------ reads

    def get_case(self, case: int | str) -> Case:
        """One case with its events."""
        with self._engine.connect() as conn:
            return self._load(conn, self._resolve(conn, case))

    def list_cases(self, *, status: str | None = None, outcome: str | None = None, applicant_type: str | None = None,
                   year: int | None = None, text: str | None = None, agency: str | None = None,
                   limit: int | None = None) -> list[Case]:
        """Cases matching every filter given, newest first (without their events)."""
        c = s.cases.c
        q = sa.select(s.cases)
        if status:
            q = q.where(c.status == _status(status))
        if outcome:
            q = q.where(c.outcome.like(f"{outcome}/%") if outcome in GROUPS else c.outcome == _outcome_key(outcome))
        if applicant_type:
            q = q.where(c.applicant_type == applicant_type)
        if year is not None:
            q = q.where(c.year == year)
        if agency:
            q = q.where(c.agency == agency)
        if text:
            like = f"%{text.strip()}%"
            q = q.where(sa.or_(c.description.like(like), c.applicant_name.like(like), c.request_text.like(like)))
        q = q.order_by(c.received_date.desc(), c.id.desc()).limit(limit)
        with self._engine.connect() as conn:
            return [_case(r) for r in conn.execute(q)]

    def all_cases(self, agency: str | None = None) -> Iterator[Case]:
        """Every case with its events, oldest first (for export)."""
        with self._engine.connect() as conn:
            q = sa.select(s.cases).order_by(s.cases.c.id)
            if agency:
                q = q.where(s.cases.c.agency == agency)
            rows = conn.execute(q).all()
            by_case = self._events_by_case(conn, agency)
        for r in rows:
            yield _case(r, by_case.get(r.id, ()))

    def audit_trail(self, case: int | str | None = None) -> list[dict[str, Any]]:
        """Who did what when: the whole trail, or one case's."""
        with self._engine.connect() as conn:
            q = sa.select(s.audit).order_by(s.audit.c.id)
            if case is not None:
                q = q.where(s.audit.c.case_id == self._resolve(conn, case))
            return [{"at": r.at.isoformat(timespec="seconds"), "user": r.user, "action": r.action,
                     "case_id": r.case_id, "detail": r.detail} for r in conn.execute(q)]

    def _resolve(self, conn: Connection, case: int | str) -> int:
        text = str(case).strip()
        c = s.cases.c
        if text.isdigit():
            q = sa.select(c.id).where(c.id == int(text))
        elif (parts := text.split("-")) and len(parts) == 2 and all(p.isdigit() for p in parts):
            q = sa.select(c.id).where(c.year == int(parts[0]), c.seq == int(parts[1]))
            if self.agency:
                q = q.where(c.agency == self.agency)
        else:
            raise BadInput(f"案件应以编号（如 12）或登记号（如 2024-0012）指明，收到：{case!r}")
        ids = conn.execute(q).scalars().all()
        if len(ids) != 1:
            raise BadInput(f"登记簿中没有案件 {text}" if not ids else f"登记号 {text} 对应多个机关的案件，请用编号指明")
        return ids[0]

    def _load(self, conn: Connection, case_id: int) -> Case:
        row = conn.execute(sa.select(s.cases).where(s.cases.c.id == case_id)).one()
        return _case(row, self._events_of(conn, case_id)[1])

    def _events_of(self, conn: Connection, case_id: int) -> tuple[date, list[Event]]:
        received = conn.execute(sa.select(s.cases.c.received_date).where(s.cases.c.id == case_id)).scalar_one()
        rows = conn.execute(sa.select(s.events).where(s.events.c.case_id == case_id).order_by(s.events.c.id))
        return received, [_event(r) for r in rows]

    def _events_by_case(self, conn: Connection, agency: str | None = None, *, open_only: bool = False) -> dict[int, list[Event]]:
        q = sa.select(s.events).join(s.cases, s.cases.c.id == s.events.c.case_id).order_by(s.events.c.id)
        if agency:
            q = q.where(s.cases.c.agency == agency)
        if open_only:
            q = q.where(s.cases.c.status == s.STATUS_OPEN)
        out: dict[int, list[Event]] = {}
        for r in conn.execute(q):
            out.setdefault(r.case_id, []).append(_event(r))
        return out

    # ------------------------------------------------------------ deadlines

    def due_soon(self, today: date, within_workdays: int = 5) -> list[DueItem]:
        """Open cases due within `within_workdays` working days of `today` (today included), soonest first."""
        if within_workdays < 0:
            raise BadInput(f"天数应不小于0，收到：{within_workdays}")
        return [i for i in self._due_items(today) if 0 <= i.remaining <= within_workdays]

    def overdue(self, today: date) -> list[DueItem]:
        """Open cases past their reply date, or past the period a 补正/缴费 notice gave the applicant."""
        return [i for i in self._due_items(today) if i.remaining < 0]

    def _due_items(self, today: date) -> list[DueItem]:
        # Computed live from the events of the open cases (a few hundred at most), so a holiday
        # table added since the last event is taken into account.
        with self._engine.connect() as conn:
            q = sa.select(s.cases).where(s.cases.c.status == s.STATUS_OPEN)
            if self.agency:
                q = q.where(s.cases.c.agency == self.agency)
            rows = conn.execute(q).all()
            by_case = self._events_by_case(conn, self.agency or None, open_only=True)
        items = []
        for r in rows:
            case = _case(r, by_case.get(r.id, ()))
            sm = summarize(case.received_date, case.events, self.calendar)
            if sm.due is not None:
                items.append(DueItem(case, "答复", sm.due, remaining(sm.due, today, self.calendar)))
            elif sm.waiting_until is not None:
                items.append(DueItem(case, f"{sm.waiting}期限", sm.waiting_until,
                                     remaining(sm.waiting_until, today, self.calendar)))
        return sorted(items, key=lambda i: (i.due, i.case.id))

    def due_bound(self, today: date, within_workdays: int) -> date:
        """The last date counted as "due soon": `within_workdays` working days after today."""
        return add_workdays(today, within_workdays, self.calendar)

    # ------------------------------------------------------------ repeats

    def repeat_candidates(self, request: Request | Mapping[str, Any], *, exclude: int | None = None,
                          threshold: float = REPEAT_THRESHOLD) -> list[RepeatCandidate]:
        """Earlier cases of the same applicant asking for the same information, best match first.

        `request`: a parsed `Request`, or a mapping with `name`, `id_number`, `description`
        (the keys of `Request.to_json()["applicant"]` work too, with `description` beside them).
        """
        name, id_number, description = _who_what(request)
        if not description.strip() or not (name or id_number):
            return []
        out = []
        for case in self._same_applicant(name, id_number, exclude):
            score = similarity(description, case.description)
            if score >= threshold:
                answered = case.status == s.STATUS_CLOSED and not (case.outcome or "").startswith("其他处理/")
                out.append(RepeatCandidate(case.id, case.ref, score, answered, case.closed_date if answered else None,
                                           case.outcome, case.received_date, case.description))
        return sorted(out, key=lambda c: (-c.score, c.case_id))

    def monthly_counts(self, applicant: str | Request | Mapping[str, Any], month: str | date) -> MonthlyCount:
        """Requests one applicant (name or identity number) filed in one calendar month."""
        if isinstance(applicant, str):
            name, id_number = (("", applicant) if any(ch.isdigit() for ch in applicant) else (applicant, ""))
        else:
            name, id_number, _ = _who_what(applicant)
        year, mon = month_key(month)
        first = date(year, mon, 1)
        nxt = date(year + mon // 12, mon % 12 + 1, 1)
        ids = [c.id for c in self._same_applicant(name, id_number, None)
               if first <= c.received_date < nxt]
        return monthly_count(id_number or name, f"{year}-{mon:02d}", sorted(ids))

    def _same_applicant(self, name: str, id_number: str, exclude: int | None) -> list[Case]:
        c = s.cases.c
        conds = []
        if norm_id(id_number):
            conds.append(c.applicant_id == norm_id(id_number))
        if norm_name(name):
            conds.append(c.applicant_name == name.strip())
        if not conds:
            return []
        q = sa.select(s.cases).where(sa.or_(*conds))
        if self.agency:
            q = q.where(c.agency == self.agency)
        with self._engine.connect() as conn:
            rows = [_case(r) for r in conn.execute(q)]
        return [r for r in rows if r.id != exclude and same_applicant(name, id_number, r.applicant_name, r.applicant_id)]

    # ------------------------------------------------------------ table 四, table 二

    def add_review(self, kind: str, filed: date, *, case: int | str | None = None, result: str = s.PENDING,
                   decided: date | None = None, detail: Mapping[str, Any] | None = None,
                   agency: str | None = None, user: str | None = None) -> Review:
        """Record a reconsideration or suit (table 四), tied to a case when it is in the register."""
        who = user or self.user
        with self._write() as conn:
            case_id = self._resolve(conn, case) if case is not None else None
            ag = agency or (self._load(conn, case_id).agency if case_id else self.agency)
            rid = self._insert_review(conn, ag, case_id, kind, filed, dict(detail or {}), result, decided)
            self._audit(conn, who, "登记复议诉讼", case_id, review=rid, kind=kind, result=result)
            return self._review(conn, rid)

    def decide_review(self, review_id: int, result: str, decided: date, user: str | None = None) -> Review:
        """Enter the result of a reconsideration or suit."""
        _check_review(s.REVIEW_KINDS[0], result, date.min, decided)
        with self._write() as conn:
            current = self._review(conn, review_id)
            if decided < current.filed_date:
                raise BadInput(f"审结日期 {decided} 早于申请（起诉）日期 {current.filed_date}")
            conn.execute(s.reviews.update().where(s.reviews.c.id == review_id).values(
                result=result, decided_date=None if result == s.PENDING else decided))
            self._audit(conn, user, "复议诉讼结果", current.case_id, review=review_id, result=result, decided=decided)
            return self._review(conn, review_id)

    def reviews(self, agency: str | None = None) -> list[Review]:
        """Every recorded reconsideration and suit."""
        with self._engine.connect() as conn:
            q = sa.select(s.reviews).order_by(s.reviews.c.id)
            ag = agency or self.agency
            if ag:
                q = q.where(s.reviews.c.agency == ag)
            return [_review(r) for r in conn.execute(q)]

    def _insert_review(self, conn: Connection, agency: str, case_id: int | None, kind: str, filed: date,
                       detail: Mapping[str, Any], result: str = s.PENDING, decided: date | None = None) -> int:
        result = str(detail.get("result", result))
        decided = decided or _as_date(detail.get("decided"))
        _check_review(kind, result, filed, decided)
        return conn.execute(s.reviews.insert().values(
            agency=agency, case_id=case_id, kind=kind, filed_date=filed, result=result,
            decided_date=None if result == s.PENDING else decided, detail=_jsonable(dict(detail)),
            created_at=_now())).inserted_primary_key[0]

    def _review(self, conn: Connection, review_id: int) -> Review:
        row = conn.execute(sa.select(s.reviews).where(s.reviews.c.id == review_id)).one_or_none()
        if row is None:
            raise BadInput(f"没有编号为 {review_id} 的复议诉讼记录")
        return _review(row)

    def set_figure(self, year: int, row: str, column: str, value: float, *, agency: str | None = None,
                   user: str | None = None) -> None:
        """Enter one figure of table 二 (主动公开), e.g. (2024, "规章", "本年制发件数", 2)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise BadInput(f"表二数字应为非负数，收到：{value!r}")
        if not row.strip() or not column.strip():
            raise BadInput("表二的行名和列名不能为空")
        ag = agency or self.agency
        t = s.table2_figures
        with self._write() as conn:
            conn.execute(t.delete().where(t.c.agency == ag, t.c.year == year, t.c.row == row, t.c.column == column))
            conn.execute(t.insert().values(agency=ag, year=year, row=row, column=column, value=value, updated_at=_now()))
            self._audit(conn, user, "录入表二", None, year=year, row=row, column=column, value=value)

    def figures(self, year: int, agency: str | None = None) -> dict[str, dict[str, int | float]]:
        """Table 二 figures entered for a year: row → column → value."""
        t = s.table2_figures
        out: dict[str, dict[str, int | float]] = {}
        with self._engine.connect() as conn:
            for r in conn.execute(sa.select(t).where(t.c.agency == (agency or self.agency), t.c.year == year).order_by(t.c.id)):
                out.setdefault(r.row, {})[r.column] = int(r.value) if float(r.value).is_integer() else r.value
        return out

    # ------------------------------------------------------------ annual report and charts

    def agencies(self) -> list[str]:
        """The agencies that have cases, reviews or figures in this register."""
        with self._engine.connect() as conn:
            names = set(conn.execute(sa.select(s.cases.c.agency).distinct()).scalars())
            names |= set(conn.execute(sa.select(s.reviews.c.agency).distinct()).scalars())
            names |= set(conn.execute(sa.select(s.table2_figures.c.agency).distinct()).scalars())
        return sorted(names)

    def annual_inputs(self, year: int, agency: str | None = None) -> AnnualInputs:
        """The plain data the report of `year` (and the check against `year`−1) is computed from."""
        ag = agency if agency is not None else self.agency
        start_prev, end = date(year - 1, 1, 1), date(year, 12, 31)
        c = s.cases.c
        with self._engine.connect() as conn:
            q = sa.select(c.received_date, c.closed_date, c.outcome, c.applicant_type, c.due_date).where(
                c.agency == ag, c.received_date <= end,
                sa.or_(c.closed_date.is_(None), c.closed_date >= start_prev))
            cases = tuple(CaseFacts(*r) for r in conn.execute(q))
            earlier = conn.execute(sa.select(sa.func.count()).select_from(s.cases).where(
                c.agency == ag, c.received_date < date(year, 1, 1))).scalar_one()
            total = conn.execute(sa.select(sa.func.count()).select_from(s.cases).where(c.agency == ag)).scalar_one()
            r = s.reviews.c
            reviews = tuple(ReviewFacts(x.kind, x.filed_date, x.result, x.decided_date) for x in conn.execute(
                sa.select(r.kind, r.filed_date, r.result, r.decided_date).where(r.agency == ag, r.filed_date <= end)))
            e = s.events.c
            fees = tuple((d, float(detail.get("amount", 0))) for d, detail in conn.execute(
                sa.select(e.date, e.detail).join(s.cases, c.id == e.case_id).where(
                    c.agency == ag, e.kind == s.FEE_PAID, e.date >= date(year, 1, 1), e.date <= end)))
        return AnnualInputs(ag, year, cases, reviews, {y: self.figures(y, ag) for y in (year - 1, year)},
                            fees, has_previous=earlier > 0, total_cases=total)

    def case_facts(self, agency: str | None = None) -> list[CaseFacts]:
        """Every case as plain facts (received, closed, outcome, type, due) for charts."""
        c = s.cases.c
        q = sa.select(c.received_date, c.closed_date, c.outcome, c.applicant_type, c.due_date)
        ag = agency if agency is not None else self.agency
        if ag:
            q = q.where(c.agency == ag)
        with self._engine.connect() as conn:
            return [CaseFacts(*r) for r in conn.execute(q)]

    # ------------------------------------------------------------ export and import

    def export_csv(self, path: Path | str, agency: str | None = None) -> int:
        """Write every case with its events to a UTF-8 (BOM) CSV Excel opens; return the count."""
        from rag.register_io import write_csv

        return write_csv(self.all_cases(agency), Path(path))

    def export_xlsx(self, path: Path | str, agency: str | None = None) -> int:
        """Write every case with its events to an .xlsx workbook; return the count."""
        from rag.register_io import write_xlsx

        return write_xlsx(self.all_cases(agency), Path(path))

    def import_csv(self, path: Path | str, user: str | None = None) -> dict[str, Any]:
        """Import cases from a CSV written by `export_csv` (or typed in its columns)."""
        from rag.register_io import read_csv

        return self.import_cases(read_csv(Path(path)), user)

    def import_xlsx(self, path: Path | str, user: str | None = None) -> dict[str, Any]:
        """Import cases from an .xlsx written by `export_xlsx`."""
        from rag.register_io import read_xlsx

        return self.import_cases(read_xlsx(Path(path)), user)

    def import_cases(self, records: Sequence[Mapping[str, Any]], user: str | None = None) -> dict[str, Any]:
        """Add cases with their events in one transaction; a case already present (same agency and 登记号) is skipped.

        Every event is replayed through the same checks as `record_event`; one bad row
        imports nothing and names the row.
        """
        who = user or self.user
        added, skipped = [], []
        with self._write() as conn:
            for n, rec in enumerate(records, 1):
                row, events, seq = _import_row(rec, n, self.agency, self.calendar)
                if seq is not None and conn.execute(sa.select(s.cases.c.id).where(
                        s.cases.c.agency == row["agency"], s.cases.c.year == row["year"],
                        s.cases.c.seq == seq)).first():
                    skipped.append(f"{row['year']}-{seq:04d}")
                    continue
                case_id = self._insert_case(conn, row, events, str(rec.get("user") or who), seq)
                added.append(case_id)
            self._audit(conn, who, "导入", None, added=len(added), skipped=skipped)
        return {"added": len(added), "skipped": skipped, "case_ids": added}


# ---------------------------------------------------------------- engine


def _engine(url: str) -> Engine:
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ConfigError(f"数据库地址无法识别：{url!r}（应为 SQLAlchemy URL，如 sqlite:///data/register.sqlite3）") from exc
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database or ""
        if db in ("", ":memory:") or db.startswith("file:"):
            raise ConfigError("登记簿须使用数据库文件（内存数据库在进程结束后丢失）")
        Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(parsed, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        raise ConfigError(f"数据库驱动未安装（{parsed.drivername}）：{exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # Python's sqlite3 would open transactions itself (and not before DDL): take that over, so
    # migrations are transactional and writes can say BEGIN IMMEDIATE (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 60000")  # a second clerk's write waits instead of failing
    cur.execute("PRAGMA journal_mode = WAL")  # readers never block the writer, nor it them
    cur.execute("PRAGMA synchronous = FULL")  # a committed case survives a power cut, not only a crash
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # A write transaction takes the write lock at once: a deferred one that read first could not
    # upgrade while another process writes, and would fail with "database is locked".
    conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', 'DEFERRED')}")


def _safe(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(无效地址)"


# ---------------------------------------------------------------- rows ↔ nouns


def _case(r: Any, events: Sequence[Event] = ()) -> Case:
    return Case(r.id, r.agency, r.year, r.seq, r.request_text, r.fields or {}, r.applicant_name, r.applicant_type,
                r.applicant_id, r.applicant_contact, r.channel, r.received_date, r.description, r.status, r.waiting,
                r.outcome, r.closed_date, r.due_date, r.created_at, r.updated_at, tuple(ordered(list(events))))


def _event(r: Any) -> Event:
    return Event(r.id, r.case_id, r.kind, r.date, r.detail or {}, r.user, r.at)


def _review(r: Any) -> Review:
    return Review(r.id, r.agency, r.case_id, r.kind, r.filed_date, r.result, r.decided_date)


def _review_kind(event_kind: str, detail: Mapping[str, Any]) -> str:
    if event_kind == s.RECONSIDERATION:
        return "行政复议"
    return "复议后起诉" if detail.get("after_reconsideration") else "未经复议直接起诉"


def _check_review(kind: str, result: str, filed: date, decided: date | None) -> None:
    if kind not in s.REVIEW_KINDS:
        raise BadInput(f"复议诉讼类型应为：{'、'.join(s.REVIEW_KINDS)}，收到：{kind!r}")
    if result not in s.REVIEW_RESULTS:
        raise BadInput(f"复议诉讼结果应为：{'、'.join(s.REVIEW_RESULTS)}，收到：{result!r}")
    if result != s.PENDING and decided is None:
        raise BadInput(f"结果“{result}”须写明审结日期")
    if decided is not None and decided < filed:
        raise BadInput(f"审结日期 {decided} 早于申请（起诉）日期 {filed}")


def _status(given: str) -> str:
    aliases = {"open": s.STATUS_OPEN, "closed": s.STATUS_CLOSED, "办结": s.STATUS_CLOSED, "在办": s.STATUS_OPEN}
    value = aliases.get(given.strip(), given.strip())
    if value not in s.STATUSES:
        raise BadInput(f"状态应为：{'、'.join(s.STATUSES)}，收到：{given!r}")
    return value


def _outcome_key(given: str) -> str:
    return outcome(given).key


def _who_what(request: Request | Mapping[str, Any]) -> tuple[str, str, str]:
    if isinstance(request, Request):
        return request.applicant.name, request.applicant.id_number, request.description
    applicant = request.get("applicant")
    inner = applicant if isinstance(applicant, Mapping) else {}
    name = str(request.get("name") or request.get("applicant_name") or inner.get("name") or "")
    id_number = str(request.get("id_number") or request.get("applicant_id") or inner.get("id_number") or "")
    return name, id_number, str(request.get("description") or "")


def _import_row(rec: Mapping[str, Any], n: int, default_agency: str,
                calendar: Calendar) -> tuple[dict[str, Any], list[dict[str, Any]], int | None]:
    """A record of register_io → (case row, event rows, seq or None); BadInput names the row."""
    from rag.register_io import import_row

    try:
        return import_row(rec, default_agency, calendar)
    except BadInput as exc:
        raise BadInput(f"第{n}条记录：{exc}") from exc


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise BadInput(f"日期应写作 YYYY-MM-DD，收到：{value!r}") from exc
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container
        return "system"
