"""The incident report form (``/incidents/new``), for an officer signed in with a
regulator or checkpoint token (:mod:`cellwatch.web.session`).

The form posts the facts ``POST /v1/incident-reports`` takes, and the page calls the same
intake core (:func:`cellwatch.fieldops.incidents.report`): the incident is stored (201),
or held back as a likely duplicate of a stored one for a regulator to decide (202). The
source is given as a URL; it is added to the registry as a source of its own (the same
URL always gives the same source).
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from pydantic import ValidationError
from starlette.responses import Response

from cellwatch.api.access import Principal
from cellwatch.domain.incidents import Mode, Severity
from cellwatch.errors import InputError, RecordExists
from cellwatch.fieldops import incidents as ops
from cellwatch.incidents.intake import IncidentReport
from cellwatch.web import session
from cellwatch.web.dashboard import mode_label
from cellwatch.web.forms import Problem, problems, too_long
from cellwatch.web.pages import Pages, View

pages = Pages()

FIELDS = ("date", "mode", "place", "flight", "brand", "model", "serial", "batch", "severity",
          "injuries", "damage", "description", "source_url")
#: Longest text a narrative or damage field takes (the intake's bound).
MAX_TEXT = 5000


def source_for(url: str) -> dict[str, str]:
    """The registry source a reported URL becomes (one id per URL)."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
    return {"id": f"report-{digest}", "title": url[:300], "url": url}


def _form(view: View, officer: Principal, values: dict[str, str], found: list[Problem],
          status: int) -> Response:
    return view.render(
        "incident_new.html", view.t("incident.title"), status=status, values=values,
        problems=found, invalid={p.field for p in found}, officer=officer,
        modes=[(mode.value, mode_label(mode, view.lang)) for mode in Mode],
        severities=[(s.value, view.t(f"severity.{s.value}")) for s in Severity],
        intake=None,
    )


def _reporter(view: View) -> Principal | Response:
    """A regulator or checkpoint token signed in; else the sign-in page or a refusal."""
    return session.officer(view, "/incidents/new", "incident.wrong_role")


@pages.get("/incidents/new")
def incident_form(view: View) -> Response:
    officer = _reporter(view)
    return officer if isinstance(officer, Response) else _form(view, officer, {}, [], 200)


@pages.post("/incidents/new")
def incident_submit(view: View) -> Response:
    officer = _reporter(view)
    if isinstance(officer, Response):
        return officer
    values = {name: view.field(name) for name in FIELDS if view.field(name)}
    long = too_long({k: v for k, v in values.items() if k not in ("damage", "description")})
    long += [Problem(k, view.t.text("incident.too_long", max_length=MAX_TEXT))
             for k in ("damage", "description") if len(values.get(k, "")) > MAX_TEXT]
    if long:
        return _form(view, officer, values, long, 422)
    url = values.get("source_url", "")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        source = Problem("source_url", view.t.text("incident.source"))
        return _form(view, officer, values, [source], 422)
    fields = {k: v for k, v in values.items() if k != "source_url"}
    try:
        report = IncidentReport.model_validate(fields | {"new_sources": [source_for(url)]})
    except ValidationError as error:
        return _form(view, officer, values, problems(error), 422)
    services = view.services
    try:
        intake = ops.report(services.database, view.registry, report, officer.actor)
    except InputError as error:  # a brand the registry does not know
        message = view.t.text("incident.unknown_brand", detail=str(error))
        return _form(view, officer, values, [Problem("brand", message)], 422)
    except RecordExists as error:
        message = view.t.text("incident.exists", incident=error.key)
        return _form(view, officer, values, [Problem("", message)], 409)
    finally:
        services.registry.invalidate()
    return view.render(
        "incident_new.html", view.t("incident.title"),
        status=202 if intake.status == "held" else 201, values={}, problems=[], invalid=set(),
        officer=officer, modes=[], severities=[], intake=intake,
    )
