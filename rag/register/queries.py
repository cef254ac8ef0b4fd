"""What the register answers beyond one case: repeat checks for triage, and the annual report's inputs.

Part of `rag.register.store.Register` (a mixin over its engine, write transaction and audit):
重复申请 candidates and monthly counts per applicant (pure rules in `rag.register.repeats`);
reconsiderations and suits with their results (table 四); the 主动公开 figures the office
enters for table 二; and the plain facts `rag.annual` and `rag.charts` compute from.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from rag.register import schema as s
from rag.annual import FIRST_YEAR, AnnualInputs, CaseFacts, ReviewFacts, table2_cell
from rag.register.casefile import Case, Review, check_review
from rag.core.errors import BadInput
from rag.intake.parse import Request
from rag.register.db import jsonable, now, row_case
from rag.register.repeats import (
    REPEAT_THRESHOLD, MonthlyCount, RepeatCandidate, month_key, monthly_count, norm_id, norm_name,
    same_applicant, similarity,
)


class Queries:
    """Repeat checks, table 四 and table 二 records, and the facts of a year's report."""

    _engine: Engine
    agency: str
    user: str

    def _write(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError

    def _audit(self, conn: Connection, user: str | None, action: str, case_id: int | None, **detail: Any) -> None:
        raise NotImplementedError

    def _resolve(self, conn: Connection, case: int | str) -> int:
        raise NotImplementedError

    def _load(self, conn: Connection, case_id: int) -> Case:
        raise NotImplementedError

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
            rows = [row_case(r) for r in conn.execute(q)]
        return [r for r in rows
                if r.id != exclude and same_applicant(name, id_number, r.applicant_name, r.applicant_id)]

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
        check_review(s.REVIEW_KINDS[0], result, date.min, decided)
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
        check_review(kind, result, filed, decided)
        return conn.execute(s.reviews.insert().values(
            agency=agency, case_id=case_id, kind=kind, filed_date=filed, result=result,
            decided_date=None if result == s.PENDING else decided, detail=jsonable(dict(detail)),
            created_at=now())).inserted_primary_key[0]

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
        if not FIRST_YEAR <= year <= 2100:
            raise BadInput(f"年度应为四位数字年份，收到：{year!r}")
        row, column = table2_cell(row, column)
        ag = agency or self.agency
        t = s.table2_figures
        with self._write() as conn:
            conn.execute(t.delete().where(t.c.agency == ag, t.c.year == year, t.c.row == row, t.c.column == column))
            conn.execute(t.insert().values(agency=ag, year=year, row=row, column=column, value=value, updated_at=now()))
            self._audit(conn, user, "录入表二", None, year=year, row=row, column=column, value=value)

    def figures(self, year: int, agency: str | None = None) -> dict[str, dict[str, int | float]]:
        """Table 二 figures entered for a year: row → column → value."""
        t = s.table2_figures
        out: dict[str, dict[str, int | float]] = {}
        with self._engine.connect() as conn:
            q = sa.select(t).where(t.c.agency == (agency or self.agency), t.c.year == year).order_by(t.c.id)
            for r in conn.execute(q):
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
            r = s.reviews.c
            reviews = tuple(ReviewFacts(x.kind, x.filed_date, x.result, x.decided_date) for x in conn.execute(
                sa.select(r.kind, r.filed_date, r.result, r.decided_date).where(r.agency == ag, r.filed_date <= end)))
            e = s.events.c
            fees = tuple((d, float(detail.get("amount", 0))) for d, detail in conn.execute(
                sa.select(e.date, e.detail).join(s.cases, c.id == e.case_id).where(
                    c.agency == ag, e.kind == s.FEE_PAID, e.date >= date(year, 1, 1), e.date <= end)))
        return AnnualInputs(ag, year, cases, reviews, {y: self.figures(y, ag) for y in (year - 1, year)},
                            fees, has_previous=earlier > 0)

    def case_facts(self, agency: str | None = None) -> list[CaseFacts]:
        """Every case as plain facts (received, closed, outcome, type, due) for charts."""
        c = s.cases.c
        q = sa.select(c.received_date, c.closed_date, c.outcome, c.applicant_type, c.due_date)
        ag = agency if agency is not None else self.agency
        if ag:
            q = q.where(c.agency == ag)
        with self._engine.connect() as conn:
            return [CaseFacts(*r) for r in conn.execute(q)]


def _who_what(request: Request | Mapping[str, Any]) -> tuple[str, str, str]:
    if isinstance(request, Request):
        return request.applicant.name, request.applicant.id_number, request.description
    applicant = request.get("applicant")
    inner = applicant if isinstance(applicant, Mapping) else {}
    name = str(request.get("name") or request.get("applicant_name") or inner.get("name") or "")
    id_number = str(request.get("id_number") or request.get("applicant_id") or inner.get("id_number") or "")
    return name, id_number, str(request.get("description") or "")


def _review(r: Any) -> Review:
    return Review(r.id, r.agency, r.case_id, r.kind, r.filed_date, r.result, r.decided_date)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise BadInput(f"日期应写作 YYYY-MM-DD，收到：{value!r}") from exc
    return None
