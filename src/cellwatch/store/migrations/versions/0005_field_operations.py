"""Field operations: incident intake, recall claims, checkpoint records.

Written by hand, frozen: it does not import :mod:`cellwatch.store.tables`.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BigKey = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Digest = sa.String(64)
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "incident_duplicates",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("incident", JSONValue, nullable=False),
        sa.Column("existing_id", sa.Text, nullable=False),
        sa.Column("reasons", JSONValue, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("reported_at", Stamp, nullable=False),
        sa.Column("reported_by", sa.Text, nullable=False),
        sa.Column("decided_at", Stamp),
        sa.Column("decided_by", sa.Text),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_incident_duplicates"),
    )
    op.create_index(
        "ix_incident_duplicates_existing_id", "incident_duplicates", ["existing_id"]
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("recall_id", sa.Text, nullable=False),
        sa.Column("brand", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("serial", sa.Text, nullable=False),
        sa.Column("serial_key", sa.Text, nullable=False),
        sa.Column("batch", sa.Text),
        sa.Column("remedy", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("secret_hash", Digest, nullable=False),
        sa.Column("contact_salt", sa.String(32)),
        sa.Column("contact_name", sa.Text),
        sa.Column("contact_email", sa.Text),
        sa.Column("contact_phone", sa.Text),
        sa.Column("erased_at", Stamp),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.ForeignKeyConstraint(["recall_id"], ["recalls.id"], name="fk_claims_recall_id_recalls"),
        sa.UniqueConstraint("recall_id", "serial_key", name="uq_claims_recall_id_serial_key"),
    )
    op.create_index("ix_claims_recall_id", "claims", ["recall_id"])
    op.create_table(
        "claim_events",
        sa.Column("id", BigKey, nullable=False),
        sa.Column("claim_id", sa.Text, nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_claim_events"),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name="fk_claim_events_claim_id_claims",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_claim_events_claim_id", "claim_events", ["claim_id"])
    op.create_table(
        "claim_photos",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("claim_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("media_type", sa.Text, nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("sha256", Digest, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_claim_photos"),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name="fk_claim_photos_claim_id_claims",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("claim_id", "position", name="uq_claim_photos_claim_id_position"),
    )
    op.create_table(
        "checkpoint_locations",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_zh", sa.Text),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("days_free", sa.Integer, nullable=False),
        sa.Column("fee_per_day_cents", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("max_days", sa.Integer, nullable=False),
        sa.Column("not_storable", JSONValue, nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checkpoint_locations"),
    )
    op.create_table(
        "checkpoint_tokens",
        sa.Column("token_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("location_id", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("token_id", name="pk_checkpoint_tokens"),
        sa.ForeignKeyConstraint(
            ["token_id"], ["api_tokens.id"], name="fk_checkpoint_tokens_token_id_api_tokens",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["checkpoint_locations.id"],
            name="fk_checkpoint_tokens_location_id_checkpoint_locations",
        ),
    )
    op.create_table(
        "checkpoint_cases",
        sa.Column("id", BigKey, nullable=False),
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("opened_at", Stamp, nullable=False),
        sa.Column("brand", sa.Text),
        sa.Column("model", sa.Text),
        sa.Column("serial", sa.Text),
        sa.Column("serial_key", sa.Text),
        sa.Column("batch", sa.Text),
        sa.Column("state", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checkpoint_cases"),
        sa.ForeignKeyConstraint(
            ["location_id"], ["checkpoint_locations.id"],
            name="fk_checkpoint_cases_location_id_checkpoint_locations",
        ),
    )
    op.create_index("ix_checkpoint_cases_serial_key", "checkpoint_cases", ["serial_key"])
    op.create_index(
        "ix_checkpoint_cases_location_id_opened_at", "checkpoint_cases",
        ["location_id", "opened_at"],
    )
    op.create_table(
        "checkpoint_records",
        sa.Column("id", BigKey, nullable=False),
        sa.Column("case_id", sa.BigInteger, nullable=False),
        sa.Column("location_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("at", Stamp, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("receipt", sa.Text),
        sa.Column("deadline", sa.Date),
        sa.Column("free_until", sa.Date),
        sa.Column("fee_per_day_cents", sa.BigInteger),
        sa.Column("currency", sa.String(3)),
        sa.Column("fee_cents", sa.BigInteger),
        sa.Column("recycler", sa.Text),
        sa.Column("recycler_licence", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_checkpoint_records"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["checkpoint_cases.id"],
            name="fk_checkpoint_records_case_id_checkpoint_cases",
        ),
        sa.UniqueConstraint(
            "location_id", "receipt", name="uq_checkpoint_records_location_id_receipt"
        ),
    )
    op.create_index("ix_checkpoint_records_case_id", "checkpoint_records", ["case_id"])
    op.create_index(
        "ix_checkpoint_records_location_id_at", "checkpoint_records", ["location_id", "at"]
    )


def downgrade() -> None:
    for table in (
        "checkpoint_records",
        "checkpoint_cases",
        "checkpoint_tokens",
        "checkpoint_locations",
        "claim_photos",
        "claim_events",
        "claims",
        "incident_duplicates",
    ):
        op.drop_table(table)
