"""The register's tables (SQLAlchemy Core) and the closed vocabularies stored in them.

Internal to `rag.register.store`. The migrations in `rag/register/migrations/versions/` create exactly these
tables; a test compares the migrated database with this metadata, so the two cannot drift.
Dates of the procedure (received, event, closed, due) are DATE; moments of the audit trail
are local DATETIME (the office's own clock: that is what a clerk reads in the case file).
"""

from __future__ import annotations

import sqlalchemy as sa

# Every step of a request's life that the register records. 收到 is written by add_case.
RECEIVED = "收到"
CORRECTION_SENT = "补正告知"  # 第三十条: once, in writing, within 7 working days
CORRECTION_RECEIVED = "补正收到"  # 第三十条: the reply period runs anew from this day
EXTENSION = "延期"  # 第三十三条第二款: at most 20 more working days, applicant told
THIRD_PARTY_ASKED = "征求第三方意见"  # 第三十二条
THIRD_PARTY_ANSWERED = "第三方回复"
AGENCY_ASKED = "征求其他机关意见"  # 第三十四条
AGENCY_ANSWERED = "其他机关回复"
FEE_NOTICE = "缴费通知"  # 第四十二条, 处理费办法
FEE_PAID = "缴费"
REPLIED = "答复"
WITHDRAWN = "撤回"
NO_CORRECTION = "逾期不补正"
FEE_UNPAID = "逾期未缴费"
RECONSIDERATION = "行政复议"
LITIGATION = "行政诉讼"

EVENT_KINDS: tuple[str, ...] = (
    RECEIVED, CORRECTION_SENT, CORRECTION_RECEIVED, EXTENSION, THIRD_PARTY_ASKED, THIRD_PARTY_ANSWERED,
    AGENCY_ASKED, AGENCY_ANSWERED, FEE_NOTICE, FEE_PAID, REPLIED, WITHDRAWN, NO_CORRECTION, FEE_UNPAID,
    RECONSIDERATION, LITIGATION,
)

STATUS_OPEN = "办理中"
STATUS_CLOSED = "已办结"
STATUSES = (STATUS_OPEN, STATUS_CLOSED)

# Table 四 of the report: its three rows and the results a case can have.
REVIEW_KINDS: tuple[str, ...] = ("行政复议", "未经复议直接起诉", "复议后起诉")
REVIEW_RESULTS: tuple[str, ...] = ("维持", "纠正", "其他", "尚未审结")
PENDING = "尚未审结"

metadata = sa.MetaData()

cases = sa.Table(
    "cases", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agency", sa.String(200), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),  # year of receipt
    sa.Column("seq", sa.Integer, nullable=False),  # per agency and year: the 登记号 "2024-0012"
    sa.Column("request_text", sa.Text, nullable=False),
    sa.Column("fields", sa.JSON, nullable=False),  # rag.intake.parse.Request.to_json()
    sa.Column("applicant_name", sa.String(200), nullable=False),
    sa.Column("applicant_type", sa.String(20), nullable=False),
    sa.Column("applicant_id", sa.String(40), nullable=False),
    sa.Column("applicant_contact", sa.String(300), nullable=False),
    sa.Column("channel", sa.String(40), nullable=False),
    sa.Column("received_date", sa.Date, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("waiting", sa.String(10), nullable=False),  # "" | 补正 | 缴费: the clock is stopped
    sa.Column("outcome", sa.String(120), nullable=True),  # rag.core.outcomes Outcome.key; NULL while open
    sa.Column("closed_date", sa.Date, nullable=True),
    sa.Column("due_date", sa.Date, nullable=True),  # the reply date in force, recomputed at every event
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("agency", "year", "seq", name="uq_cases_agency_year_seq"),
)
sa.Index("ix_cases_received", cases.c.agency, cases.c.received_date)
sa.Index("ix_cases_status_due", cases.c.status, cases.c.due_date)
sa.Index("ix_cases_applicant_id", cases.c.applicant_id)
sa.Index("ix_cases_applicant_name", cases.c.applicant_name)

events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
    sa.Column("user", sa.String(100), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)
sa.Index("ix_events_case", events.c.case_id)
sa.Index("ix_events_kind_date", events.c.kind, events.c.date)

letters = sa.Table(
    "letters", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(60), nullable=False),  # an outcome code, "补正", "延期", …
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("number", sa.String(100), nullable=False),  # 文号, e.g. 瓯政办公开〔2024〕12号
    sa.Column("user", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
sa.Index("ix_letters_case", letters.c.case_id)

audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("user", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("case_id", sa.Integer, nullable=True),  # no foreign key: the trail outlives what it records
    sa.Column("detail", sa.JSON, nullable=False),
)
sa.Index("ix_audit_case", audit.c.case_id)

reviews = sa.Table(
    "reviews", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agency", sa.String(200), nullable=False),
    sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="SET NULL"), nullable=True),
    sa.Column("kind", sa.String(20), nullable=False),  # REVIEW_KINDS
    sa.Column("filed_date", sa.Date, nullable=False),
    sa.Column("result", sa.String(10), nullable=False),  # REVIEW_RESULTS; 尚未审结 until decided
    sa.Column("decided_date", sa.Date, nullable=True),
    sa.Column("detail", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)
sa.Index("ix_reviews_agency", reviews.c.agency, reviews.c.filed_date)

table2_figures = sa.Table(
    "table2_figures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agency", sa.String(200), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("row", sa.String(60), nullable=False),  # 规章, 行政规范性文件, 行政许可, …
    sa.Column("column", sa.String(60), nullable=False),  # 本年制发件数, 现行有效件数, …
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("agency", "year", "row", "column", name="uq_table2_cell"),
)
