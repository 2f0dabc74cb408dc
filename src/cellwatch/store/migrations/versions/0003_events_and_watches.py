"""The change feed (event outbox), watches and webhook deliveries.

Written by hand, frozen: it does not import :mod:`cellwatch.store.tables`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BigKey = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", BigKey, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("title_en", sa.Text, nullable=False),
        sa.Column("title_zh", sa.Text),
        sa.Column("record", JSONValue, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.UniqueConstraint("event_id", name="uq_events_event_id"),
    )
    op.create_index("ix_events_type", "events", ["type"])
    op.create_table(
        "event_subjects",
        sa.Column("event", BigKey, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("event", "subject", "value", name="pk_event_subjects"),
        sa.ForeignKeyConstraint(["event"], ["events.id"], name="fk_event_subjects_event_events"),
    )
    op.create_index(
        "ix_event_subjects_subject_value_event", "event_subjects", ["subject", "value", "event"]
    )
    op.create_table(
        "watches",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("types", JSONValue, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True)),
        sa.Column("last_event", BigKey, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_watches"),
    )
    op.create_table(
        "watch_subjects",
        sa.Column("watch", sa.Integer, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("watch", "subject", "value", name="pk_watch_subjects"),
        sa.ForeignKeyConstraint(
            ["watch"], ["watches.id"], name="fk_watch_subjects_watch_watches"
        ),
    )
    op.create_table(
        "watch_units",
        sa.Column("watch", sa.Integer, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("label", sa.Text),
        sa.Column("brand", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("serial", sa.Text),
        sa.Column("batch", sa.Text),
        sa.Column("produced", sa.String(10)),
        sa.PrimaryKeyConstraint("watch", "line", name="pk_watch_units"),
        sa.ForeignKeyConstraint(["watch"], ["watches.id"], name="fk_watch_units_watch_watches"),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", BigKey, nullable=False),
        sa.Column("watch", sa.Integer, nullable=False),
        sa.Column("event", BigKey, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("worker", sa.Text),
        sa.Column("matched", JSONValue, nullable=False),
        sa.Column("last_status", sa.Integer),
        sa.Column("last_error", sa.Text),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("watch", "event", name="uq_deliveries_watch_event"),
        sa.ForeignKeyConstraint(["watch"], ["watches.id"], name="fk_deliveries_watch_watches"),
        sa.ForeignKeyConstraint(["event"], ["events.id"], name="fk_deliveries_event_events"),
    )
    op.create_index("ix_deliveries_status_due_at", "deliveries", ["status", "due_at"])


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("watch_units")
    op.drop_table("watch_subjects")
    op.drop_table("watches")
    op.drop_table("event_subjects")
    op.drop_table("events")
