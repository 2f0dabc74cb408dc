"""Bulk screening over the API: upload an inventory, follow the job, fetch the files.

- ``POST /v1/screen`` (multipart: ``file``, optional ``date``, ``map`` repeated
  ``column=field``, ``output`` ``csv`` or ``parquet``, ``sheet``, ``only`` repeated
  codes) → 202 with the job and
  ``Location``. The upload is bounded (``max_screen_upload_bytes``); its kind, columns
  and mapping are checked at once (422 with the reason, nothing kept).
- ``GET /v1/screen`` (``status``, ``limit``, ``skip``): the caller's jobs, newest first,
  with how many there are (an admin sees every token's).
- ``GET /v1/screen/{id}``: status, stage, progress; the summary when done; the reason
  when failed.
- ``GET /v1/screen/{id}/result`` and ``/errors``: the files, once done (409 before).
- ``POST /v1/screen/{id}/again`` (optional JSON ``{"date": …}``) → 202 with a new job
  that screens the earlier job's stored input, with its settings, against the registry as
  it is now (409 when that input is no longer kept); once done, ``/changes`` is the CSV of
  the rows whose answers changed since the earlier result, counted in the summary's
  ``changes``.
- ``DELETE /v1/screen/{id}`` → 204: the job and its files are deleted (a running job stops
  at its next stage). Finished jobs are deleted after ``screen_keep_days`` anyway.

Who may screen: any valid token (brand, regulator, checkpoint, admin). A screen is heavy
work on the server and an inventory is a company's private data, so it is not public; a
job and its files are visible only to the token that submitted it (and to admins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from cellwatch.api import errors, screening
from cellwatch.api.access import AnyToken, Principal
from cellwatch.api.deps import ServicesDep
from cellwatch.api.state import Services
from cellwatch.store.screen_jobs import JobStatus, ScreenJob


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the worker with the server (it takes over jobs a stopped server left)."""
    worker = screening.worker_of(app)
    worker.start()
    yield
    await run_in_threadpool(worker.stop)


router = APIRouter(
    prefix="/v1", tags=["screen"], responses=errors.responses(401, 404, 413, 422, 503),
    lifespan=lifespan,
)

#: Any valid token may screen; its jobs are its own.
Caller = AnyToken


class ScreenJobPublic(BaseModel):
    """A screening job as the API shows it."""

    id: str
    status: Literal["queued", "running", "done", "failed"]
    input: str = Field(description="The uploaded file's name.")
    input_bytes: int
    date: dt.date = Field(description="The date the units are screened as of.")
    columns: dict[str, str] = Field(description="Explicit mapping, column → field.")
    output_format: Literal["csv", "parquet"]
    sheet: str | None = Field(default=None, description=(
        "The workbook's sheet asked for, by name or number (none: its first worksheet); "
        "the summary names the sheet read."))
    only: list[str] = Field(description=(
        "The result keeps only the rows whose recall status, certificate status or an "
        "advisory code is one of these (empty: every row); the summary counts every row "
        "and `output_rows` the rows kept."))
    stage: str | None = None
    progress: float = Field(ge=0, le=1)
    attempts: int = Field(description="How many times a worker started it (a restart adds one).")
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    summary: dict[str, Any] | None = Field(
        default=None, description="What `cellwatch screen --json` prints, once done."
    )
    error: str | None = Field(default=None, description="Why it failed.")
    result: str | None = Field(default=None, description="Where the output file is, once done.")
    errors: str | None = Field(default=None, description="Where the errors file is, once done.")


class JobsMeta(BaseModel):
    total: int = Field(description="How many of the caller's jobs match, before paging.")
    limit: int
    skip: int


class ScreenJobListing(BaseModel):
    """The caller's jobs, newest first."""

    meta: JobsMeta
    results: list[ScreenJobPublic]


def _public(job: ScreenJob) -> dict[str, Any]:
    done = job.status is JobStatus.DONE
    return ScreenJobPublic(
        id=job.id, status=job.status.value, input=job.input_name, input_bytes=job.input_bytes,
        date=job.screen_date, columns=job.mapping,
        output_format="parquet" if job.output_format == "parquet" else "csv",
        sheet=job.sheet, only=list(job.only), stage=job.stage, progress=job.progress,
        attempts=job.attempts,
        created_at=job.created_at, started_at=job.started_at, finished_at=job.finished_at,
        summary=job.summary, error=job.error,
        result=f"/v1/screen/{job.id}/result" if done else None,
        errors=f"/v1/screen/{job.id}/errors" if done else None,
    ).model_dump(mode="json")


def _queued(request: Request, job: ScreenJob) -> JSONResponse:
    """202 with a job just queued and where to follow it; its worker woken."""
    screening.worker_of(request.app).wake()
    return JSONResponse(_public(job), status_code=202,
                        headers={"Location": f"/v1/screen/{job.id}"})


@router.post(
    "/screen", status_code=202, response_model=ScreenJobPublic,
    summary="Screen an inventory file (CSV, Parquet, Excel or OpenDocument) as a background job",
    responses=errors.responses(202),
)
async def submit(
    request: Request,
    services: ServicesDep,
    caller: Caller,
    file: Annotated[UploadFile, File(description="The inventory: .csv/.tsv (UTF-8 or GB18030), "
                                                 ".parquet, .xlsx/.xlsm/.xls or .ods.")],
    date: Annotated[dt.date | None, Form(description="Screen as of this date (default today).")]
    = None,
    map_: Annotated[list[str] | None, Form(
        alias="map", description="COLUMN=FIELD, repeated (brand, model, serial, batch, "
                                 "produced, certificate).")] = None,
    output: Annotated[Literal["csv", "parquet"], Form(description="The result's format.")]
    = "csv",
    sheet: Annotated[str | None, Form(
        max_length=screening.MAX_SHEET_NAME,
        description="A workbook's sheet to screen, by name or number (1 for the first; "
                    "default: its first worksheet).")] = None,
    only: Annotated[list[str] | None, Form(
        description="Keep in the result only the rows whose recall status, certificate "
                    "status or an advisory code is one of these codes (repeated, or "
                    "separated by commas), e.g. recalled,possibly_recalled,suspended.")]
    = None,
) -> JSONResponse:
    job = await run_in_threadpool(
        screening.submit, services, caller, file.filename or "inventory.csv", file.file,
        date=date, overrides=map_ or [], output=output, sheet=sheet, only=only,
    )
    return _queued(request, job)


@router.get("/screen", response_model=ScreenJobListing,
            summary="The caller's screening jobs, newest first (an admin's: every token's)")
async def list_jobs(
    services: ServicesDep,
    caller: Caller,
    status: Annotated[JobStatus | None, Query(description="Only jobs in this state.")] = None,
    limit: Annotated[int, Query(ge=0, le=1000)] = 20,
    skip: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> dict[str, Any]:
    found, total = await run_in_threadpool(
        screening.list_jobs, services, caller, status=status, limit=limit, skip=skip)
    return {"meta": {"total": total, "limit": limit, "skip": skip},
            "results": [_public(job) for job in found]}


class ScreenAgain(BaseModel):
    """What may change when a job is screened again."""

    model_config = ConfigDict(extra="forbid")
    date: dt.date | None = Field(default=None, description="Screen as of this date (default "
                                                           "today, not the earlier job's).")


@router.post(
    "/screen/{job_id}/again", status_code=202, response_model=ScreenJobPublic,
    summary="Screen an earlier job's stored input again, against the registry as it is now",
    responses=errors.responses(202, 409),
)
async def again(
    job_id: str, request: Request, services: ServicesDep, caller: Caller,
    body: Annotated[ScreenAgain | None, Body()] = None,
) -> JSONResponse:
    job = await run_in_threadpool(screening.screen_again, services, caller, job_id,
                                  date=body.date if body else None)
    return _queued(request, job)


async def _own_job(request: Request, services: Services, caller: Principal,
                   job_id: str) -> ScreenJob:
    screening.worker_of(request.app).start()  # a server that never ran its lifespan
    return await run_in_threadpool(screening.own_job, services, caller, job_id)


@router.get("/screen/{job_id}", response_model=ScreenJobPublic,
            summary="A screening job: status, progress, summary")
async def status(
    job_id: str, request: Request, services: ServicesDep,
    caller: Caller,
) -> dict[str, Any]:
    return _public(await _own_job(request, services, caller, job_id))


def _file(services: Services, job: ScreenJob, which: str) -> FileResponse:
    found = screening.job_file(Path(services.settings.jobs_dir), job, which)
    return FileResponse(found.path, media_type=found.media_type, filename=found.filename)


@router.get("/screen/{job_id}/result", summary="The screened inventory (CSV or Parquet)",
            responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}},
                       **errors.responses(409)})
async def result(
    job_id: str, request: Request, services: ServicesDep,
    caller: Caller,
) -> FileResponse:
    return _file(services, await _own_job(request, services, caller, job_id), "result")


@router.get("/screen/{job_id}/errors", summary="The rows that could not be screened (CSV)",
            responses={200: {"content": {"text/csv": {}}}, **errors.responses(409)})
async def errors_csv(
    job_id: str, request: Request, services: ServicesDep,
    caller: Caller,
) -> FileResponse:
    return _file(services, await _own_job(request, services, caller, job_id), "errors")


@router.get("/screen/{job_id}/changes",
            summary="The rows whose answers changed since the earlier screen (CSV; a job "
                    "screened again only)",
            responses={200: {"content": {"text/csv": {}}}, **errors.responses(409)})
async def changes_csv(
    job_id: str, request: Request, services: ServicesDep,
    caller: Caller,
) -> FileResponse:
    return _file(services, await _own_job(request, services, caller, job_id), "changes")


@router.delete("/screen/{job_id}", status_code=204,
               summary="Delete a screening job and its files (a running job stops)")
async def delete(
    job_id: str, request: Request, services: ServicesDep, caller: Caller,
) -> Response:
    await run_in_threadpool(screening.delete_job, services, caller, job_id)
    return Response(status_code=204)
