"""Inputs of the annual report that are not cases: table 四 (reviews) and table 二 (entered figures).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="SET NULL"), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filed_date", sa.Date, nullable=False),
        sa.Column("result", sa.String(10), nullable=False),
        sa.Column("decided_date", sa.Date, nullable=True),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reviews_agency", "reviews", ["agency", "filed_date"])
    op.create_table(
        "table2_figures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("row", sa.String(60), nullable=False),
        sa.Column("column", sa.String(60), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("agency", "year", "row", "column", name="uq_table2_cell"),
    )


def downgrade() -> None:
    op.drop_table("table2_figures")
    op.drop_table("reviews")
