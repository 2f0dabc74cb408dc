"""Who may write what: bearer tokens, roles, and the one rule table every write passes.

Roles (a token has one):

- ``brand``: bound to one company. It may write sources (new ones, or unchanged), and the
  products, batches and recalls of its own company: a recall whose issuer and the brand
  of every scope entry are the company (under its current or a former id), before and
  after the change.
- ``regulator``: every kind of record, any company (certificates and their status,
  incidents, companies, any recall, …), and the audit log.
- ``checkpoint``: reserved for checkpoint records; no registry writes.
- ``screener``: for whoever holds an inventory of units (a retailer, a marketplace, a
  courier, a university): it screens inventories and keeps watches; no registry writes.
- ``admin``: everything a regulator may, and tokens.

:func:`authorize` is pure: it judges the records of one write against the principal and
the stored versions of those records, and raises :class:`~cellwatch.errors.Forbidden`
naming every record it refuses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from cellwatch.api.deps import services
from cellwatch.domain.products import Batch, ProductModel
from cellwatch.domain.recalls import Recall
from cellwatch.domain.records import Record
from cellwatch.domain.registry import RegistryData
from cellwatch.errors import Forbidden, Unauthenticated
from cellwatch.store.tokens import Token, TokenRole, authenticate

log = logging.getLogger(__name__)

ALL_KINDS = frozenset(RegistryData.kinds())
#: The kinds of record each role may write (brand: only its own; see :func:`authorize`).
WRITABLE: dict[TokenRole, frozenset[str]] = {
    TokenRole.BRAND: frozenset({"sources", "products", "batches", "recalls"}),
    TokenRole.REGULATOR: ALL_KINDS,
    TokenRole.ADMIN: ALL_KINDS,
    TokenRole.CHECKPOINT: frozenset(),
    TokenRole.SCREENER: frozenset(),
}

#: The stored version of a record of a kind, by key text; ``None`` when there is none.
StoredLookup = Callable[[str, Record], Record | None]


@dataclass(frozen=True)
class Principal:
    """Who makes a request: the token it carries."""

    token: Token

    @property
    def actor(self) -> str:
        return self.token.actor

    @property
    def role(self) -> TokenRole:
        return self.token.role

    def has(self, *roles: TokenRole) -> bool:
        return self.role is TokenRole.ADMIN or self.role in roles


def authorize(
    principal: Principal,
    data: RegistryData,
    stored: StoredLookup,
    company_ids: frozenset[str] = frozenset(),
) -> None:
    """Refuse the write unless the principal may write every record of ``data``.

    ``company_ids`` are the ids a brand token's company is known by (current and former).
    """
    role = principal.role
    reasons: list[str] = []
    for kind, records in data.items():
        if not records:
            continue
        if kind not in WRITABLE[role]:
            reasons.append(f"a {role.value} token may not write {kind}")
            continue
        if role is TokenRole.BRAND:
            own = company_ids or frozenset({principal.token.company or ""})
            for record in records:
                reasons.extend(_brand_problems(kind, record, stored, own))
    if reasons:
        log.info("refused a write by %s: %s", principal.actor, "; ".join(reasons))
        more = f" (and {len(reasons) - 3} more)" if len(reasons) > 3 else ""
        shown = "; ".join(reasons[:3]) + more
        raise Forbidden(f"not allowed: {shown}", reasons)


def _brand_problems(
    kind: str, record: Record, stored: StoredLookup, own: frozenset[str]
) -> Iterable[str]:
    company = sorted(own)[0] if own else "?"
    if isinstance(record, ProductModel | Batch):
        # the brand is part of the key: the stored record with this key is the brand's too
        if record.brand not in own:
            yield f"{kind} {record.key_text()} belongs to {record.brand}, not to {company}"
    elif isinstance(record, Recall):
        for version, label in ((record, "would name"), (stored(kind, record), "names")):
            if isinstance(version, Recall):
                others = _recall_companies(version) - own
                if others:
                    yield (
                        f"recall {record.id} {label} {', '.join(sorted(others))}, "
                        f"not only {company}"
                    )
    else:  # sources: cited by every company, so a brand may add them but not change them
        before = stored(kind, record)
        if before is not None and before.digest() != record.digest():
            yield f"{kind} {record.key_text()} exists; a brand token may not change it"


def _recall_companies(recall: Recall) -> set[str]:
    return {recall.issuer} | {recall.entry_brand(entry) for entry in recall.scope}


# -- FastAPI dependencies ----------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, description="A token from `cellwatch tokens create`.")


async def principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The principal of a request that must carry a valid bearer token."""
    if credentials is None:
        raise Unauthenticated("this endpoint needs a bearer token (Authorization: Bearer …)")
    database = services(request).database

    def look_up() -> Token:
        with database.connect() as connection:
            return authenticate(connection, credentials.credentials)

    return Principal(await run_in_threadpool(look_up))


#: A dependency: the principal of a request with any valid token.
AnyToken = Annotated[Principal, Depends(principal)]


def require(*roles: TokenRole) -> Any:
    """A dependency: the principal, if its role is one of ``roles`` (admin always is)."""

    async def dependency(found: Annotated[Principal, Depends(principal)]) -> Principal:
        if not found.has(*roles):
            wanted = " or ".join(role.value for role in (*roles, TokenRole.ADMIN))
            raise Forbidden(f"this needs a {wanted} token, not {found.role.value}")
        return found

    return Depends(dependency)
