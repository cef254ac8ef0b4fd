"""The case register: every request, its events, letters and audit trail in one database.

SQLite by default (one file under the data directory; WAL, busy timeout, every write under
`BEGIN IMMEDIATE` so concurrent writers queue instead of failing), any SQLAlchemy URL for a
multi-office deployment (e.g. PostgreSQL with its driver installed). The schema is migrated
in order by Alembic each time the register is opened (`rag/register/migrations/`, no alembic.ini).

Every write is one transaction that also writes its audit row: a case is never stored without
its 收到 event and its audit entry. Status, outcome and deadlines are derived from the events
(`rag.register.casefile.summarize`) with the working-day engine of `rag.core.deadlines`.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rag.register import schema as s
from rag.register.casefile import (
    CLOSING, Case, DueItem, Event, LetterRecord, Review, Summary, check_event, closing_outcome, review_kind, summarize,
)
from rag.core.deadlines import Calendar, load_calendar, remaining
from rag.core.errors import BadInput, ConfigError
from rag.intake.parse import Request, parse_request
from rag.core.outcomes import APPLICANT_TYPES, GROUPS, outcome
from rag.register.db import jsonable, migrate, now, open_engine, row_case, row_event, safe_url
from rag.register.queries import Queries
from rag.register.repeats import norm_id
from rag.core.settings import ROOT, Settings

__all__ = ["Case", "DueItem", "Event", "LetterRecord", "Register", "Review"]

_SEQ_RETRIES = 8  # concurrent writers on a server database may pick the same 登记号: retry


class Register(Queries):
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
        self._engine, self._writer = open_engine(url)
        try:
            migrate(self._writer)
        except sa.exc.OperationalError as exc:
            self._engine.dispose()
            raise ConfigError(f"无法打开登记簿数据库 {safe_url(url)}：{exc.orig}") from exc

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_revision(self) -> str:
        """The Alembic revision the database is at."""
        with self._engine.connect() as conn:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._writer.begin() as conn:
            yield conn

    def _audit(self, conn: Connection, user: str | None, action: str, case_id: int | None, **detail: Any) -> None:
        conn.execute(s.audit.insert().values(at=now(), user=user or self.user, action=action,
                                             case_id=case_id, detail=jsonable(detail)))

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
            "fields": jsonable(req.to_json()), "applicant_name": applicant_name or a.name,
            "applicant_type": kind, "applicant_id": norm_id(applicant_id if applicant_id is not None else a.id_number),
            "applicant_contact": contact, "channel": channel if channel is not None else req.channel,
            "received_date": received, "description": description if description is not None else req.description,
        }
        who = user or self.user
        for attempt in range(_SEQ_RETRIES):
            try:
                with self._write() as conn:
                    case = self._load(conn, self._insert_case(conn, row, [], who))
                    self._audit(conn, who, "登记", case.id, ref=case.ref, applicant=case.applicant_name)
                    return case
            except sa.exc.IntegrityError:
                if attempt == _SEQ_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _insert_case(self, conn: Connection, row: Mapping[str, Any], events: Sequence[Mapping[str, Any]],
                     user: str, seq: int | None = None) -> int:
        at = now()
        if seq is None:
            seq = 1 + (conn.execute(sa.select(sa.func.max(s.cases.c.seq)).where(
                s.cases.c.agency == row["agency"], s.cases.c.year == row["year"])).scalar() or 0)
        if not events or events[0]["kind"] != s.RECEIVED:  # an import brings its own 收到 event
            events = [{"kind": s.RECEIVED, "date": row["received_date"], "detail": {"channel": row["channel"]},
                       "user": user, "at": at}, *events]
        history = [Event(-i, 0, e["kind"], e["date"], e["detail"]) for i, e in enumerate(events, 1)]
        sm = summarize(row["received_date"], history, self.calendar)
        case_id = conn.execute(s.cases.insert().values(
            **row, seq=seq, status=sm.status, waiting=sm.waiting, outcome=sm.outcome, closed_date=sm.closed_date,
            due_date=sm.due, created_at=at, updated_at=at)).inserted_primary_key[0]
        conn.execute(s.events.insert(), [{"case_id": case_id, **e} for e in events])
        return case_id

    def record_event(self, case: int | str, kind: str, day: date, detail: Mapping[str, Any] | None = None,
                     user: str | None = None) -> Case:
        """Record one step; the case's status and deadlines are recomputed from all its events."""
        detail = jsonable(dict(detail or {}))
        if not isinstance(day, date):
            raise BadInput(f"事件日期应为日期，收到：{day!r}")
        with self._write() as conn:
            case_id = self._resolve(conn, case)
            # A server database lets two clerks write at once: the case row is locked until commit
            # so both cannot pass check_event on the same history (SQLite: the write lock already).
            conn.execute(sa.select(s.cases.c.id).where(s.cases.c.id == case_id).with_for_update())
            current = self._load(conn, case_id)
            check_event(current.received_date, current.events, kind, day, detail)
            if kind in CLOSING:
                detail["outcome"] = closing_outcome(kind, detail)
            who = user or self.user
            conn.execute(s.events.insert().values(case_id=case_id, kind=kind, date=day, detail=detail,
                                                  user=who, at=now()))
            if kind in (s.RECONSIDERATION, s.LITIGATION):
                self._insert_review(conn, current.agency, case_id, review_kind(kind, detail), day, detail)
            self._refresh(conn, case_id)
            self._audit(conn, who, f"记录{kind}", case_id, date=day, detail=detail)
            return self._load(conn, case_id)

    def close_case(self, case: int | str, outcome_key: str, day: date, user: str | None = None, *,
                   amend: bool = False, detail: Mapping[str, Any] | None = None) -> Case:
        """Close a case with its table-三 outcome (逾期不补正/逾期未缴费 record their own event kinds)."""
        key = outcome(outcome_key).key
        own_kind = {outcome("no_correction").key: s.NO_CORRECTION, outcome("fee_unpaid").key: s.FEE_UNPAID}
        kind = own_kind.get(key, s.REPLIED)
        extra = {**(detail or {}), "outcome": key, **({"amend": True} if amend else {})}
        return self.record_event(case, kind, day, extra, user)

    def _refresh(self, conn: Connection, case_id: int) -> None:
        received, events = self._events_of(conn, case_id)
        sm = summarize(received, events, self.calendar)
        conn.execute(s.cases.update().where(s.cases.c.id == case_id).values(
            status=sm.status, waiting=sm.waiting, outcome=sm.outcome, closed_date=sm.closed_date,
            due_date=sm.due, updated_at=now()))

    def summary(self, case: int | str) -> Summary:
        """The case's `rag.register.casefile.Summary`: deadlines, waiting state and warnings, as of now."""
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
            at = now()
            lid = conn.execute(s.letters.insert().values(
                case_id=case_id, kind=kind, title=title, text=text, number=number, user=who, created_at=at,
            )).inserted_primary_key[0]
            self._audit(conn, who, "存档文书", case_id, kind=kind, title=title, number=number)
        return LetterRecord(lid, case_id, kind, title, text, number, who, at)

    def letters(self, case: int | str) -> list[LetterRecord]:
        """The letters kept for a case, oldest first."""
        with self._engine.connect() as conn:
            case_id = self._resolve(conn, case)
            rows = conn.execute(sa.select(s.letters).where(s.letters.c.case_id == case_id).order_by(s.letters.c.id))
            return [LetterRecord(r.id, r.case_id, r.kind, r.title, r.text, r.number, r.user, r.created_at)
                    for r in rows]

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
            return [row_case(r) for r in conn.execute(q)]

    def all_cases(self, agency: str | None = None) -> Iterator[Case]:
        """Every case with its events, oldest first (for export)."""
        with self._engine.connect() as conn:
            q = sa.select(s.cases).order_by(s.cases.c.id)
            if agency:
                q = q.where(s.cases.c.agency == agency)
            rows = conn.execute(q).all()
            by_case = self._events_by_case(conn, agency)
        for r in rows:
            yield row_case(r, by_case.get(r.id, ()))

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
        return row_case(row, self._events_of(conn, case_id)[1])

    def _events_of(self, conn: Connection, case_id: int) -> tuple[date, list[Event]]:
        received = conn.execute(sa.select(s.cases.c.received_date).where(s.cases.c.id == case_id)).scalar_one()
        rows = conn.execute(sa.select(s.events).where(s.events.c.case_id == case_id).order_by(s.events.c.id))
        return received, [row_event(r) for r in rows]

    def _events_by_case(self, conn: Connection, agency: str | None = None, *,
                        open_only: bool = False) -> dict[int, list[Event]]:
        q = sa.select(s.events).join(s.cases, s.cases.c.id == s.events.c.case_id).order_by(s.events.c.id)
        if agency:
            q = q.where(s.cases.c.agency == agency)
        if open_only:
            q = q.where(s.cases.c.status == s.STATUS_OPEN)
        out: dict[int, list[Event]] = {}
        for r in conn.execute(q):
            out.setdefault(r.case_id, []).append(row_event(r))
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
            case = row_case(r, by_case.get(r.id, ()))
            sm = summarize(case.received_date, case.events, self.calendar)
            if sm.due is not None:
                items.append(DueItem(case, "答复", sm.due, remaining(sm.due, today, self.calendar)))
            elif sm.waiting_until is not None:
                items.append(DueItem(case, f"{sm.waiting}期限", sm.waiting_until,
                                     remaining(sm.waiting_until, today, self.calendar)))
        return sorted(items, key=lambda i: (i.due, i.case.id))

    # ------------------------------------------------------------ export and import

    def export_csv(self, path: Path | str, agency: str | None = None) -> int:
        """Write every case with its events to a UTF-8 (BOM) CSV Excel opens; return the count."""
        from rag.register.sheets import write_csv

        return write_csv(self.all_cases(agency), Path(path))

    def export_xlsx(self, path: Path | str, agency: str | None = None) -> int:
        """Write every case with its events to an .xlsx workbook; return the count."""
        from rag.register.sheets import write_xlsx

        return write_xlsx(self.all_cases(agency), Path(path))

    def import_csv(self, path: Path | str, user: str | None = None) -> dict[str, Any]:
        """Import cases from a CSV written by `export_csv` (or typed in its columns)."""
        from rag.register.sheets import read_csv

        return self.import_cases(read_csv(Path(path)), user)

    def import_xlsx(self, path: Path | str, user: str | None = None) -> dict[str, Any]:
        """Import cases from an .xlsx written by `export_xlsx`."""
        from rag.register.sheets import read_xlsx

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
                row, events, seq = _import_row(rec, n, self.agency)
                if seq is not None and conn.execute(sa.select(s.cases.c.id).where(
                        s.cases.c.agency == row["agency"], s.cases.c.year == row["year"],
                        s.cases.c.seq == seq)).first():
                    skipped.append(f"{row['year']}-{seq:04d}")
                    continue
                case_id = self._insert_case(conn, row, events, str(rec.get("user") or who), seq)
                self._audit(conn, who, "导入", case_id, applicant=row["applicant_name"])
                added.append(case_id)
            self._audit(conn, who, "导入完成", None, added=len(added), skipped=skipped)
        return {"added": len(added), "skipped": skipped, "case_ids": added}


# ---------------------------------------------------------------- helpers


def _status(given: str) -> str:
    aliases = {"open": s.STATUS_OPEN, "closed": s.STATUS_CLOSED, "办结": s.STATUS_CLOSED, "在办": s.STATUS_OPEN}
    value = aliases.get(given.strip(), given.strip())
    if value not in s.STATUSES:
        raise BadInput(f"状态应为：{'、'.join(s.STATUSES)}，收到：{given!r}")
    return value


def _outcome_key(given: str) -> str:
    return outcome(given).key


def _import_row(rec: Mapping[str, Any], n: int,
                default_agency: str) -> tuple[dict[str, Any], list[dict[str, Any]], int | None]:
    """A record of register_io → (case row, event rows, seq or None); BadInput names the row."""
    from rag.register.sheets import import_row

    try:
        return import_row(rec, default_agency)
    except BadInput as exc:
        raise BadInput(f"第{n}条记录：{exc}") from exc


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container
        return "system"
