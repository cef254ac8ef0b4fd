"""Cases, their events and letters, and the audit trail.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("request_text", sa.Text, nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("applicant_name", sa.String(200), nullable=False),
        sa.Column("applicant_type", sa.String(20), nullable=False),
        sa.Column("applicant_id", sa.String(40), nullable=False),
        sa.Column("applicant_contact", sa.String(300), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("received_date", sa.Date, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("waiting", sa.String(10), nullable=False),
        sa.Column("outcome", sa.String(120), nullable=True),
        sa.Column("closed_date", sa.Date, nullable=True),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("agency", "year", "seq", name="uq_cases_agency_year_seq"),
    )
    op.create_index("ix_cases_received", "cases", ["agency", "received_date"])
    op.create_index("ix_cases_status_due", "cases", ["status", "due_date"])
    op.create_index("ix_cases_applicant_id", "cases", ["applicant_id"])
    op.create_index("ix_cases_applicant_name", "cases", ["applicant_name"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_events_case", "events", ["case_id"])
    op.create_index("ix_events_kind_date", "events", ["kind", "date"])
    op.create_table(
        "letters",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_letters_case", "letters", ["case_id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("case_id", sa.Integer, nullable=True),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_audit_case", "audit", ["case_id"])


def downgrade() -> None:
    for table in ("audit", "letters", "events", "cases"):
        op.drop_table(table)
