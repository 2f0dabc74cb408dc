"""Recall claims in the database: insert, read, list, move, erase; never committed here.

Every write is audited in the caller's unit of work with ``registry=False`` (kind
``claim``), in the redacted form :meth:`cellwatch.claims.claim.Claim.audited`: the audit
log never holds a contact or a photo.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from cellwatch.claims.claim import Claim, ClaimRequest, Contact, Step, contact_digest
from cellwatch.claims.effectiveness import ClaimEvent
from cellwatch.claims.eligibility import Eligibility
from cellwatch.claims.evidence import Photo
from cellwatch.claims.workflow import ClaimState, RejectReason, step
from cellwatch.domain.recalls import Remedy
from cellwatch.domain.records import canonical_json
from cellwatch.errors import AlreadyClaimed, RecordNotFound
from cellwatch.store.audit import sha256_text
from cellwatch.store.db import UnitOfWork
from cellwatch.store.tables import claim_events, claim_photos, claims

log = logging.getLogger(__name__)

AUDIT_KIND = "claim"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_id() -> str:
    return "CL-" + secrets.token_hex(6).upper()


def insert(
    uow: UnitOfWork,
    eligible: Eligibility,
    request: ClaimRequest,
    photos: Sequence[Photo],
    *,
    now: dt.datetime,
) -> tuple[Claim, str]:
    """Store a new claim with its photos; return it and its secret (shown once)."""
    connection = uow.connection
    existing = connection.scalar(
        sa.select(claims.c.id).where(
            claims.c.recall_id == eligible.recall.id, claims.c.serial_key == eligible.serial_key
        )
    )
    if existing is not None:
        raise AlreadyClaimed(eligible.recall.id, eligible.serial, existing)
    claim_id = new_id()
    secret = secrets.token_urlsafe(24)
    salt = secrets.token_hex(16)
    contact = request.contact
    connection.execute(claims.insert().values(
        id=claim_id, recall_id=eligible.recall.id, brand=eligible.brand, model=eligible.model,
        serial=eligible.serial, serial_key=eligible.serial_key, batch=eligible.batch,
        remedy=eligible.remedy.value, state=ClaimState.SUBMITTED.value,
        secret_hash=hash_secret(secret), contact_salt=salt, contact_name=contact.name,
        contact_email=contact.email, contact_phone=contact.phone, created_at=now,
        updated_at=now,
    ))
    connection.execute(claim_events.insert().values(
        claim_id=claim_id, at=now, state=ClaimState.SUBMITTED.value, actor=uow.actor,
    ))
    for position, photo in enumerate(photos, start=1):
        connection.execute(claim_photos.insert().values(
            claim_id=claim_id, position=position, media_type=photo.media_type,
            width=photo.width, height=photo.height, sha256=photo.sha256, data=photo.data,
        ))
    claim = read(connection, claim_id)
    _audit(uow, claim, salt, "insert", None)
    log.info("claim %s on %s submitted", claim_id, eligible.recall.id)
    return claim, secret


def read(connection: Connection, claim_id: str) -> Claim:
    row = connection.execute(sa.select(claims).where(claims.c.id == claim_id)).one_or_none()
    if row is None:
        raise RecordNotFound("claim", claim_id)
    steps = connection.execute(
        sa.select(claim_events).where(claim_events.c.claim_id == claim_id)
        .order_by(claim_events.c.id)
    ).all()
    photos = connection.scalar(
        sa.select(sa.func.count()).select_from(claim_photos)
        .where(claim_photos.c.claim_id == claim_id)
    )
    return _claim(row, steps, int(photos or 0))


def secret_matches(connection: Connection, claim_id: str, secret: str) -> bool:
    stored = connection.scalar(sa.select(claims.c.secret_hash).where(claims.c.id == claim_id))
    return stored is not None and secrets.compare_digest(stored, hash_secret(secret))


def listing(
    connection: Connection,
    *,
    recall_ids: frozenset[str] | None = None,
    recall_id: str | None = None,
    state: ClaimState | None = None,
    limit: int = 20,
    skip: int = 0,
) -> tuple[list[Claim], int]:
    """Claims, newest first, and the total before paging; ``recall_ids`` limits a brand."""
    where: list[sa.ColumnElement[bool]] = []
    if recall_ids is not None:
        where.append(claims.c.recall_id.in_(sorted(recall_ids)))
    if recall_id is not None:
        where.append(claims.c.recall_id == recall_id)
    if state is not None:
        where.append(claims.c.state == state.value)
    total = connection.scalar(sa.select(sa.func.count()).select_from(claims).where(*where))
    rows = connection.execute(
        sa.select(claims).where(*where)
        .order_by(claims.c.created_at.desc(), claims.c.id).limit(limit).offset(skip)
    ).all()
    return [_claim(row, (), 0) for row in rows], int(total or 0)


def move(
    uow: UnitOfWork,
    claim_id: str,
    wanted: ClaimState,
    *,
    reason: RejectReason | None = None,
    note: str | None = None,
    now: dt.datetime,
) -> Claim:
    """One step of the workflow (:func:`cellwatch.claims.workflow.step`), audited."""
    connection = uow.connection
    before = read(connection, claim_id)
    salt = _salt(connection, claim_id)
    before_digest = _digest(before, salt)
    step(claim_id, before.state, wanted, reason)
    values: dict[str, Any] = {"state": wanted.value, "updated_at": now}
    if reason is not None:
        values |= {"reason": reason.value, "note": note}
    connection.execute(claims.update().where(claims.c.id == claim_id).values(**values))
    connection.execute(claim_events.insert().values(
        claim_id=claim_id, at=now, state=wanted.value, actor=uow.actor,
        reason=reason.value if reason else None, note=note,
    ))
    after = read(connection, claim_id)
    _audit(uow, after, salt, "update", before_digest)
    log.info("claim %s: %s → %s", claim_id, before.state.value, wanted.value)
    return after


def erase(uow: UnitOfWork, claim_id: str, *, now: dt.datetime) -> Claim:
    """Remove the claimant's contact and photos (and the salt); keep the anonymous claim."""
    connection = uow.connection
    before = read(connection, claim_id)
    if before.erased_at is not None:
        return before
    before_digest = _digest(before, _salt(connection, claim_id))
    connection.execute(claims.update().where(claims.c.id == claim_id).values(
        contact_salt=None, contact_name=None, contact_email=None, contact_phone=None,
        erased_at=now, updated_at=now,
    ))
    connection.execute(claim_photos.delete().where(claim_photos.c.claim_id == claim_id))
    after = read(connection, claim_id)
    _audit(uow, after, None, "update", before_digest)
    log.info("claim %s: the claimant's data was erased", claim_id)
    return after


def events(connection: Connection, recall_id: str) -> list[ClaimEvent]:
    """Every step of every claim on the recall (for recall effectiveness)."""
    return events_by_recall(connection, recall_id).get(recall_id, [])


def events_by_recall(
    connection: Connection, recall_id: str | None = None
) -> dict[str, list[ClaimEvent]]:
    """Every step of every claim, by recall (one recall's when ``recall_id`` is given)."""
    query = (
        sa.select(claims.c.recall_id, claim_events.c.claim_id, claim_events.c.state,
                  claim_events.c.at)
        .join(claims, claims.c.id == claim_events.c.claim_id)
    )
    if recall_id is not None:
        query = query.where(claims.c.recall_id == recall_id)
    found: dict[str, list[ClaimEvent]] = {}
    for row in connection.execute(query):
        found.setdefault(row.recall_id, []).append(
            ClaimEvent(row.claim_id, ClaimState(row.state), _utc(row.at))
        )
    return found


def photo(connection: Connection, claim_id: str, position: int) -> Photo:
    row = connection.execute(
        sa.select(claim_photos).where(
            claim_photos.c.claim_id == claim_id, claim_photos.c.position == position
        )
    ).one_or_none()
    if row is None:
        raise RecordNotFound("claim photo", f"{claim_id}/{position}")
    return Photo(row.media_type, row.width, row.height, bytes(row.data))


# -- helpers -----------------------------------------------------------------------------


def _salt(connection: Connection, claim_id: str) -> str | None:
    salt: str | None = connection.scalar(
        sa.select(claims.c.contact_salt).where(claims.c.id == claim_id)
    )
    return salt


def _audited(claim: Claim, salt: str | None) -> dict[str, Any]:
    digest = None
    if claim.contact is not None and salt is not None:
        digest = contact_digest(claim.contact, salt)
    return claim.audited(digest)


def _digest(claim: Claim, salt: str | None) -> str:
    return sha256_text(canonical_json(_audited(claim, salt)))


def _audit(
    uow: UnitOfWork, claim: Claim, salt: str | None, action: Any, before_digest: str | None
) -> None:
    after = _audited(claim, salt)
    uow.record_change(AUDIT_KIND, claim.id, action, before_digest, after,
                      sha256_text(canonical_json(after)), registry=False)


def _claim(row: Row[Any], steps: Sequence[Row[Any]], photos: int) -> Claim:
    contact = None
    if row.contact_name is not None:
        contact = Contact(name=row.contact_name, email=row.contact_email, phone=row.contact_phone)
    return Claim(
        id=row.id, recall_id=row.recall_id, brand=row.brand, model=row.model,
        serial=row.serial, batch=row.batch, remedy=Remedy(row.remedy),
        state=ClaimState(row.state), created_at=_utc(row.created_at),
        updated_at=_utc(row.updated_at),
        reason=RejectReason(row.reason) if row.reason else None, note=row.note,
        contact=contact, erased_at=_utc(row.erased_at) if row.erased_at else None,
        photos=photos,
        steps=tuple(
            Step(ClaimState(s.state), _utc(s.at), s.actor,
                 RejectReason(s.reason) if s.reason else None, s.note)
            for s in steps
        ),
    )


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
