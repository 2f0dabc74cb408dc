"""Screening jobs in the database: created by the API, claimed and run by a worker thread.

A job is ``queued`` → ``running`` → ``done`` or ``failed``. A worker claims a job with a
conditional update (so two workers never run one job) and moves ``heartbeat_at`` while it
runs it; a job ``running`` with an old heartbeat was left by a worker that died (a server
restart) and may be claimed again. The job's owner may delete it at any time (a running
job's worker finds it gone at its next report and stops), and workers delete finished
jobs after ``screen_keep_days``. Jobs are not registry records: writing them neither
moves the registry version nor the audit log.

Data functions take a connection and never commit (:mod:`cellwatch.store.db`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cellwatch.store.tables import screen_jobs

#: A job interrupted this many times is failed instead of run again.
MAX_ATTEMPTS = 3


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class ScreenJob:
    id: str
    status: JobStatus
    token_id: int | None
    actor: str
    input_name: str
    input_bytes: int
    screen_date: dt.date
    mapping: dict[str, str]
    output_format: str
    stage: str | None
    progress: float
    attempts: int
    worker: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    heartbeat_at: dt.datetime | None
    finished_at: dt.datetime | None
    summary: dict[str, Any] | None
    error: str | None
    #: A workbook's worksheet to screen, by name or number (``None``: its first)
    sheet: str | None = None
    #: The codes the output keeps the rows of (:mod:`cellwatch.screen.selection`);
    #: empty: every row
    only: tuple[str, ...] = ()


def _job(row: Any) -> ScreenJob:
    values = dict(row._mapping)
    values["status"] = JobStatus(values["status"])
    codes = values.pop("only_codes")
    values["only"] = tuple(codes.split(",")) if codes else ()
    for name in ("created_at", "started_at", "heartbeat_at", "finished_at"):
        value = values[name]
        if value is not None and value.tzinfo is None:  # SQLite keeps UTC without a zone
            values[name] = value.replace(tzinfo=dt.UTC)
    return ScreenJob(**values)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create(
    connection: Connection, job_id: str, *, token_id: int | None, actor: str,
    input_name: str, input_bytes: int, screen_date: dt.date, mapping: dict[str, str],
    output_format: str, sheet: str | None = None, only: tuple[str, ...] = (),
) -> None:
    connection.execute(screen_jobs.insert().values(
        id=job_id, status=JobStatus.QUEUED.value, token_id=token_id, actor=actor,
        input_name=input_name, input_bytes=input_bytes, screen_date=screen_date,
        mapping=mapping, output_format=output_format, stage=None, progress=0.0, attempts=0,
        created_at=now(), sheet=sheet, only_codes=",".join(only) or None,
    ))


def get(connection: Connection, job_id: str) -> ScreenJob | None:
    row = connection.execute(sa.select(screen_jobs).where(screen_jobs.c.id == job_id)).first()
    return _job(row) if row is not None else None


def listing(
    connection: Connection, token_id: int | None, *, status: JobStatus | None = None,
    limit: int = 20, skip: int = 0,
) -> tuple[list[ScreenJob], int]:
    """The jobs a token submitted (every token's when ``token_id`` is None), newest first,
    with ``status`` if given: ``limit`` of them after ``skip``, and how many there are."""
    where: list[sa.ColumnElement[bool]] = []
    if token_id is not None:
        where.append(screen_jobs.c.token_id == token_id)
    if status is not None:
        where.append(screen_jobs.c.status == status.value)
    total = connection.execute(
        sa.select(sa.func.count()).select_from(screen_jobs).where(*where)).scalar_one()
    rows = connection.execute(
        sa.select(screen_jobs).where(*where)
        .order_by(screen_jobs.c.created_at.desc(), screen_jobs.c.id).limit(limit).offset(skip)
    )
    return [_job(row) for row in rows], total


def claimable(connection: Connection, stale_before: dt.datetime, limit: int = 10) -> list[str]:
    """Jobs waiting to run, and jobs whose worker stopped reporting, oldest first."""
    c = screen_jobs.c
    return list(connection.execute(
        sa.select(c.id).where(
            (c.status == JobStatus.QUEUED.value)
            | ((c.status == JobStatus.RUNNING.value) & (c.heartbeat_at < stale_before))
        ).order_by(c.created_at).limit(limit)
    ).scalars())


def claim(connection: Connection, job_id: str, worker: str, stale_before: dt.datetime) -> bool:
    """Take the job for ``worker`` if it is still claimable; whether it was taken."""
    c = screen_jobs.c
    at = now()
    result = connection.execute(
        screen_jobs.update().where(
            (c.id == job_id) & (
                (c.status == JobStatus.QUEUED.value)
                | ((c.status == JobStatus.RUNNING.value) & (c.heartbeat_at < stale_before))
            )
        ).values(
            status=JobStatus.RUNNING.value, worker=worker, attempts=c.attempts + 1,
            started_at=at, heartbeat_at=at, stage=None, progress=0.0,
        )
    )
    return result.rowcount == 1


def report(connection: Connection, job_id: str, worker: str, stage: str | None,
           progress: float | None) -> bool:
    """The worker is alive (and, when given, at this stage and progress); whether the job
    is still the worker's (not deleted, nor taken over by another worker)."""
    values: dict[str, Any] = {"heartbeat_at": now()}
    if stage is not None:
        values["stage"] = stage
    if progress is not None:
        values["progress"] = progress
    c = screen_jobs.c
    result = connection.execute(
        screen_jobs.update().where((c.id == job_id) & (c.worker == worker)).values(**values)
    )
    return result.rowcount == 1


def finish(connection: Connection, job_id: str, worker: str, summary: dict[str, Any]) -> bool:
    """The job is done; whether it was still the worker's."""
    c = screen_jobs.c
    result = connection.execute(
        screen_jobs.update().where((c.id == job_id) & (c.worker == worker)).values(
            status=JobStatus.DONE.value, stage="done", progress=1.0, finished_at=now(),
            heartbeat_at=now(), summary=summary, error=None,
        )
    )
    return result.rowcount == 1


def fail(connection: Connection, job_id: str, reason: str) -> None:
    connection.execute(screen_jobs.update().where(screen_jobs.c.id == job_id).values(
        status=JobStatus.FAILED.value, finished_at=now(), error=reason,
    ))


def delete(connection: Connection, job_id: str) -> bool:
    """Remove the job; whether there was one."""
    result = connection.execute(screen_jobs.delete().where(screen_jobs.c.id == job_id))
    return result.rowcount == 1


def finished_before(connection: Connection, before: dt.datetime, limit: int = 100) -> list[str]:
    """Jobs done or failed before ``before``, oldest first."""
    c = screen_jobs.c
    return list(connection.execute(
        sa.select(c.id).where(
            c.status.in_([JobStatus.DONE.value, JobStatus.FAILED.value])
            & (c.finished_at < before)
        ).order_by(c.finished_at).limit(limit)
    ).scalars())


def existing(connection: Connection, job_ids: list[str]) -> set[str]:
    """Which of ``job_ids`` are jobs."""
    if not job_ids:
        return set()
    return set(connection.execute(
        sa.select(screen_jobs.c.id).where(screen_jobs.c.id.in_(job_ids))
    ).scalars())
