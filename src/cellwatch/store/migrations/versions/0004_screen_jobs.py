"""Bulk screening jobs run by the API.

Written by hand, frozen: it does not import :mod:`cellwatch.store.tables`.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screen_jobs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("token_id", sa.Integer),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("input_name", sa.Text, nullable=False),
        sa.Column("input_bytes", sa.BigInteger, nullable=False),
        sa.Column("screen_date", sa.Date, nullable=False),
        sa.Column("mapping", JSONValue, nullable=False),
        sa.Column("output_format", sa.Text, nullable=False),
        sa.Column("stage", sa.Text),
        sa.Column("progress", sa.Float, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("worker", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("summary", JSONValue),
        sa.Column("error", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_screen_jobs"),
    )
    op.create_index("ix_screen_jobs_status", "screen_jobs", ["status"])


def downgrade() -> None:
    op.drop_index("ix_screen_jobs_status", table_name="screen_jobs")
    op.drop_table("screen_jobs")
