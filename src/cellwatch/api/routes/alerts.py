"""The change feed (``/v1/events``, ``/v1/feed.atom``: public) and watches
(``/v1/watches``: any token; each token's actor sees and removes its own, admin all)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from cellwatch.alerts import signing
from cellwatch.alerts.watches import watch_subjects, watch_unit, webhook_url
from cellwatch.api import errors
from cellwatch.api.access import AnyToken, Principal
from cellwatch.api.alerts import (
    EventPage,
    WatchCreate,
    WatchCreated,
    WatchPublic,
    atom,
)
from cellwatch.api.deps import ServicesDep, SnapshotDep
from cellwatch.domain.events import EventType
from cellwatch.domain.registry import Registry
from cellwatch.errors import InputError, RecordNotFound
from cellwatch.store import events as event_store
from cellwatch.store import watches as watch_store
from cellwatch.store.events import EventFilter
from cellwatch.store.tokens import TokenRole

router = APIRouter(prefix="/v1", tags=["alerts"])

Types = Annotated[list[EventType] | None, Query(alias="type", description="Event types")]
Brands = Annotated[list[str] | None, Query(alias="brand", max_length=50)]
Models = Annotated[list[str] | None, Query(alias="model", max_length=50,
                                           description="brand/model")]
Companies = Annotated[list[str] | None, Query(alias="company", max_length=50)]


def _filter(
    registry: Registry, since: int, types: list[EventType] | None, brands: list[str] | None,
    models: list[str] | None, companies: list[str] | None,
) -> EventFilter:
    return EventFilter(
        since=since, types=frozenset(types or ()),
        subjects=watch_subjects(registry, brands or (), models or (), companies or ()),
    )


@router.get("/events", response_model=EventPage, summary="The change feed",
            responses=errors.responses(422, 429, 503))
async def list_events(
    services: ServicesDep,
    snapshot: SnapshotDep,
    since: Annotated[int, Query(ge=0, description="Events after this id")] = 0,
    limit: Annotated[int, Query(ge=1, le=event_store.MAX_PAGE)] = 100,
    types: Types = None,
    brands: Brands = None,
    models: Models = None,
    companies: Companies = None,
) -> EventPage:
    """Recalls published and revised, certificate status changes and incidents, oldest
    first after ``since``; filter by type, brand, model (brand/model) or company (a
    company matches events that name it). Poll with the last ``next``."""
    wanted = _filter(snapshot.registry, since, types, brands, models, companies)

    def read() -> EventPage:
        with services.database.connect() as connection:
            found = event_store.read(connection, wanted, limit)
        return EventPage.model_validate(
            {"events": [e.as_json() for e in found], "next": found[-1].id if found else since}
        )

    return await run_in_threadpool(read)


@router.get("/feed.atom", summary="The change feed as Atom",
            responses={200: {"content": {"application/atom+xml": {}}},
                       **errors.responses(422, 429, 503)})
async def atom_feed(
    request: Request,
    services: ServicesDep,
    snapshot: SnapshotDep,
    lang: Annotated[str, Query(pattern="^(en|zh)$")] = "en",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    types: Types = None,
    brands: Brands = None,
    models: Models = None,
    companies: Companies = None,
) -> Response:
    """The newest events as an Atom 1.0 feed for feed readers (titles in ``lang``)."""
    wanted = _filter(snapshot.registry, 0, types, brands, models, companies)

    def render() -> bytes:
        with services.database.connect() as connection:
            found = event_store.latest(connection, wanted, limit)
        return atom(found, feed_url=str(request.url), base_url=str(request.base_url),
                    lang=lang)

    return Response(await run_in_threadpool(render), media_type="application/atom+xml")


@router.post("/watches", status_code=201, response_model=WatchCreated, summary="Make a watch",
             responses=errors.responses(401, 403, 413, 422, 503))
async def create_watch(
    body: WatchCreate, principal: AnyToken, services: ServicesDep, snapshot: SnapshotDep
) -> WatchCreated:
    """Hear of the events that concern these brands, models, companies or units, by a
    webhook signed with the secret returned here (shown only now)."""
    subjects = watch_subjects(snapshot.registry, body.brands, body.models, body.companies)
    units = tuple(
        watch_unit(line, unit.model_dump()) for line, unit in enumerate(body.units, start=1)
    )
    if not subjects and not units:
        raise InputError("a watch needs at least one brand, model, company or unit")
    spec = watch_store.WatchSpec(
        name=body.name, url=webhook_url(body.url), secret=signing.new_secret(),
        types=frozenset(body.types), subjects=subjects, units=units,
    )

    def create() -> int:
        with services.database.unit_of_work(principal.actor) as uow:
            return watch_store.create(uow, spec)

    return WatchCreated(id=await run_in_threadpool(create), secret=spec.secret)


@router.get("/watches", response_model=list[WatchPublic], summary="Your watches",
            responses=errors.responses(401, 403, 503))
async def list_watches(principal: AnyToken, services: ServicesDep) -> list[WatchPublic]:
    """The watches this token's actor made (an admin token: every watch)."""
    owner = None if principal.role is TokenRole.ADMIN else principal.actor

    def read() -> list[WatchPublic]:
        with services.database.connect() as connection:
            found = watch_store.listing(connection, owner=owner)
        return [WatchPublic.model_validate(w.as_json()) for w in found]

    return await run_in_threadpool(read)


def _may(principal: Principal) -> Callable[[watch_store.StoredWatch], bool]:
    return lambda stored: (
        principal.role is TokenRole.ADMIN or stored.watch.owner == principal.actor
    )


@router.get("/watches/{watch_id}/deliveries", summary="A watch's deliveries",
            responses=errors.responses(401, 403, 404, 503))
async def watch_deliveries(
    watch_id: int,
    principal: AnyToken,
    services: ServicesDep,
    status: Annotated[str | None, Query(pattern="^(pending|sending|delivered|failed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, object]]:
    """Newest first: status, attempts, the webhook's last answer or error, why it matched."""

    def read() -> list[dict[str, object]]:
        with services.database.connect() as connection:
            stored = watch_store.get(connection, watch_id)
            if not _may(principal)(stored):
                raise RecordNotFound("watch", str(watch_id))
            return list(watch_store.delivery_listing(connection, watch_id, status, limit))

    return await run_in_threadpool(read)


@router.delete("/watches/{watch_id}", status_code=204, summary="Remove a watch",
               responses=errors.responses(401, 403, 404, 503))
async def remove_watch(watch_id: int, principal: AnyToken, services: ServicesDep) -> Response:
    """Stop the watch; deliveries still queued for it are dropped."""

    def remove() -> None:
        with services.database.unit_of_work(principal.actor) as uow:
            watch_store.remove(uow, watch_id, _may(principal))

    await run_in_threadpool(remove)
    return Response(status_code=204)
