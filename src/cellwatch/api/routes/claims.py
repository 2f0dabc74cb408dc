"""Recall claims: anyone may submit one (and follow it with the secret it returns); the
brand concerned and regulators list, read, move and erase them; recall effectiveness is
public and anonymous.

A claim is submitted as ``multipart/form-data`` (the fields of
:class:`~cellwatch.claims.claim.ClaimRequest`, the contact as ``contact_name``,
``contact_email``, ``contact_phone``, and up to ``max_claim_photos`` files ``photos``), as
an HTML form posts it. Contact details appear only in the private view (a brand token of a
company the claim's recall names, or a regulator); never in the public view, the
effectiveness figures or the CSV export.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from cellwatch.api import errors
from cellwatch.api.access import Principal, require
from cellwatch.api.deps import ServicesDep, SnapshotDep, services
from cellwatch.claims.claim import ClaimRequest
from cellwatch.claims.workflow import ClaimState, RejectReason
from cellwatch.errors import Forbidden, TooLarge, Unauthenticated
from cellwatch.fieldops import claims as ops
from cellwatch.store.tokens import Token, TokenRole, authenticate

router = APIRouter(prefix="/v1", tags=["claims"], responses=errors.responses(422, 503))

BrandOrRegulator = Annotated[Principal, require(TokenRole.BRAND, TokenRole.REGULATOR)]
_bearer = HTTPBearer(auto_error=False, description="A brand or regulator token.")


class Move(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: ClaimState
    reason: RejectReason | None = Field(None, description="Required to reject.")
    note: str | None = Field(None, max_length=2000)


def handler(principal: Principal) -> ops.Handler:
    """A brand handles only its own recalls' claims; a regulator or an admin every claim."""
    if principal.role is TokenRole.BRAND:
        return ops.Handler(principal.actor, principal.token.company)
    if principal.has(TokenRole.REGULATOR):
        return ops.Handler(principal.actor)
    raise Forbidden(f"a {principal.role.value} token does not handle claims")


async def optional_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    if credentials is None:
        return None
    database = services(request).database

    def look_up() -> Token:
        with database.connect() as connection:
            return authenticate(connection, credentials.credentials)

    return Principal(await run_in_threadpool(look_up))


@router.post("/claims", status_code=201, response_model=dict[str, Any],
             responses=errors.responses(409, 413, 429),
             summary="Claim a recall's remedy for a unit (public)")
async def submit_claim(
    services: ServicesDep,
    snapshot: SnapshotDep,
    model: Annotated[str, Form(max_length=100, description="Model code or marketing name.")],
    serial: Annotated[str, Form(max_length=100, description="Serial number (SN).")],
    contact_name: Annotated[str, Form(max_length=200)],
    brand: Annotated[str | None, Form(max_length=100)] = None,
    batch: Annotated[str | None, Form(max_length=100)] = None,
    produced: Annotated[str | None, Form(max_length=10)] = None,
    recall_id: Annotated[str | None, Form(max_length=100)] = None,
    remedy: Annotated[str | None, Form(max_length=20)] = None,
    contact_email: Annotated[str | None, Form(max_length=254)] = None,
    contact_phone: Annotated[str | None, Form(max_length=30)] = None,
    photos: Annotated[list[UploadFile] | None, File(description="JPEG, PNG or WebP.")] = None,
) -> JSONResponse:
    """The check identifies the unit and its recall: a unit outside the scope is refused
    (422 ``not_eligible``, every reason in English and Chinese); a serial claims a recall
    once (409 ``already_claimed``). Photos are re-encoded without metadata. The answer
    holds the claim's ``secret``, shown once: send it as ``X-Claim-Secret`` to follow it."""
    settings = services.settings
    files = photos or []
    if len(files) > settings.max_claim_photos:
        raise TooLarge(f"{len(files)} photos", settings.max_claim_photos)
    contents = []
    for upload in files:
        data = await upload.read(settings.max_claim_photo_bytes + 1)
        contents.append(data)
    request = ClaimRequest.model_validate({
        "brand": brand or None, "model": model, "serial": serial, "batch": batch or None,
        "produced": produced or None, "recall_id": recall_id or None, "remedy": remedy or None,
        "contact": {"name": contact_name, "email": contact_email or None,
                    "phone": contact_phone or None},
    })
    claim, secret = await run_in_threadpool(
        ops.submit, services.database, snapshot.registry, request, contents,
        max_photo_bytes=settings.max_claim_photo_bytes, max_photos=settings.max_claim_photos,
    )
    return JSONResponse(
        {"claim": claim.public(), "secret": secret, "follow": f"/v1/claims/{claim.id}"},
        status_code=201, headers={"Location": f"/v1/claims/{claim.id}"},
    )


@router.get("/claims/{claim_id}", response_model=dict[str, Any],
            responses=errors.responses(401, 403, 404),
            summary="One claim: public with X-Claim-Secret, private with a token")
def get_claim(
    claim_id: str,
    services: ServicesDep,
    snapshot: SnapshotDep,
    principal: Annotated[Principal | None, Depends(optional_principal)],
    x_claim_secret: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    if principal is not None:
        claim = ops.show(services.database, snapshot.registry, handler(principal), claim_id)
        return JSONResponse(claim.private())
    if x_claim_secret is None:
        raise Unauthenticated("send the claim's secret (X-Claim-Secret) or a bearer token")
    return JSONResponse(ops.follow(services.database, claim_id, x_claim_secret).public())


@router.get("/claims", response_model=dict[str, Any], responses=errors.responses(401, 403),
            summary="Claims a brand or a regulator handles, newest first")
def list_claims(
    principal: BrandOrRegulator,
    services: ServicesDep,
    snapshot: SnapshotDep,
    recall_id: Annotated[str | None, Query(max_length=100)] = None,
    state: ClaimState | None = None,
    limit: Annotated[int, Query(ge=0, le=1000)] = 20,
    skip: Annotated[int, Query(ge=0)] = 0,
) -> JSONResponse:
    found, total = ops.listing(services.database, snapshot.registry, handler(principal),
                               recall_id=recall_id, state=state, limit=limit, skip=skip)
    return JSONResponse({"meta": {"total": total, "limit": limit, "skip": skip},
                         "results": [claim.private() for claim in found]})


_EXPORT_COLUMNS = ("id", "recall_id", "brand", "model", "serial", "batch", "remedy", "state",
                   "reason", "created_at", "updated_at", "photos")


@router.get("/claims.csv", responses=errors.responses(401, 403),
            response_class=Response, summary="Claims as CSV, without any contact detail")
def export_claims(
    principal: BrandOrRegulator,
    services: ServicesDep,
    snapshot: SnapshotDep,
    recall_id: Annotated[str | None, Query(max_length=100)] = None,
    state: ClaimState | None = None,
) -> Response:
    found, _ = ops.listing(services.database, snapshot.registry, handler(principal),
                           recall_id=recall_id, state=state, limit=1_000_000)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_EXPORT_COLUMNS, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for claim in found:
        writer.writerow(claim.public())
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")


@router.post("/claims/{claim_id}/moves", response_model=dict[str, Any],
             responses=errors.responses(401, 403, 404, 409),
             summary="Move a claim along the workflow")
def move_claim(
    claim_id: str, move: Move, principal: BrandOrRegulator, services: ServicesDep,
    snapshot: SnapshotDep,
) -> JSONResponse:
    """submitted → approved → remedy_sent → completed, or rejected (with a reason)."""
    claim = ops.move(services.database, snapshot.registry, handler(principal), claim_id,
                     move.to, reason=move.reason, note=move.note)
    return JSONResponse(claim.private())


@router.delete("/claims/{claim_id}/contact", response_model=dict[str, Any],
               responses=errors.responses(401, 403, 404),
               summary="Erase the claimant's contact and photos (the anonymous claim stays)")
def erase_claim(
    claim_id: str, principal: BrandOrRegulator, services: ServicesDep, snapshot: SnapshotDep
) -> JSONResponse:
    claim = ops.erase(services.database, snapshot.registry, handler(principal), claim_id)
    return JSONResponse(claim.private())


@router.get("/claims/{claim_id}/photos/{position}", response_class=Response,
            responses=errors.responses(401, 403, 404), summary="An evidence photo (JPEG)")
def get_photo(
    claim_id: str, position: int, principal: BrandOrRegulator, services: ServicesDep,
    snapshot: SnapshotDep,
) -> Response:
    found = ops.photo(services.database, snapshot.registry, handler(principal), claim_id,
                      position)
    return Response(found.data, media_type=found.media_type,
                    headers={"Cache-Control": "private, no-store"})


@router.get("/recalls/{recall_id}/effectiveness", response_model=dict[str, Any],
            responses=errors.responses(404, 429),
            summary="Claims and completions against the recalled units, over time")
def get_effectiveness(recall_id: str, services: ServicesDep,
                      snapshot: SnapshotDep) -> JSONResponse:
    """Anonymous counts, with the figures an authority published beside them."""
    found = ops.recall_effectiveness(services.database, snapshot.registry, recall_id)
    return JSONResponse(found.as_json())
