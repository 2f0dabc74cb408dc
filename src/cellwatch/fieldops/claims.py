"""Recall claims: submit (public), follow with the secret, and for the brand concerned or a
regulator: list, show, move along the workflow, erase the claimant's data; recall
effectiveness (public, anonymous).

A :class:`Handler` is who handles claims: bound to a company (a brand: only the claims on
recalls that name it) or not (a regulator, an admin, the operator at the command line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cellwatch.claims.access import may_handle, recalls_of
from cellwatch.claims.claim import Claim, ClaimRequest
from cellwatch.claims.effectiveness import Effectiveness, effectiveness
from cellwatch.claims.eligibility import assess
from cellwatch.claims.evidence import Photo, clean_photo
from cellwatch.claims.reported import REPORTED
from cellwatch.claims.workflow import ClaimState, RejectReason
from cellwatch.domain.registry import Registry
from cellwatch.errors import Forbidden, RecallNotFound, RecordNotFound, TooLarge
from cellwatch.store import claims as store
from cellwatch.store.db import Database

PUBLIC_ACTOR = "public:claim"


@dataclass(frozen=True)
class Handler:
    actor: str
    company: str | None = None  # None: sees and moves every claim


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def submit(
    database: Database,
    registry: Registry,
    request: ClaimRequest,
    photos: Sequence[bytes] = (),
    *,
    max_photo_bytes: int,
    max_photos: int,
    now: dt.datetime | None = None,
) -> tuple[Claim, str]:
    """Check the unit's eligibility, clean the photos, store the claim; return it and the
    secret the claimant follows it with (shown once)."""
    if len(photos) > max_photos:
        raise TooLarge(f"{len(photos)} photos", max_photos)
    eligible = assess(
        registry, brand=request.brand, model=request.model, serial=request.serial,
        batch=request.batch, produced=request.produced, remedy=request.remedy,
        recall_id=request.recall_id, date=_now(now).date(),
    )
    cleaned = [clean_photo(data, max_bytes=max_photo_bytes, name=f"photo {i}")
               for i, data in enumerate(photos, start=1)]
    with database.unit_of_work(PUBLIC_ACTOR) as uow:
        return store.insert(uow, eligible, request, cleaned, now=_now(now))


def follow(database: Database, claim_id: str, secret: str) -> Claim:
    """The claim for its claimant (the secret given at submission); no personal data."""
    with database.connect() as connection:
        if not store.secret_matches(connection, claim_id, secret):
            raise RecordNotFound("claim", claim_id)  # the same answer for a wrong secret
        return store.read(connection, claim_id)


def _allowed(registry: Registry, handler: Handler, claim: Claim) -> None:
    if not may_handle(registry, handler.company, claim.recall_id):
        raise Forbidden(
            f"claim {claim.id} is on recall {claim.recall_id}, which does not name "
            f"{handler.company}"
        )


def show(database: Database, registry: Registry, handler: Handler, claim_id: str) -> Claim:
    with database.connect() as connection:
        claim = store.read(connection, claim_id)
    _allowed(registry, handler, claim)
    return claim


def listing(
    database: Database, registry: Registry, handler: Handler, *,
    recall_id: str | None = None, state: ClaimState | None = None, limit: int = 20,
    skip: int = 0,
) -> tuple[list[Claim], int]:
    scope = None if handler.company is None else recalls_of(registry, handler.company)
    with database.connect() as connection:
        return store.listing(connection, recall_ids=scope, recall_id=recall_id, state=state,
                             limit=limit, skip=skip)


def move(
    database: Database, registry: Registry, handler: Handler, claim_id: str,
    to: ClaimState, *, reason: RejectReason | None = None, note: str | None = None,
    now: dt.datetime | None = None,
) -> Claim:
    with database.unit_of_work(handler.actor) as uow:
        _allowed(registry, handler, store.read(uow.connection, claim_id))
        return store.move(uow, claim_id, to, reason=reason, note=note, now=_now(now))


def erase(
    database: Database, registry: Registry, handler: Handler, claim_id: str,
    *, now: dt.datetime | None = None,
) -> Claim:
    """Remove the claimant's contact and photos on request; the anonymous claim stays."""
    with database.unit_of_work(handler.actor) as uow:
        _allowed(registry, handler, store.read(uow.connection, claim_id))
        return store.erase(uow, claim_id, now=_now(now))


def photo(
    database: Database, registry: Registry, handler: Handler, claim_id: str, position: int
) -> Photo:
    with database.connect() as connection:
        _allowed(registry, handler, store.read(connection, claim_id))
        return store.photo(connection, claim_id, position)


def recall_effectiveness(database: Database, registry: Registry, recall_id: str) -> Effectiveness:
    recall = registry.recalls.get(recall_id)
    if recall is None:
        raise RecallNotFound(recall_id)
    with database.connect() as connection:
        events = store.events(connection, recall_id)
    return effectiveness(recall, events)


def effectiveness_overview(database: Database, registry: Registry) -> list[Effectiveness]:
    """Every recall with claims or with figures an authority published, most units first."""
    with database.connect() as connection:
        found = store.events_by_recall(connection)
    reported = {figure.recall_id for figure in REPORTED}
    recalls = [registry.recalls[i] for i in sorted(set(found) | reported) if i in registry.recalls]
    results = [effectiveness(recall, found.get(recall.id, [])) for recall in recalls]
    return sorted(results, key=lambda e: (-(e.units or 0), e.recall_id))
