"""The initial schema: records, their child tables, the registry version and the audit log.

Written by hand, frozen: it does not import :mod:`cellwatch.store.tables`, which will move
on. A test checks that this migration (with those after it) builds exactly ``metadata``.

Revision ID: 0001
Revises:
Create Date: 2025-11-22
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BigKey = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Digest = sa.String(64)


def _partial_date(name: str, *, nullable: bool = True) -> list[sa.Column[Any]]:
    return [
        sa.Column(name, sa.String(10), nullable=nullable),
        sa.Column(f"{name}_first", sa.Date, nullable=nullable),
        sa.Column(f"{name}_last", sa.Date, nullable=nullable),
    ]


def _text(name: str) -> list[sa.Column[Any]]:
    return [sa.Column(f"{name}_en", sa.Text), sa.Column(f"{name}_zh", sa.Text)]


def _record_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("sources", JSONValue, nullable=False),
        sa.Column("digest", Digest, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text),
        sa.Column("url", sa.Text, nullable=False),
        *_partial_date("published"),
        sa.Column("language", sa.Text),
        sa.Column("digest", Digest, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
    )
    op.create_table(
        "companies",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("names", JSONValue, nullable=False),
        sa.Column("aliases", JSONValue, nullable=False),
        sa.Column("roles", JSONValue, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("identifiers", JSONValue, nullable=False),
        sa.Column("note", sa.Text),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_companies"),
    )
    op.create_table(
        "company_links",
        sa.Column("company_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("to_id", sa.Text, nullable=False),
        *_partial_date("since"),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("company_id", "position", name="pk_company_links"),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name="fk_company_links_company_id_companies",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_company_links_to_id", "company_links", ["to_id"])
    op.create_table(
        "products",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("brand", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("model_key", sa.Text, nullable=False),
        sa.Column("names", JSONValue, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("capacity_mah", sa.Integer),
        sa.Column("voltage_v", sa.Double),
        sa.Column("energy_wh", sa.Double),
        sa.Column("output_w", sa.Double),
        sa.Column("certificates", JSONValue, nullable=False),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_products"),
        sa.UniqueConstraint("brand", "model_key", name="uq_products_brand_model_key"),
        sa.ForeignKeyConstraint(["brand"], ["companies.id"], name="fk_products_brand_companies"),
    )
    op.create_index("ix_products_model_key", "products", ["model_key"])
    op.create_table(
        "cell_lots",
        sa.Column("lot", sa.Text, nullable=False),
        sa.Column("cell_maker", sa.Text, nullable=False),
        sa.Column("factory", sa.Text),
        sa.Column("cell_model", sa.Text),
        *_partial_date("produced_from"),
        *_partial_date("produced_to"),
        sa.Column("note", sa.Text),
        *_record_columns(),
        sa.PrimaryKeyConstraint("lot", name="pk_cell_lots"),
    )
    op.create_index("ix_cell_lots_cell_maker", "cell_lots", ["cell_maker"])
    op.create_table(
        "batches",
        sa.Column("id", BigKey, nullable=False),
        sa.Column("brand", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("model_key", sa.Text, nullable=False),
        sa.Column("batch", sa.Text, nullable=False),
        sa.Column("batch_key", sa.Text, nullable=False),
        *_partial_date("produced_from"),
        *_partial_date("produced_to"),
        sa.Column("serial_from", sa.Text),
        sa.Column("serial_to", sa.Text),
        sa.Column("units", sa.BigInteger),
        sa.Column("cell_maker", sa.Text),
        sa.Column("cell_lot", sa.Text),
        sa.Column("note", sa.Text),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_batches"),
        sa.UniqueConstraint(
            "brand", "model_key", "batch_key", name="uq_batches_brand_model_key_batch_key"
        ),
        sa.ForeignKeyConstraint(
            ["brand", "model_key"],
            ["products.brand", "products.model_key"],
            name="fk_batches_products",
        ),
    )
    op.create_index("ix_batches_cell_maker", "batches", ["cell_maker"])
    op.create_index("ix_batches_cell_lot", "batches", ["cell_lot"])
    op.create_table(
        "certificates",
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("scheme", sa.Text, nullable=False),
        sa.Column("holder", sa.Text, nullable=False),
        sa.Column("factory", sa.Text),
        sa.Column("product_kind", sa.Text, nullable=False),
        sa.Column("models", JSONValue, nullable=False),
        sa.Column("standards", JSONValue, nullable=False),
        *_partial_date("issued"),
        *_partial_date("expires"),
        sa.Column("number_published", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text),
        *_record_columns(),
        sa.PrimaryKeyConstraint("number", name="pk_certificates"),
        sa.ForeignKeyConstraint(
            ["holder"], ["companies.id"], name="fk_certificates_holder_companies"
        ),
    )
    op.create_index("ix_certificates_holder", "certificates", ["holder"])
    op.create_table(
        "certificate_status",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        *_partial_date("date", nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("reason_zh", sa.Text),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_certificate_status"),
        sa.UniqueConstraint(
            "number", "date", "status", name="uq_certificate_status_number_date_status"
        ),
    )
    op.create_table(
        "recalls",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("issuer", sa.Text, nullable=False),
        sa.Column("authority", sa.Text, nullable=False),
        sa.Column("market", sa.Text, nullable=False),
        *_partial_date("announced", nullable=False),
        *_text("title"),
        *_text("hazard"),
        *_text("cause"),
        sa.Column("remedies", JSONValue, nullable=False),
        *_text("claim"),
        sa.Column("units", sa.BigInteger),
        sa.Column("units_approximate", sa.Boolean, nullable=False),
        sa.Column("incidents", sa.BigInteger),
        sa.Column("injuries", sa.BigInteger),
        sa.Column("sold", JSONValue, nullable=False),
        sa.Column("contacts", JSONValue, nullable=False),
        sa.Column("revisions", JSONValue, nullable=False),
        sa.Column("note", sa.Text),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_recalls"),
        sa.ForeignKeyConstraint(["issuer"], ["companies.id"], name="fk_recalls_issuer_companies"),
    )
    op.create_index("ix_recalls_issuer", "recalls", ["issuer"])
    op.create_table(
        "recall_scope",
        sa.Column("recall_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("brand", sa.Text),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("model_key", sa.Text, nullable=False),
        sa.Column("batches", JSONValue, nullable=False),
        sa.Column("produced", JSONValue, nullable=False),
        sa.Column("serials", JSONValue, nullable=False),
        sa.Column("serial_ranges", JSONValue, nullable=False),
        sa.Column("serial_patterns", JSONValue, nullable=False),
        sa.Column("units", sa.BigInteger),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("recall_id", "position", name="pk_recall_scope"),
        sa.ForeignKeyConstraint(
            ["recall_id"],
            ["recalls.id"],
            name="fk_recall_scope_recall_id_recalls",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_recall_scope_model_key", "recall_scope", ["model_key"])
    op.create_table(
        "incidents",
        sa.Column("id", sa.Text, nullable=False),
        *_partial_date("date", nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("place", sa.Text),
        sa.Column("flight", sa.Text),
        sa.Column("brand", sa.Text),
        sa.Column("model", sa.Text),
        sa.Column("serial", sa.Text),
        sa.Column("batch", sa.Text),
        sa.Column("severity", sa.Text),
        sa.Column("injuries", sa.BigInteger),
        sa.Column("damage", sa.Text),
        sa.Column("description", sa.Text),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
    )
    op.create_index("ix_incidents_brand", "incidents", ["brand"])
    meta = op.create_table(
        "registry_meta",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("audit_head", Digest, nullable=False),
        sa.Column("audit_count", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_registry_meta"),
        sa.CheckConstraint("id = 1", name="ck_registry_meta_single_row"),
    )
    op.bulk_insert(meta, [{"id": 1, "version": 0, "audit_head": "0" * 64, "audit_count": 0}])
    op.create_table(
        "audit_log",
        sa.Column("seq", BigKey, nullable=False, autoincrement=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("action", sa.String(6), nullable=False),
        sa.Column("before_digest", Digest),
        sa.Column("after_digest", Digest),
        sa.Column("after", sa.Text),
        sa.Column("prev_hash", Digest, nullable=False),
        sa.Column("hash", Digest, nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_kind_key", "audit_log", ["kind", "key"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "registry_meta",
        "incidents",
        "recall_scope",
        "recalls",
        "certificate_status",
        "certificates",
        "batches",
        "cell_lots",
        "products",
        "company_links",
        "companies",
        "sources",
    ):
        op.drop_table(table)
