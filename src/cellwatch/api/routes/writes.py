"""Writes: create and revise records, add certificate status changes, upload bundles.

Every route needs a bearer token, validates the body as the registry record it is (the
same types a bundle is read into), and calls :func:`cellwatch.api.changes.write`: access
rules, conflicts, references, apply and audit in one unit of work. A create answers 201
with ``Location`` and ``ETag`` (the record's digest); a revision needs ``If-Match``.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from cellwatch.api import errors
from cellwatch.api.access import Principal, require
from cellwatch.api.changes import Mode, load_archive, one, write
from cellwatch.api.deps import ServicesDep, SnapshotDep
from cellwatch.api.schemas import BundleResult, StatusChangeCreate, WriteResult
from cellwatch.api.state import Services, Snapshot
from cellwatch.domain.certificates import Certificate
from cellwatch.domain.companies import Company
from cellwatch.domain.incidents import Incident
from cellwatch.domain.products import Batch, ProductModel
from cellwatch.domain.recalls import Recall
from cellwatch.domain.records import Record
from cellwatch.domain.sources import Source
from cellwatch.errors import InputError
from cellwatch.store.tokens import TokenRole

router = APIRouter(
    prefix="/v1",
    tags=["writes"],
    responses=errors.responses(401, 403, 409, 413, 422, 503),
)

BrandOrRegulator = Annotated[Principal, require(TokenRole.BRAND, TokenRole.REGULATOR)]
Regulator = Annotated[Principal, require(TokenRole.REGULATOR)]
_CREATED: dict[int | str, dict[str, Any]] = {
    201: {"model": WriteResult, "description": "Created"}
}


def _location(record: Record) -> str | None:
    if isinstance(record, Recall):
        return f"/v1/recalls/{quote(record.id)}"
    if isinstance(record, Company):
        return f"/v1/companies/{quote(record.id)}"
    if isinstance(record, ProductModel | Batch):
        return f"/v1/models/{quote(record.brand)}/{quote(record.model, safe='')}"
    if isinstance(record, Certificate):
        return f"/v1/certificates/{quote(record.number, safe='')}"
    if isinstance(record, Incident):
        return f"/v1/incidents/{quote(record.id)}"
    return None


def _write_one(
    services: Services,
    principal: Principal,
    snapshot: Snapshot,
    kind: str,
    record: Record,
    *,
    mode: Mode = Mode.CREATE,
    base_digest: str | None = None,
    location: str | None = None,
) -> JSONResponse:
    try:
        outcome = write(
            services.database, principal, one(kind, record), snapshot.registry,
            mode=mode, base_digest=base_digest,
        )
    finally:
        services.registry.invalidate()
    digest = record.digest()
    action = outcome.action(kind)
    headers = {"ETag": f'"{digest}"'}
    where = location or _location(record)
    if where:
        headers["Location"] = where
    body = {
        "kind": record.kind_name, "key": record.key_text(), "action": action,
        "digest": digest, "registry_version": outcome.version,
    }
    return JSONResponse(body, status_code=201 if action == "inserted" else 200, headers=headers)


@router.post("/sources", status_code=201, response_model=WriteResult, responses=_CREATED,
             summary="Add a source (the public page facts come from)")
def create_source(
    source: Source, principal: BrandOrRegulator, services: ServicesDep, snapshot: SnapshotDep
) -> JSONResponse:
    return _write_one(services, principal, snapshot, "sources", source)


@router.post("/recalls", status_code=201, response_model=WriteResult, responses=_CREATED,
             summary="Publish a recall (409 if its id exists)")
def create_recall(
    recall: Recall, principal: BrandOrRegulator, services: ServicesDep, snapshot: SnapshotDep
) -> JSONResponse:
    """A brand token may publish only recalls of its own company (issuer and scope)."""
    return _write_one(services, principal, snapshot, "recalls", recall)


@router.put("/recalls/{recall_id}", response_model=WriteResult,
            summary="Revise a recall (If-Match: the digest of the version revised)",
            responses=errors.responses(404, 428))
def revise_recall(
    recall_id: str,
    recall: Recall,
    principal: BrandOrRegulator,
    services: ServicesDep,
    snapshot: SnapshotDep,
    if_match: Annotated[
        str | None,
        Header(description='The digest (ETag) of the version this revises, e.g. "3f2a…".'),
    ] = None,
) -> JSONResponse:
    """Replace a recall with a revised version; the older one stays in its ``history``.

    Two editors cannot overwrite each other: a revision of a version that is no longer the
    stored one is refused with 409 (read it again, revise the current version).
    """
    if recall.id != recall_id:
        raise InputError(f"the body's id {recall.id!r} is not the path's {recall_id!r}")
    return _write_one(
        services, principal, snapshot, "recalls", recall,
        mode=Mode.REVISE, base_digest=_etag(if_match),
    )


def _etag(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    return None if text in ("", "*") else text


@router.post("/certificates", status_code=201, response_model=WriteResult, responses=_CREATED,
             summary="Add a certificate")
def create_certificate(
    certificate: Certificate, principal: Regulator, services: ServicesDep, snapshot: SnapshotDep
) -> JSONResponse:
    return _write_one(services, principal, snapshot, "certificates", certificate)


@router.post("/certificates/{number}/status", status_code=201, response_model=WriteResult,
             responses=_CREATED, summary="Record a status change of a certificate")
def create_status_change(
    number: str,
    change: StatusChangeCreate,
    principal: Regulator,
    services: ServicesDep,
    snapshot: SnapshotDep,
) -> JSONResponse:
    """Suspend, revoke, cancel or reinstate (``valid``) a certificate from a date."""
    record = change.record(number)
    return _write_one(
        services, principal, snapshot, "certificate_status", record,
        location=f"/v1/certificates/{quote(number, safe='')}",
    )


@router.post("/companies", status_code=201, response_model=WriteResult, responses=_CREATED,
             summary="Add a company")
def create_company(
    company: Company, principal: Regulator, services: ServicesDep, snapshot: SnapshotDep
) -> JSONResponse:
    return _write_one(services, principal, snapshot, "companies", company)


@router.post("/products", status_code=201, response_model=WriteResult, responses=_CREATED,
             summary="Add a product model")
def create_product(
    product: ProductModel, principal: BrandOrRegulator, services: ServicesDep,
    snapshot: SnapshotDep,
) -> JSONResponse:
    return _write_one(services, principal, snapshot, "products", product)


@router.post("/batches", status_code=201, response_model=WriteResult, responses=_CREATED,
             summary="Add a production batch of a model")
def create_batch(
    batch: Batch, principal: BrandOrRegulator, services: ServicesDep, snapshot: SnapshotDep
) -> JSONResponse:
    return _write_one(services, principal, snapshot, "batches", batch)


@router.post("/incidents", status_code=201, response_model=WriteResult, responses=_CREATED,
             summary="Report an incident")
def create_incident(
    incident: Incident, principal: Regulator, services: ServicesDep, snapshot: SnapshotDep
) -> JSONResponse:
    return _write_one(services, principal, snapshot, "incidents", incident)


_ARCHIVE_TYPES = ("application/zip", "application/x-tar", "application/gzip",
                  "application/octet-stream")


@router.post(
    "/bundles",
    response_model=BundleResult,
    summary="Load a bundle uploaded as a .zip or .tar(.gz) of its files",
    openapi_extra={"requestBody": {"required": True, "content": {
        kind: {"schema": {"type": "string", "format": "binary"}} for kind in _ARCHIVE_TYPES
    }}},
)
async def upload_bundle(
    request: Request,
    principal: BrandOrRegulator,
    services: ServicesDep,
    snapshot: SnapshotDep,
    dry_run: Annotated[bool, Query(description="Validate and report; change nothing.")] = False,
) -> JSONResponse:
    """Validated exactly like ``cellwatch load``: every problem is listed, and a bundle with
    any problem changes nothing. Records that exist are updated, equal ones left alone."""
    archive = await request.body()  # bounded by the bundle size limit (413)
    try:
        outcome = await run_in_threadpool(
            load_archive, services.database, principal, archive, snapshot.registry,
            max_unpacked=services.settings.max_bundle_unpacked_bytes, dry_run=dry_run,
        )
    finally:
        services.registry.invalidate()
    report = outcome.report
    return JSONResponse({
        "dry_run": outcome.dry_run,
        "registry_version": outcome.version,
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "kinds": {
            kind: {"inserted": k.inserted, "updated": k.updated, "unchanged": k.unchanged}
            for kind, k in report.kinds.items()
        },
    })
