"""Registry reads: recalls, companies, models, certificates, incidents, rule packs.

Each kind has a listing (``search``, field filters, ``limit`` ≤ 1000, ``skip``; answered as
``{"meta": {total, limit, skip, registry_version, last_updated}, "results": [...]}``) and
an item endpoint. Listings call :mod:`cellwatch.domain.search`, the core the CLI uses.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from cellwatch.api import errors, views
from cellwatch.api.changes import history
from cellwatch.api.deps import ServicesDep, SnapshotDep
from cellwatch.api.schemas import (
    CertificateListed,
    CertificatePublic,
    CompanyPublic,
    IncidentPublic,
    IsoDate,
    Listing,
    ModelPublic,
    RecallPublic,
    RulePackPublic,
    RulePackSummary,
)
from cellwatch.domain import search
from cellwatch.domain.certificates import CertificateStatus
from cellwatch.domain.companies import Company, Role
from cellwatch.domain.incidents import Incident, Mode, Severity
from cellwatch.domain.products import ProductKind, ProductModel
from cellwatch.domain.recalls import Recall
from cellwatch.errors import RecallNotFound
from cellwatch.rules.packs import Mode as PackMode

router = APIRouter(prefix="/v1", tags=["registry"], responses=errors.responses(422, 429, 503))
_ITEM = errors.responses(404)

Search = Annotated[
    str | None,
    Query(alias="search", max_length=200, description="Free text: names, codes, titles."),
]
Limit = Annotated[int, Query(ge=0, le=search.MAX_LIMIT, description="How many results.")]
Skip = Annotated[int, Query(ge=0, le=1_000_000_000, description="How many to skip first.")]
Brand = Annotated[str | None, Query(max_length=200, description="Brand, by any name or alias.")]
ModelCode = Annotated[str | None, Query(max_length=200, description="Model code.")]
Date = Annotated[IsoDate | None, Query(description="YYYY-MM-DD.")]
StatusDate = Annotated[IsoDate | None, Query(description="Date of the status (today).")]


def _json(value: dict[str, object], etag: str | None = None) -> JSONResponse:
    return JSONResponse(value, headers={"ETag": f'"{etag}"'} if etag else None)


@router.get("/recalls", response_model=Listing[Recall], summary="List recalls, newest first")
def list_recalls(
    snapshot: SnapshotDep,
    search_: Search = None,
    brand: Brand = None,
    model: ModelCode = None,
    market: Annotated[str | None, Query(max_length=20, description="e.g. CN, US.")] = None,
    authority: Annotated[str | None, Query(max_length=50, description="e.g. SAMR.")] = None,
    announced_from: Date = None,
    announced_to: Date = None,
    limit: Limit = 20,
    skip: Skip = 0,
) -> JSONResponse:
    page = search.recalls(
        snapshot.registry, search=search_, brand=brand, model=model, market=market,
        authority=authority, announced_from=announced_from, announced_to=announced_to,
        limit=limit, skip=skip,
    )
    return _json(views.listing(page, snapshot))


@router.get(
    "/recalls/{recall_id}", response_model=RecallPublic, responses=_ITEM,
    summary="One recall, its sources and every stored version",
)
def get_recall(recall_id: str, snapshot: SnapshotDep, services: ServicesDep) -> JSONResponse:
    """The recall; its ``digest`` (also the ETag) is what a revision's ``If-Match`` names."""
    if recall_id not in snapshot.registry.recalls:
        raise RecallNotFound(recall_id)
    versions = history(services.database, "recall", recall_id)
    value = views.recall(snapshot.registry, recall_id, versions)
    return _json(value, value["digest"])


@router.get("/companies", response_model=Listing[Company], summary="List companies")
def list_companies(
    snapshot: SnapshotDep,
    search_: Search = None,
    role: Annotated[Role | None, Query(description="Only companies with this role.")] = None,
    country: Annotated[str | None, Query(max_length=2, description="ISO code, e.g. CN.")] = None,
    limit: Limit = 20,
    skip: Skip = 0,
) -> JSONResponse:
    page = search.companies(
        snapshot.registry, search=search_, role=role, country=country, limit=limit, skip=skip
    )
    return _json(views.listing(page, snapshot))


@router.get(
    "/companies/{name}", response_model=CompanyPublic, responses=_ITEM,
    summary="One company, by any id, name, alias or former name",
)
def get_company(name: str, snapshot: SnapshotDep) -> JSONResponse:
    value = views.company(snapshot.registry, name)
    return _json(value, value["digest"])


@router.get("/models", response_model=Listing[ProductModel], summary="List product models")
def list_models(
    snapshot: SnapshotDep,
    search_: Search = None,
    brand: Brand = None,
    kind: Annotated[ProductKind | None, Query(description="power_bank or cell.")] = None,
    limit: Limit = 20,
    skip: Skip = 0,
) -> JSONResponse:
    page = search.models(
        snapshot.registry, search=search_, brand=brand, kind=kind, limit=limit, skip=skip
    )
    return _json(views.listing(page, snapshot))


@router.get(
    "/models/{brand}/{model}", response_model=ModelPublic, responses=_ITEM,
    summary="One model of a brand (code or marketing name), its batches and recalls",
)
def get_model(
    brand: str, model: Annotated[str, Path(description="Model code or name.")],
    snapshot: SnapshotDep,
) -> JSONResponse:
    value = views.model(snapshot.registry, brand, model)
    return _json(value, value["digest"])


@router.get(
    "/certificates", response_model=Listing[CertificateListed],
    summary="List certificates with their status at a date",
)
def list_certificates(
    snapshot: SnapshotDep,
    search_: Search = None,
    holder: Annotated[str | None, Query(max_length=200, description="Holder, any name.")] = None,
    status: Annotated[CertificateStatus | None, Query(description="Status at `date`.")] = None,
    date: StatusDate = None,
    limit: Limit = 20,
    skip: Skip = 0,
) -> JSONResponse:
    on = date or dt.date.today()
    page = search.certificates(
        snapshot.registry, search=search_, holder=holder, status=status, date=on,
        limit=limit, skip=skip,
    )
    return _json(views.certificate_listing(page, snapshot, on))


@router.get(
    "/certificates/{number}", response_model=CertificatePublic, responses=_ITEM,
    summary="One certificate, its status at a date and its status history",
)
def get_certificate(
    number: str,
    snapshot: SnapshotDep,
    date: StatusDate = None,
) -> JSONResponse:
    value = views.certificate(snapshot.registry, number, date or dt.date.today())
    return _json(value, value["digest"])


@router.get("/incidents", response_model=Listing[Incident], summary="List incidents, newest first")
def list_incidents(
    snapshot: SnapshotDep,
    search_: Search = None,
    brand: Brand = None,
    model: ModelCode = None,
    mode: Annotated[Mode | None, Query(description="air, rail, home, …")] = None,
    severity: Annotated[Severity | None, Query(description="smoke, fire, …")] = None,
    date_from: Date = None,
    date_to: Date = None,
    limit: Limit = 20,
    skip: Skip = 0,
) -> JSONResponse:
    page = search.incidents(
        snapshot.registry, search=search_, brand=brand, model=model, mode=mode,
        severity=severity, date_from=date_from, date_to=date_to, limit=limit, skip=skip,
    )
    return _json(views.listing(page, snapshot))


@router.get(
    "/incidents/{incident_id}", response_model=IncidentPublic, responses=_ITEM,
    summary="One incident",
)
def get_incident(incident_id: str, snapshot: SnapshotDep) -> JSONResponse:
    value = views.incident(snapshot.registry, incident_id)
    return _json(value, value["digest"])


@router.get("/rules", response_model=Listing[RulePackSummary], summary="List rule packs")
def list_rule_packs(
    snapshot: SnapshotDep,
    search_: Search = None,
    mode: Annotated[PackMode | None, Query(description="air, rail or courier.")] = None,
    limit: Limit = 20,
    skip: Skip = 0,
) -> JSONResponse:
    return _json(views.rule_packs(snapshot, search_, mode.value if mode else None, limit, skip))


@router.get(
    "/rules/{pack}", response_model=RulePackPublic, responses=_ITEM,
    summary="One rule pack: rules, conditions, dates, sources",
)
def get_rule_pack(pack: str) -> JSONResponse:
    return _json(views.rule_pack(pack))
