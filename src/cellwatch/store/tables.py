"""The database schema: one table per kind of record, plus the registry's version and audit log.

Every scalar field of a record is a real column, named after the field. Lists and mappings
of plain values (aliases, roles, sources, …) are JSON columns (JSONB on PostgreSQL). A
partial date ``x`` (``2025``, ``2025-06``, ``2025-06-16``) is kept as given in ``x`` and
as the span of days it covers in ``x_first`` and ``x_last`` for filtering in SQL. Bilingual
texts ``x`` are ``x_en`` and ``x_zh``. The folded codes a record is keyed by
(:func:`~cellwatch.domain.names.model_key`) are columns too (``model_key``, ``batch_key``)
so that keys are unique in the database exactly as in the domain.

Every record table has ``digest``, the record's :meth:`~cellwatch.domain.records.Record.digest`,
so that loading compares content without reading records back.

Foreign keys stand only where a reference must exist: the brand of a product, the holder
of a certificate, the issuer of a recall (companies), and the product of a batch.

``api_tokens`` holds the API's bearer tokens (hashed); they are not registry records.

The Alembic migrations in ``store/migrations/versions`` create exactly this schema; a test
compares them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: JSON on SQLite, JSONB on PostgreSQL (indexable, compact).
JSONValue = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
#: A 64-bit integer key that is still SQLite's rowid (``INTEGER PRIMARY KEY``).
BigKey = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Digest = sa.String(64)


def _partial_date(name: str, *, nullable: bool = True) -> list[sa.Column[Any]]:
    """A partial date as given, plus the first and last day it covers."""
    return [
        sa.Column(name, sa.String(10), nullable=nullable),
        sa.Column(f"{name}_first", sa.Date, nullable=nullable),
        sa.Column(f"{name}_last", sa.Date, nullable=nullable),
    ]


def _text(name: str) -> list[sa.Column[Any]]:
    """A bilingual text: English, and Simplified Chinese when known."""
    return [sa.Column(f"{name}_en", sa.Text), sa.Column(f"{name}_zh", sa.Text)]


def _record_columns() -> list[sa.Column[Any]]:
    """What every record table ends with: its sources and its content digest."""
    return [
        sa.Column("sources", JSONValue, nullable=False),
        sa.Column("digest", Digest, nullable=False),
    ]


sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("publisher", sa.Text),
    sa.Column("url", sa.Text, nullable=False),
    *_partial_date("published"),
    sa.Column("language", sa.Text),
    sa.Column("digest", Digest, nullable=False),
)

companies = sa.Table(
    "companies",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("names", JSONValue, nullable=False),
    sa.Column("aliases", JSONValue, nullable=False),
    sa.Column("roles", JSONValue, nullable=False),
    sa.Column("country", sa.String(2)),
    sa.Column("identifiers", JSONValue, nullable=False),
    sa.Column("note", sa.Text),
    *_record_columns(),
)

company_links = sa.Table(
    "company_links",
    metadata,
    sa.Column(
        "company_id",
        sa.Text,
        sa.ForeignKey("companies.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("to_id", sa.Text, nullable=False, index=True),
    *_partial_date("since"),
    sa.Column("note", sa.Text),
)

products = sa.Table(
    "products",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("brand", sa.Text, sa.ForeignKey("companies.id"), nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("model_key", sa.Text, nullable=False, index=True),
    sa.Column("names", JSONValue, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("capacity_mah", sa.Integer),
    sa.Column("voltage_v", sa.Double),
    sa.Column("energy_wh", sa.Double),
    sa.Column("output_w", sa.Double),
    sa.Column("certificates", JSONValue, nullable=False),
    *_record_columns(),
    sa.UniqueConstraint("brand", "model_key"),
)

cell_lots = sa.Table(
    "cell_lots",
    metadata,
    sa.Column("lot", sa.Text, primary_key=True),
    sa.Column("cell_maker", sa.Text, nullable=False, index=True),
    sa.Column("factory", sa.Text),
    sa.Column("cell_model", sa.Text),
    *_partial_date("produced_from"),
    *_partial_date("produced_to"),
    sa.Column("note", sa.Text),
    *_record_columns(),
)

batches = sa.Table(
    "batches",
    metadata,
    sa.Column("id", BigKey, primary_key=True),
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
    sa.Column("cell_maker", sa.Text, index=True),
    sa.Column("cell_lot", sa.Text, index=True),
    sa.Column("note", sa.Text),
    *_record_columns(),
    sa.UniqueConstraint("brand", "model_key", "batch_key"),
    sa.ForeignKeyConstraint(
        ["brand", "model_key"],
        ["products.brand", "products.model_key"],
        name="fk_batches_products",
    ),
)

certificates = sa.Table(
    "certificates",
    metadata,
    sa.Column("number", sa.Text, primary_key=True),
    sa.Column("scheme", sa.Text, nullable=False),
    sa.Column("holder", sa.Text, sa.ForeignKey("companies.id"), nullable=False, index=True),
    sa.Column("factory", sa.Text),
    sa.Column("product_kind", sa.Text, nullable=False),
    sa.Column("models", JSONValue, nullable=False),
    sa.Column("standards", JSONValue, nullable=False),
    *_partial_date("issued"),
    *_partial_date("expires"),
    sa.Column("number_published", sa.Boolean, nullable=False),
    sa.Column("note", sa.Text),
    *_record_columns(),
)

certificate_status = sa.Table(
    "certificate_status",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    *_partial_date("date", nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("reason_zh", sa.Text),
    *_record_columns(),
    sa.UniqueConstraint("number", "date", "status"),
)

recalls = sa.Table(
    "recalls",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("issuer", sa.Text, sa.ForeignKey("companies.id"), nullable=False, index=True),
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
)

recall_scope = sa.Table(
    "recall_scope",
    metadata,
    sa.Column(
        "recall_id",
        sa.Text,
        sa.ForeignKey("recalls.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("brand", sa.Text),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("model_key", sa.Text, nullable=False, index=True),
    sa.Column("batches", JSONValue, nullable=False),
    sa.Column("produced", JSONValue, nullable=False),
    sa.Column("serials", JSONValue, nullable=False),
    sa.Column("serial_ranges", JSONValue, nullable=False),
    sa.Column("serial_patterns", JSONValue, nullable=False),
    sa.Column("units", sa.BigInteger),
    sa.Column("note", sa.Text),
)

incidents = sa.Table(
    "incidents",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    *_partial_date("date", nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("place", sa.Text),
    sa.Column("flight", sa.Text),
    sa.Column("brand", sa.Text, index=True),
    sa.Column("model", sa.Text),
    sa.Column("serial", sa.Text),
    sa.Column("batch", sa.Text),
    sa.Column("severity", sa.Text),
    sa.Column("injuries", sa.BigInteger),
    sa.Column("damage", sa.Text),
    sa.Column("description", sa.Text),
    *_record_columns(),
)

registry_meta = sa.Table(
    "registry_meta",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("audit_head", Digest, nullable=False),
    sa.Column("audit_count", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True)),
    sa.CheckConstraint("id = 1", name="single_row"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", BigKey, primary_key=True, autoincrement=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("action", sa.String(6), nullable=False),
    sa.Column("before_digest", Digest),
    sa.Column("after_digest", Digest),
    # the record after the change as canonical JSON text: exactly what the hash covers
    sa.Column("after", sa.Text),
    sa.Column("prev_hash", Digest, nullable=False),
    sa.Column("hash", Digest, nullable=False),
    sa.Index(None, "kind", "key"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("company", sa.Text, sa.ForeignKey("companies.id")),
    # only the SHA-256 of the secret is kept: the secret is shown once, when created
    sa.Column("token_hash", Digest, nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)

#: The single row of ``registry_meta``, and the hash the audit chain starts from.
META_ID = 1
GENESIS_HASH = "0" * 64

#: The table of each kind of record, by :class:`~cellwatch.domain.registry.RegistryData` field.
RECORD_TABLES: dict[str, sa.Table] = {
    "sources": sources,
    "companies": companies,
    "products": products,
    "cell_lots": cell_lots,
    "batches": batches,
    "certificates": certificates,
    "certificate_status": certificate_status,
    "recalls": recalls,
    "incidents": incidents,
}


# -- the change feed and alerts (migration 0003) -------------------------------------------
# Not registry records: events are appended in the same transaction as the write that
# emits them (the outbox); watches and their deliveries are the alert worker's queue.

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", BigKey, primary_key=True),  # the feed's cursor (``since``)
    sa.Column("event_id", sa.String(36), nullable=False, unique=True),  # for de-duplication
    sa.Column("type", sa.Text, nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("title_en", sa.Text, nullable=False),
    sa.Column("title_zh", sa.Text),
    sa.Column("record", JSONValue, nullable=False),
)

event_subjects = sa.Table(
    "event_subjects",
    metadata,
    sa.Column("event", BigKey, sa.ForeignKey("events.id"), primary_key=True),
    sa.Column("subject", sa.Text, primary_key=True),  # brand, company, model, certificate
    sa.Column("value", sa.Text, primary_key=True),
    sa.Index(None, "subject", "value", "event"),
)

watches = sa.Table(
    "watches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("owner", sa.Text, nullable=False),  # the actor who made it
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("secret", sa.Text, nullable=False),  # the HMAC key: needed to sign, so kept
    sa.Column("types", JSONValue, nullable=False),  # event types; empty = every type
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("removed_at", sa.DateTime(timezone=True)),
    sa.Column("last_event", BigKey, nullable=False),  # events up to here are fanned out
)

watch_subjects = sa.Table(
    "watch_subjects",
    metadata,
    sa.Column("watch", sa.Integer, sa.ForeignKey("watches.id"), primary_key=True),
    sa.Column("subject", sa.Text, primary_key=True),  # brand, company, model
    sa.Column("value", sa.Text, primary_key=True),
)

watch_units = sa.Table(
    "watch_units",
    metadata,
    sa.Column("watch", sa.Integer, sa.ForeignKey("watches.id"), primary_key=True),
    sa.Column("line", sa.Integer, primary_key=True),
    sa.Column("label", sa.Text),  # the owner's own reference (SKU, asset tag)
    sa.Column("brand", sa.Text, nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("serial", sa.Text),
    sa.Column("batch", sa.Text),
    sa.Column("produced", sa.String(10)),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("id", BigKey, primary_key=True),
    sa.Column("watch", sa.Integer, sa.ForeignKey("watches.id"), nullable=False),
    sa.Column("event", BigKey, sa.ForeignKey("events.id"), nullable=False),
    sa.Column("status", sa.Text, nullable=False),  # pending, sending, delivered, failed
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("lease_until", sa.DateTime(timezone=True)),
    sa.Column("worker", sa.Text),
    sa.Column("matched", JSONValue, nullable=False),  # why the watch matched the event
    sa.Column("last_status", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("watch", "event"),
    sa.Index(None, "status", "due_at"),
)


# -- field operations: incident intake, recall claims, checkpoint records (migration 0005) --
#
# None of these are registry records: writes to them are audited with ``registry=False``
# (the registry version does not move). Personal data (a claimant's contact, photos) lives
# only here, never in the audit log, so that ``cellwatch claims erase`` can remove it.

incident_duplicates = sa.Table(
    "incident_duplicates",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    # the incident as reported (its canonical form), held back as a likely duplicate
    sa.Column("incident", JSONValue, nullable=False),
    sa.Column("existing_id", sa.Text, nullable=False, index=True),
    sa.Column("reasons", JSONValue, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reported_by", sa.Text, nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("decided_by", sa.Text),
    sa.Column("note", sa.Text),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("recall_id", sa.Text, sa.ForeignKey("recalls.id"), nullable=False, index=True),
    sa.Column("brand", sa.Text, nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("serial", sa.Text, nullable=False),
    sa.Column("serial_key", sa.Text, nullable=False),
    sa.Column("batch", sa.Text),
    sa.Column("remedy", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("note", sa.Text),
    # only the SHA-256 of the secret a claimant follows the claim with
    sa.Column("secret_hash", Digest, nullable=False),
    # personal data: removed by ``claims erase`` (the salt too, so the audited digest of
    # the contact can no longer be linked to anyone)
    sa.Column("contact_salt", sa.String(32)),
    sa.Column("contact_name", sa.Text),
    sa.Column("contact_email", sa.Text),
    sa.Column("contact_phone", sa.Text),
    sa.Column("erased_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("recall_id", "serial_key"),
)

claim_events = sa.Table(
    "claim_events",
    metadata,
    sa.Column("id", BigKey, primary_key=True),
    sa.Column(
        "claim_id", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False,
        index=True,
    ),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("note", sa.Text),
)

claim_photos = sa.Table(
    "claim_photos",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "claim_id", sa.Text, sa.ForeignKey("claims.id", ondelete="CASCADE"), nullable=False,
    ),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("media_type", sa.Text, nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("sha256", Digest, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.UniqueConstraint("claim_id", "position"),
)

checkpoint_locations = sa.Table(
    "checkpoint_locations",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_zh", sa.Text),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("days_free", sa.Integer, nullable=False),
    sa.Column("fee_per_day_cents", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("max_days", sa.Integer, nullable=False),
    sa.Column("not_storable", JSONValue, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# a checkpoint token records for one location
checkpoint_tokens = sa.Table(
    "checkpoint_tokens",
    metadata,
    sa.Column(
        "token_id", sa.Integer, sa.ForeignKey("api_tokens.id", ondelete="CASCADE"),
        primary_key=True, autoincrement=False,
    ),
    sa.Column(
        "location_id", sa.Text, sa.ForeignKey("checkpoint_locations.id"), nullable=False,
    ),
)

checkpoint_cases = sa.Table(
    "checkpoint_cases",
    metadata,
    sa.Column("id", BigKey, primary_key=True),
    sa.Column(
        "location_id", sa.Text, sa.ForeignKey("checkpoint_locations.id"), nullable=False,
    ),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("brand", sa.Text),
    sa.Column("model", sa.Text),
    sa.Column("serial", sa.Text),
    sa.Column("serial_key", sa.Text, index=True),
    sa.Column("batch", sa.Text),
    sa.Column("state", sa.Text, nullable=False),
    sa.Index(None, "location_id", "opened_at"),
)

checkpoint_records = sa.Table(
    "checkpoint_records",
    metadata,
    sa.Column("id", BigKey, primary_key=True),
    sa.Column(
        "case_id", sa.BigInteger, sa.ForeignKey("checkpoint_cases.id"), nullable=False,
        index=True,
    ),
    sa.Column("location_id", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("receipt", sa.Text),
    # a stored unit's terms, fixed from the location's policy when it was stored
    sa.Column("deadline", sa.Date),
    sa.Column("free_until", sa.Date),
    sa.Column("fee_per_day_cents", sa.BigInteger),
    sa.Column("currency", sa.String(3)),
    # the fee charged at retrieval
    sa.Column("fee_cents", sa.BigInteger),
    sa.Column("recycler", sa.Text),
    sa.Column("recycler_licence", sa.Text),
    sa.Index(None, "location_id", "at"),
    sa.UniqueConstraint("location_id", "receipt"),
)


# -- screening jobs run by the API (migration 0004) --------------------------------------

#: One bulk screen submitted through POST /v1/screen: its files live in
#: ``settings.jobs_dir / id``; ``heartbeat_at`` moves while a worker runs it, so that a job
#: whose worker died is taken over (or failed with a reason), never left running.
screen_jobs = sa.Table(
    "screen_jobs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("status", sa.Text, nullable=False, index=True),
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
    # a workbook's worksheet to screen, by name or number; NULL: its first
    sa.Column("sheet", sa.Text),
    # the codes the output keeps the rows of (cellwatch.screen.selection), comma-separated;
    # NULL: every row
    sa.Column("only_codes", sa.Text),
)
