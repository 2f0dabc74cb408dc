"""Bulk screening in the browser (``/screen``), for anyone signed in with a token of any
role (:mod:`cellwatch.web.session`): a retailer's ``screener`` token, a brand's, an
officer's.

The form uploads an inventory with the fields ``POST /v1/screen`` takes (the file, the
date, the column mapping, the result's format) and the page calls the same core
(:func:`cellwatch.api.screening.submit`): a file the screen cannot read, or whose columns
it cannot map, gets the form back with the reason (422, nothing kept); one over
``max_screen_upload_bytes`` a 413. A stored upload becomes a background job, and the
browser is sent to its page, ``/screen/{id}``, which refreshes itself while the job waits
or runs and, once done, shows the summary in the page's language and links the result and
errors files (``/screen/{id}/result``, ``/screen/{id}/errors``). A job is seen only by
the token that submitted it, and by admins, as over the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, RedirectResponse, Response

from cellwatch.api import screening
from cellwatch.api.access import Principal
from cellwatch.errors import InputError, TooLarge, TooManyRows
from cellwatch.screen import selection
from cellwatch.screen.fields import parse_overrides
from cellwatch.screen.words import STAGE_WORDS
from cellwatch.store.screen_jobs import JobStatus, ScreenJob
from cellwatch.web import session
from cellwatch.web.forms import Problem
from cellwatch.web.pages import Pages, View

pages = Pages()

#: Seconds between refreshes of a job's page while it waits or runs.
REFRESH_SECONDS = 2
#: Most lines of column mapping the form takes.
MAX_MAPPINGS = 20


#: Each kind of code ``only`` takes (:data:`selection.KINDS`): its catalogue of words
_CATALOGUES = {"recall": "recall_status", "certificate": "cert_state", "advisory": "advisory"}


def _code_words(view: View, code: str) -> str:
    """An output code in the page's words."""
    return view.t(f"{_CATALOGUES[selection.kind_of_code(code)]}.{code}")


def _form(view: View, caller: Principal, values: dict[str, str], found: list[Problem],
          status: int, deleted: bool = False, only: Collection[str] = ()) -> Response:
    settings = view.services.settings
    return view.render(
        "screen.html", view.t("screen.title"), status=status, caller=caller, deleted=deleted,
        keep_days=f"{settings.screen_keep_days:g}",
        values=values, problems=found, invalid={p.field for p in found}, only=set(only),
        only_groups=[(kind, view.t(f"screen.only_{kind}"),
                      [(code, _code_words(view, code)) for code in codes])
                     for kind, codes in selection.KINDS],
        jobs=[_job_view(view, job) for job in screening.list_jobs(view.services, caller)[0]],
        megabytes=f"{settings.max_screen_upload_bytes / 1024 / 1024:g}",
        outputs=[(name, view.t(f"screen.format.{name}")) for name in screening.OUTPUT_FORMATS],
    )


def _job_view(view: View, job: ScreenJob) -> dict[str, Any]:
    """What the pages show of a job: its status and stage in words, and its summary."""
    summary = job.summary or {}
    return {
        "job": job, "state": view.t(f"screen.status.{job.status.value}"),
        "only": [(code, _code_words(view, code)) for code in job.only],
        "stage": view.t(f"screen.stage.{job.stage}") if job.stage in STAGE_WORDS else "",
        "percent": round(job.progress * 100),
        "waiting": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        "summary": summary,
        "statuses": [(code, view.t(f"recall_status.{code}"), n)
                     for code, n in summary.get("statuses", {}).items()],
        "certificates": [(code, view.t(f"cert_state.{code}"), n)
                         for code, n in summary.get("certificates", {}).items()],
        "advisories": [(code, view.t(f"advisory.{code}"), n)
                       for code, n in summary.get("advisories", {}).items()],
    }


def _mapping(text: str) -> list[str]:
    """The mapping box's lines (``COLUMN=FIELD``), blank lines dropped; checked as
    ``--map`` is (:class:`InputError`)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_MAPPINGS:
        raise InputError(f"at most {MAX_MAPPINGS} lines of column mapping")
    parse_overrides(lines)
    return lines


@pages.get("/screen")
def screen_form(view: View) -> Response:
    caller = session.signed_in(view, "/screen")
    if isinstance(caller, Response):
        return caller
    return _form(view, caller, {"output": "csv"}, [], 200,
                 deleted=view.request.query_params.get("deleted") == "1")


@pages.post("/screen", max_files=1)
def screen_submit(view: View) -> Response:
    caller = session.signed_in(view, "/screen")
    if isinstance(caller, Response):
        return caller
    values = {name: view.field(name) for name in ("date", "map", "output", "sheet")}
    ticked = [v for v in view.form.getlist("only") if isinstance(v, str)] if view.form else []
    upload = view.form.get("file") if view.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _form(view, caller, values, [Problem("file", view.t.text("screen.no_file"))],
                     422, only=ticked)
    found: list[Problem] = []
    try:
        date = dt.date.fromisoformat(values["date"]) if values["date"] else None
    except ValueError:
        found.append(Problem("date", view.t.text("screen.bad_date")))
    try:
        overrides = _mapping(values["map"])
    except InputError as error:
        found.append(Problem("map", view.t.text("screen.bad_map", detail=str(error))))
    if values["output"] not in screening.OUTPUT_FORMATS:
        found.append(Problem("output", view.t.text("screen.bad_output")))
    if len(values["sheet"]) > screening.MAX_SHEET_NAME:
        found.append(Problem("sheet", view.t.text("screen.bad_sheet",
                                                  limit=screening.MAX_SHEET_NAME)))
    try:
        only = selection.parse_only(ticked)
    except InputError as error:
        found.append(Problem("only", view.t.text("screen.bad_only", detail=str(error))))
    if found:
        return _form(view, caller, values, found, 422, only=ticked)
    try:
        job = screening.submit(view.services, caller, upload.filename, upload.file,
                               date=date, overrides=overrides, output=values["output"],
                               sheet=values["sheet"], only=list(only))
    except TooManyRows as error:
        message = view.t.text("screen.too_many_rows", rows=f"{error.rows:,}",
                              limit=f"{error.limit:,}")
        return _form(view, caller, values, [Problem("file", message)], 413, only=ticked)
    except TooLarge as error:
        message = view.t.text("screen.too_large", megabytes=f"{error.limit / 1024 / 1024:g}")
        return _form(view, caller, values, [Problem("file", message)], 413, only=ticked)
    except InputError as error:  # a kind of file the screen does not read, or its columns
        message = view.t.text("screen.unusable", detail=str(error))
        return _form(view, caller, values, [Problem("file", message)], 422, only=ticked)
    screening.worker_of(view.request.app).wake()
    return RedirectResponse(f"/screen/{job.id}", status_code=303)


@pages.get("/screen/{job_id}")
def screen_job(view: View) -> Response:
    job_id = view.path("job_id")
    caller = session.signed_in(view, f"/screen/{job_id}")
    if isinstance(caller, Response):
        return caller
    screening.worker_of(view.request.app).start()  # a server that never ran its lifespan
    job = screening.own_job(view.services, caller, job_id)
    shown = _job_view(view, job)
    earlier = ((shown["summary"].get("changes") or {}).get("since") or {}).get("job")
    shown["earlier_kept"] = (isinstance(earlier, str)
                             and screening.is_own_job(view.services, caller, earlier))
    response = view.render(
        "screen_job.html", view.t("screen.job_title", name=job.input_name), caller=caller,
        refresh=REFRESH_SECONDS if shown["waiting"] else None,
        keep_days=f"{view.services.settings.screen_keep_days:g}", **shown,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@pages.post("/screen/{job_id}/again")
def screen_again(view: View) -> Response:
    """Screen the job's stored input again with its settings, as of today, and go to the
    new job's page."""
    job_id = view.path("job_id")
    caller = session.signed_in(view, f"/screen/{job_id}")
    if isinstance(caller, Response):
        return caller
    job = screening.screen_again(view.services, caller, job_id)
    screening.worker_of(view.request.app).wake()
    return RedirectResponse(f"/screen/{job.id}", status_code=303)


@pages.post("/screen/{job_id}/delete")
def screen_delete(view: View) -> Response:
    """Delete the job and its files (a running job stops at its next stage), then back to
    the form with a note."""
    job_id = view.path("job_id")
    caller = session.signed_in(view, f"/screen/{job_id}")
    if isinstance(caller, Response):
        return caller
    screening.delete_job(view.services, caller, job_id)
    return RedirectResponse("/screen?deleted=1", status_code=303)


def _download(view: View, which: str) -> Response:
    job_id = view.path("job_id")
    caller = session.signed_in(view, f"/screen/{job_id}")
    if isinstance(caller, Response):
        return caller
    job = screening.own_job(view.services, caller, job_id)
    found = screening.job_file(Path(view.services.settings.jobs_dir), job, which)
    return FileResponse(found.path, media_type=found.media_type, filename=found.filename,
                        headers={"Cache-Control": "no-store"})


@pages.get("/screen/{job_id}/result")
def screen_result(view: View) -> Response:
    return _download(view, "result")


@pages.get("/screen/{job_id}/errors")
def screen_errors(view: View) -> Response:
    return _download(view, "errors")


@pages.get("/screen/{job_id}/changes")
def screen_changes(view: View) -> Response:
    return _download(view, "changes")
