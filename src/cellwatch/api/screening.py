"""The screening worker: one background thread per API process runs screening jobs.

Jobs live in the database (:mod:`cellwatch.store.screen_jobs`) and their files in
``settings.jobs_dir / <id>`` (``input.<ext>``, ``result.csv|parquet``, ``errors.csv``).
The worker claims one job at a time (a screen uses every core), runs
:func:`cellwatch.screen.screen` on the live registry snapshot, and reports a heartbeat
every few seconds while it runs. It looks for work when woken (a job was submitted) and
every ``poll`` seconds, so that on start-up, and whenever a worker died (a server killed
mid-job), a job left ``running`` without a heartbeat for ``screen_stale_seconds`` is run
again from its stored input — or failed with the reason when its input is gone or it was
interrupted :data:`~cellwatch.store.screen_jobs.MAX_ATTEMPTS` times. A job is never left
``running`` for ever. A job deleted while it runs (:func:`delete_job`) is found gone at the
next stage's report; the worker stops it and removes its folder. While idle, once an hour,
the worker deletes jobs finished more than ``screen_keep_days`` ago, and folders of no job.

:func:`submit`, :func:`screen_again`, :func:`own_job`, :func:`list_jobs` and
:func:`delete_job` are what the API's routes (:mod:`cellwatch.api.routes.screen`) and
the web page (:mod:`cellwatch.web.screening`) share: a stored upload is checked before a
job exists, and a job is seen only by the token that submitted it (and by admins).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from starlette.applications import Starlette

from cellwatch.api.access import Principal
from cellwatch.api.state import Services
from cellwatch.errors import (
    CellwatchError,
    InputError,
    JobNotFound,
    JobNotReady,
    TooLarge,
    TooManyRows,
)
from cellwatch.screen import ScreenOptions, screen
from cellwatch.screen.changes import compare
from cellwatch.screen.fields import Field, map_columns, parse_overrides
from cellwatch.screen.selection import parse_only
from cellwatch.screen.source import declared_rows, kind_of, read_start
from cellwatch.store import screen_jobs
from cellwatch.store.screen_jobs import MAX_ATTEMPTS, JobStatus, ScreenJob
from cellwatch.store.tokens import TokenRole

log = logging.getLogger(__name__)


def job_folder(jobs_dir: Path, job_id: str) -> Path:
    return jobs_dir / job_id


def input_path(folder: Path) -> Path | None:
    found = sorted(folder.glob("input.*"))
    return found[0] if found else None


def result_path(folder: Path, output_format: str) -> Path:
    return folder / f"result.{output_format}"


def errors_file(folder: Path) -> Path:
    return folder / "errors.csv"


def earlier_path(folder: Path, output_format: str) -> Path:
    """An again-job's copy of the earlier job's result (:func:`screen_again`)."""
    return folder / f"earlier.{output_format}"


def earlier_file(folder: Path) -> Path:
    """Which job and date that earlier result is of (JSON)."""
    return folder / "earlier.json"


def changes_file(folder: Path) -> Path:
    """The rows whose answers changed since the earlier result (:mod:`cellwatch.screen.changes`)."""
    return folder / "changes.csv"


#: Bytes copied at a time from an upload to the job's folder.
_CHUNK = 1024 * 1024
#: Output formats a job may ask for.
OUTPUT_FORMATS = ("csv", "parquet")
#: Longest sheet name a request may give (Excel's own are at most 31 characters)
MAX_SHEET_NAME = 100


def _save(stream: BinaryIO, target: Path, limit: int) -> int:
    """Copy ``stream`` to ``target``; :class:`TooLarge` past ``limit`` bytes."""
    size = 0
    with target.open("wb") as out:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise TooLarge("the inventory file", limit)
            out.write(chunk)
    return size


def _check_input(
    path: Path, name: str, overrides: list[str], max_rows: int, sheet: str | None
) -> dict[str, str]:
    """The explicit mapping, once the file's columns are known to be usable and the rows
    it declares (Parquet) within ``max_rows`` (else :class:`TooManyRows`)."""
    mapping = parse_overrides(overrides)
    try:
        columns, others = read_start(path, path.parent, sheet)
        map_columns(columns, mapping, others)
        rows = declared_rows(path)
    except InputError as error:  # name the file as the client knows it
        raise InputError(str(error).replace(path.name, name)) from None
    if rows is not None and rows > max_rows:
        raise TooManyRows(name, rows, max_rows)
    return {column: field.value for column, field in mapping.items()}


def submit(
    services: Services, caller: Principal, name: str, stream: BinaryIO, *,
    date: dt.date | None, overrides: list[str], output: str, sheet: str | None = None,
    only: list[str] | None = None,
) -> ScreenJob:
    """Store an uploaded inventory and queue its screen (of a workbook, its worksheet
    ``sheet``, by name or number; the first when ``None`` or blank; an output of only the
    rows of the codes ``only``, :mod:`cellwatch.screen.selection`); or raise
    :class:`InputError` (a kind of file the screen does not read, a sheet it does not
    have, columns it cannot map, a bad ``--map``, an unknown code) or
    :class:`TooLarge`, keeping nothing. ``name`` is the file's name as the client knows
    it. Wake the worker afterwards (:func:`worker_of`)."""
    name = Path(name).name or "inventory.csv"
    kind_of(Path(name))  # a kind of file the screen reads, or InputError at once
    if output not in OUTPUT_FORMATS:
        raise InputError(f"output {output!r}: one of {', '.join(OUTPUT_FORMATS)}")
    sheet = sheet.strip() if sheet and sheet.strip() else None
    if sheet is not None and len(sheet) > MAX_SHEET_NAME:
        raise InputError(f"sheet: at most {MAX_SHEET_NAME} characters")
    codes = parse_only(only or [])

    def store(folder: Path) -> tuple[int, dict[str, str]]:
        stored = folder / f"input{Path(name).suffix.lower()}"
        size = _save(stream, stored, services.settings.max_screen_upload_bytes)
        return size, _check_input(stored, name, overrides, services.settings.max_screen_rows,
                                  sheet)

    return _queue(services, caller, store, input_name=name, screen_date=date,
                  output_format=output, sheet=sheet, only=codes)


def _queue(
    services: Services, caller: Principal, store: Callable[[Path], tuple[int, dict[str, str]]],
    *, input_name: str, screen_date: dt.date | None, output_format: str, sheet: str | None,
    only: tuple[str, ...],
) -> ScreenJob:
    """A new job of ``caller``'s, its folder filled by ``store(folder)`` (which gives the
    input's size and the column mapping, or raises); nothing is kept if anything fails."""
    job_id = uuid.uuid4().hex
    folder = job_folder(Path(services.settings.jobs_dir), job_id)
    folder.mkdir(parents=True, exist_ok=False)
    try:
        size, mapping = store(folder)
        with services.database.unit_of_work(caller.actor) as uow:
            screen_jobs.create(
                uow.connection, job_id, token_id=caller.token.id, actor=caller.actor,
                input_name=input_name, input_bytes=size,
                screen_date=screen_date or dt.date.today(), mapping=mapping,
                output_format=output_format, sheet=sheet, only=only,
            )
            job = screen_jobs.get(uow.connection, job_id)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    assert job is not None
    return job


def screen_again(
    services: Services, caller: Principal, job_id: str, *, date: dt.date | None = None,
) -> ScreenJob:
    """A new job of the caller's that screens an earlier job's stored input with its
    settings (mapping, output format, sheet, rows kept) against the registry as it is now,
    as of ``date`` (default today): what a retailer runs when new recalls are published,
    without sending the file again. The input is linked into the new job's folder (copied
    where it cannot be), so that each job keeps its own. :class:`JobNotFound` as
    :func:`own_job`; :class:`JobNotReady` when the earlier job's input is no longer kept.
    Wake the worker afterwards (:func:`worker_of`)."""
    earlier = own_job(services, caller, job_id)
    earlier_folder = job_folder(Path(services.settings.jobs_dir), earlier.id)
    source = input_path(earlier_folder)
    if source is None:
        raise JobNotReady(earlier.id, "without its input",
                          "its input is no longer kept on the server; upload the file again")
    earlier_result = result_path(earlier_folder, earlier.output_format)

    def store(folder: Path) -> tuple[int, dict[str, str]]:
        target = folder / source.name
        _link(source, target)
        if earlier.status is JobStatus.DONE and earlier_result.is_file():
            # what the new result is compared with once it is written (changes.csv)
            _link(earlier_result, earlier_path(folder, earlier.output_format))
            earlier_file(folder).write_text(json.dumps({
                "job": earlier.id, "date": earlier.screen_date.isoformat(),
                "finished_at": earlier.finished_at.isoformat() if earlier.finished_at else None,
            }), encoding="utf-8")
        return target.stat().st_size, earlier.mapping

    return _queue(services, caller, store, input_name=earlier.input_name, screen_date=date,
                  output_format=earlier.output_format, sheet=earlier.sheet, only=earlier.only)


def _link(source: Path, target: Path) -> None:
    """``target`` as a second name of ``source``'s file, or a copy where a link is refused
    (another file system): each job keeps its own files."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def own_job(services: Services, caller: Principal, job_id: str) -> ScreenJob:
    """The job, if ``caller`` submitted it or is an admin; else :class:`JobNotFound` (the
    same answer as for a job that does not exist)."""
    with services.database.connect() as connection:
        job = screen_jobs.get(connection, job_id)
    if job is None or (caller.role is not TokenRole.ADMIN and job.token_id != caller.token.id):
        raise JobNotFound(job_id)
    return job


def is_own_job(services: Services, caller: Principal, job_id: str) -> bool:
    """Whether :func:`own_job` finds the job: it still exists and ``caller`` may see it."""
    try:
        own_job(services, caller, job_id)
    except JobNotFound:
        return False
    return True


def list_jobs(
    services: Services, caller: Principal, *, status: JobStatus | None = None,
    limit: int = 20, skip: int = 0,
) -> tuple[list[ScreenJob], int]:
    """The caller's jobs (every token's for an admin), newest first, and how many there
    are (:func:`cellwatch.store.screen_jobs.listing`)."""
    token_id = None if caller.role is TokenRole.ADMIN else caller.token.id
    with services.database.connect() as connection:
        return screen_jobs.listing(connection, token_id, status=status, limit=limit, skip=skip)


def delete_job(services: Services, caller: Principal, job_id: str) -> None:
    """Delete the caller's job (any job, for an admin) and its files; or
    :class:`JobNotFound`. A running job's worker finds it gone at its next report, stops,
    and removes the files it was writing."""
    job = own_job(services, caller, job_id)
    with services.database.unit_of_work(caller.actor) as uow:
        screen_jobs.delete(uow.connection, job.id)
    if job.status is not JobStatus.RUNNING:
        _remove(job_folder(Path(services.settings.jobs_dir), job.id))
    log.info("screening job %s deleted by %s", job.id, caller.actor)


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class JobFile:
    """A finished job's file, as it is downloaded."""

    path: Path
    media_type: str
    filename: str


def job_file(jobs_dir: Path, job: ScreenJob, which: str) -> JobFile:
    """The job's ``result`` or ``errors`` file, named after the uploaded file; or
    :class:`JobNotReady` while it is not done, or when its files were removed."""
    if job.status is not JobStatus.DONE:
        raise JobNotReady(job.id, job.status.value, job.error)
    folder = job_folder(jobs_dir, job.id)
    stem = Path(job.input_name).stem
    if which == "result":
        media = "application/vnd.apache.parquet" if job.output_format == "parquet" else "text/csv"
        found = JobFile(result_path(folder, job.output_format), media,
                        f"{stem}.screened.{job.output_format}")
    elif which == "changes":
        found = JobFile(changes_file(folder), "text/csv", f"{stem}.changes.csv")
        if not (job.summary or {}).get("changes"):
            raise JobNotReady(job.id, "without changes", "only a screen of an earlier "
                              "screen's input, whose result was still kept, has them")
    else:
        found = JobFile(errors_file(folder), "text/csv", f"{stem}.screened.errors.csv")
    if not found.path.is_file():
        raise JobNotReady(job.id, "without files", "its files were removed from the server")
    return found


def _changes(folder: Path, job: ScreenJob) -> dict[str, Any] | None:
    """For a job screened again from an earlier one's input (:func:`screen_again`): its
    rows whose answers changed since the earlier result (``changes.csv``), counted, and
    which screen that was; ``None`` for any other job, or when the comparison fails (the
    job is done all the same)."""
    earlier = earlier_path(folder, job.output_format)
    if not earlier.is_file():
        return None
    try:
        since = json.loads(earlier_file(folder).read_text(encoding="utf-8"))
        found = compare(earlier, result_path(folder, job.output_format), changes_file(folder))
    except (OSError, ValueError) as error:
        log.warning("screening job %s: not compared with the earlier result: %s", job.id, error)
        changes_file(folder).unlink(missing_ok=True)
        return None
    return {"since": since, **found.as_json(), "file": f"/v1/screen/{job.id}/changes"}


#: Jobs deleted per transaction by the retention sweep.
_SWEEP_BATCH = 100


class _Gone(Exception):
    """The running job is no longer this worker's (deleted, or taken over)."""


def worker_of(app: Starlette) -> ScreenWorker:
    """The app's worker, made on first use (the API's lifespan starts it; so does
    :meth:`ScreenWorker.wake`, in a server that never ran the lifespan: tests, scripts)."""
    worker: ScreenWorker | None = getattr(app.state, "screen_worker", None)
    if worker is None:
        services: Services = app.state.services
        worker = app.state.screen_worker = ScreenWorker(services)
    return worker


class ScreenWorker:
    """Runs screening jobs of one database in a daemon thread."""

    def __init__(self, services: Services) -> None:
        self.services = services
        settings = services.settings
        self.jobs_dir = Path(settings.jobs_dir)
        self.stale = dt.timedelta(seconds=settings.screen_stale_seconds)
        self.poll = min(5.0, settings.screen_stale_seconds / 3)
        self.keep = dt.timedelta(days=settings.screen_keep_days)
        self._expired_at: float | None = None  # time.monotonic() of the last sweep
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="cellwatch-screen", daemon=True
                )
                self._thread.start()

    def wake(self) -> None:
        self.start()
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # -- the thread ----------------------------------------------------------------------

    def _run(self) -> None:
        log.info("screening worker %s started", self.name)
        while not self._stop.is_set():
            try:
                ran = self._one()
            except CellwatchError as error:  # the database is away: try again later
                log.warning("screening worker: %s", error)
                ran = False
            except Exception:
                log.exception("screening worker failed; it goes on")
                ran = False
            if not ran:
                try:
                    self._sweep()
                except (CellwatchError, OSError) as error:  # next time, then
                    log.warning("screening worker: the keeping sweep failed: %s", error)
                self._wake.wait(self.poll)
                self._wake.clear()

    def _stale_before(self) -> dt.datetime:
        return screen_jobs.now() - self.stale

    def _one(self) -> bool:
        """Claim and run one job; whether there was one."""
        database = self.services.database
        with database.connect() as connection:
            candidates = screen_jobs.claimable(connection, self._stale_before())
        for job_id in candidates:
            with database.unit_of_work(f"screen-worker {self.name}") as uow:
                claimed = screen_jobs.claim(uow.connection, job_id, self.name,
                                            self._stale_before())
                job = screen_jobs.get(uow.connection, job_id) if claimed else None
            if job is not None:
                self._run_job(job)
                return True
        return False

    def _fail(self, job_id: str, reason: str) -> None:
        log.warning("screening job %s failed: %s", job_id, reason)
        with self.services.database.unit_of_work(f"screen-worker {self.name}") as uow:
            screen_jobs.fail(uow.connection, job_id, reason)

    def _report(self, job_id: str, stage: str | None, progress: float | None) -> bool:
        """Move the job's heartbeat (and stage); whether the job is still this worker's."""
        with self.services.database.unit_of_work(f"screen-worker {self.name}") as uow:
            return screen_jobs.report(uow.connection, job_id, self.name, stage, progress)

    def _progress(self, job_id: str, stage: str, step: int, steps: int) -> None:
        if not self._report(job_id, stage, step / steps):
            raise _Gone(job_id)

    def _let_go(self, job_id: str) -> None:
        """The job is no longer this worker's: deleted by its owner (its files go too), or
        taken over by another worker (which uses them)."""
        with self.services.database.connect() as connection:
            taken_over = screen_jobs.get(connection, job_id) is not None
        if taken_over:
            log.warning("screening job %s was taken over by another worker", job_id)
        else:
            log.info("screening job %s was deleted while it ran; its files are removed", job_id)
            _remove(job_folder(self.jobs_dir, job_id))

    def _sweep(self, every: float = 3600.0) -> None:
        """At most once in ``every`` seconds: delete the jobs finished more than
        ``screen_keep_days`` ago with their files, and job folders of no job (left by a
        job deleted while its worker was away) untouched for a day."""
        if self._expired_at is not None and time.monotonic() - self._expired_at < every:
            return
        self._expired_at = time.monotonic()
        database = self.services.database
        while True:
            with database.unit_of_work(f"screen-worker {self.name}") as uow:
                expired = screen_jobs.finished_before(uow.connection, screen_jobs.now() - self.keep)
                for job_id in expired:
                    screen_jobs.delete(uow.connection, job_id)
            for job_id in expired:
                _remove(job_folder(self.jobs_dir, job_id))
            if expired:
                log.info("deleted %s screening jobs finished before %s days ago", len(expired),
                         self.keep.days)
            if len(expired) < _SWEEP_BATCH:
                break
        if not self.jobs_dir.is_dir():
            return
        day_ago = time.time() - 24 * 3600
        folders = [f for f in self.jobs_dir.iterdir() if f.is_dir() and f.stat().st_mtime < day_ago]
        with database.connect() as connection:
            known = screen_jobs.existing(connection, [f.name for f in folders])
        for folder in folders:
            if folder.name not in known:
                log.info("removing the files of screening job %s, which is gone", folder.name)
                _remove(folder)

    def _run_job(self, job: ScreenJob) -> None:
        folder = job_folder(self.jobs_dir, job.id)
        source = input_path(folder)
        if job.attempts > 1:
            log.info("screening job %s: attempt %s (its worker stopped)", job.id, job.attempts)
        if source is None:
            self._fail(job.id, "the server stopped while the job was running and its stored "
                               "input is gone; submit the file again")
            return
        if job.attempts > MAX_ATTEMPTS:
            self._fail(job.id, f"the job was interrupted {MAX_ATTEMPTS} times (the server "
                               "stopped while it ran); submit it again, perhaps smaller")
            return
        beat = threading.Event()

        def heartbeat() -> None:
            while not beat.wait(max(0.5, self.stale.total_seconds() / 4)):
                try:
                    if not self._report(job.id, None, None):
                        return  # deleted or taken over: the screen stops at its next stage
                except CellwatchError as error:
                    log.warning("screening job %s: no heartbeat: %s", job.id, error)

        beating = threading.Thread(target=heartbeat, name=f"screen-{job.id}", daemon=True)
        beating.start()
        try:
            registry = self.services.registry.current().registry
            options = ScreenOptions(
                date=job.screen_date,
                overrides={column: Field(field) for column, field in job.mapping.items()},
                output=result_path(folder, job.output_format), errors=errors_file(folder),
                sheet=job.sheet, only=job.only,
            )
            summary = screen(
                source, registry, options,
                lambda stage, step, steps: self._progress(job.id, stage, step, steps),
            )
            value = summary.as_json()
            value["input"] = job.input_name
            value["output"] = f"/v1/screen/{job.id}/result"
            value["errors"] = f"/v1/screen/{job.id}/errors"
            value["changes"] = _changes(folder, job)
            with self.services.database.unit_of_work(f"screen-worker {self.name}") as uow:
                finished = screen_jobs.finish(uow.connection, job.id, self.name, value)
            if not finished:
                raise _Gone(job.id)
            log.info("screening job %s done: %s rows", job.id, summary.rows)
        except _Gone:
            self._let_go(job.id)
        except InputError as error:  # name the file as the client knows it
            self._fail(job.id, str(error).replace(source.name, job.input_name))
        except CellwatchError as error:
            self._fail(job.id, f"the screen could not run: {error}")
        except Exception as error:
            log.exception("screening job %s failed", job.id)
            self._fail(job.id, f"the screen failed unexpectedly ({type(error).__name__}); "
                               "it is logged")
        finally:
            beat.set()
            beating.join()
