"""API bearer tokens: create (the secret is shown once), list, revoke, authenticate.

A token's secret is ``cw_`` followed by ``secrets.token_urlsafe(32)`` (256 random bits).
Only its SHA-256 is stored, so a copy of the database holds no usable token. Each token
carries a role, for the ``brand`` role the company it is bound to, an optional expiry, and
once revoked the time it was revoked. Creating and revoking a token go through a unit of
work and are entries of the hash-chained audit log (kind ``token``; the secret and its
hash are never in the log).

::

    with database.unit_of_work("cli") as uow:
        token, secret = create_token(uow, TokenRole.BRAND, name="anker-web", company="anker")
    with database.connect() as connection:
        token = authenticate(connection, secret)      # Unauthenticated if not valid
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from cellwatch.domain.records import canonical_json
from cellwatch.errors import CompanyNotFound, InputError, TokenNotFound, Unauthenticated
from cellwatch.store.audit import sha256_text
from cellwatch.store.db import UnitOfWork
from cellwatch.store.tables import api_tokens, companies

log = logging.getLogger(__name__)

PREFIX = "cw_"
AUDIT_KIND = "token"


class TokenRole(StrEnum):
    """What a token may do (the API's access rules are in :mod:`cellwatch.api.access`)."""

    BRAND = "brand"
    REGULATOR = "regulator"
    CHECKPOINT = "checkpoint"
    SCREENER = "screener"
    ADMIN = "admin"


@dataclass(frozen=True)
class Token:
    """A stored token, without its secret."""

    id: int
    name: str
    role: TokenRole
    company: str | None
    created_at: dt.datetime
    created_by: str
    expires_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None

    @property
    def actor(self) -> str:
        """How the audit log names writes made with this token."""
        return f"token:{self.id}:{self.name}"

    def state(self, now: dt.datetime | None = None) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or _now()):
            return "expired"
        return "active"

    def public(self) -> dict[str, Any]:
        """The token as JSON values: what ``tokens list --json`` and the audit log show."""
        value: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "company": self.company,
            "created_at": _iso(self.created_at),
            "created_by": self.created_by,
            "expires_at": _iso(self.expires_at),
            "revoked_at": _iso(self.revoked_at),
        }
        return {key: item for key, item in value.items() if item is not None}


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    uow: UnitOfWork,
    role: TokenRole,
    *,
    name: str,
    company: str | None = None,
    expires_at: dt.datetime | None = None,
) -> tuple[Token, str]:
    """Store a new token; return it and its secret (shown once, never stored)."""
    name = name.strip()
    if not name:
        raise InputError("a token needs a name (who or what uses it)")
    if role is TokenRole.BRAND and not company:
        raise InputError("a brand token must be bound to a company (--company)")
    if role is not TokenRole.BRAND and company:
        raise InputError(f"only brand tokens are bound to a company, not {role.value} tokens")
    connection = uow.connection
    if company is not None:
        found = connection.scalar(sa.select(companies.c.id).where(companies.c.id == company))
        if found is None:
            raise CompanyNotFound(company)
    now = _now()
    if expires_at is not None and expires_at <= now:
        raise InputError("the expiry must lie in the future")
    secret = PREFIX + secrets.token_urlsafe(32)
    values = {
        "name": name,
        "role": role.value,
        "company": company,
        "token_hash": hash_secret(secret),
        "created_at": now,
        "created_by": uow.actor,
        "expires_at": expires_at,
        "revoked_at": None,
    }
    token_id = connection.execute(
        api_tokens.insert().values(**values).returning(api_tokens.c.id)
    ).scalar_one()
    token = Token(int(token_id), name, role, company, now, uow.actor, expires_at)
    _audit(uow, token, "insert", None)
    log.info("created %s token %s (%s)", role.value, token.id, name)
    return token, secret


def list_tokens(connection: Connection) -> list[Token]:
    """Every token, oldest first (revoked and expired ones too)."""
    rows = connection.execute(sa.select(api_tokens).order_by(api_tokens.c.id))
    return [_token(row) for row in rows]


def revoke_token(uow: UnitOfWork, token_id: int) -> Token:
    """Revoke a token from now on; revoking a revoked token changes nothing."""
    row = uow.connection.execute(
        sa.select(api_tokens).where(api_tokens.c.id == token_id)
    ).one_or_none()
    if row is None:
        raise TokenNotFound(token_id)
    before = _token(row)
    if before.revoked_at is not None:
        return before
    now = _now()
    uow.connection.execute(
        api_tokens.update().where(api_tokens.c.id == token_id).values(revoked_at=now)
    )
    after = dataclasses.replace(before, revoked_at=now)
    _audit(uow, after, "update", _digest(before.public()))
    log.info("revoked token %s (%s)", token_id, before.name)
    return after


def authenticate(connection: Connection, secret: str, now: dt.datetime | None = None) -> Token:
    """The active token with this secret; :class:`Unauthenticated` otherwise."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        raise Unauthenticated("the bearer token is not a cellwatch token")
    row = connection.execute(
        sa.select(api_tokens).where(api_tokens.c.token_hash == hash_secret(secret))
    ).one_or_none()
    if row is None:
        raise Unauthenticated("the bearer token is not known")
    token = _token(row)
    state = token.state(now)
    if state != "active":
        raise Unauthenticated(f"the bearer token is {state}")
    return token


def _audit(uow: UnitOfWork, token: Token, action: Any, before_digest: str | None) -> None:
    after = token.public()
    uow.record_change(AUDIT_KIND, str(token.id), action, before_digest, after, _digest(after))


def _digest(value: dict[str, Any]) -> str:
    return sha256_text(canonical_json(value))


def _token(row: Row[Any]) -> Token:
    return Token(
        id=int(row.id),
        name=row.name,
        role=TokenRole(row.role),
        company=row.company,
        created_at=_utc(row.created_at),
        created_by=row.created_by,
        expires_at=_utc(row.expires_at) if row.expires_at is not None else None,
        revoked_at=_utc(row.revoked_at) if row.revoked_at is not None else None,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)


def _iso(at: dt.datetime | None) -> str | None:
    return None if at is None else at.isoformat(timespec="seconds").replace("+00:00", "Z")
