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


def _form(view: View, values: dict[str, str], found: list[Problem], status: int) -> Response:
    return view.render(
        "incident_new.html", view.t("incident.title"), status=status, values=values,
        problems=found, invalid={p.field for p in found}, officer=session.who(view),
        modes=[(mode.value, mode_label(mode, view.lang)) for mode in Mode],
        severities=[(s.value, view.t(f"severity.{s.value}")) for s in Severity],
        intake=None,
    )


def _reporter(view: View) -> Response | None:
    """The sign-in page or a refusal, unless a regulator or checkpoint token is signed in."""
    officer = session.who(view)
    if officer is None:
        return session.sign_in_page(view, "/incidents/new")
    if not officer.has(*session.ROLES):
        return session.refuse(view, "incident.wrong_role", role=officer.role.value)
    return None


@pages.get("/incidents/new")
def incident_form(view: View) -> Response:
    return _reporter(view) or _form(view, {}, [], 200)


@pages.post("/incidents/new")
def incident_submit(view: View) -> Response:
    refused = _reporter(view)
    if refused is not None:
        return refused
    officer = session.who(view)
    assert officer is not None
    values = {name: view.field(name) for name in FIELDS if view.field(name)}
    long = too_long({k: v for k, v in values.items() if k not in ("damage", "description")})
    long += [Problem(k, view.t.text("incident.too_long", max_length=MAX_TEXT))
             for k in ("damage", "description") if len(values.get(k, "")) > MAX_TEXT]
    if long:
        return _form(view, values, long, 422)
    url = values.get("source_url", "")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        return _form(view, values, [Problem("source_url", view.t.text("incident.source"))], 422)
    fields = {k: v for k, v in values.items() if k != "source_url"}
    try:
        report = IncidentReport.model_validate(fields | {"new_sources": [source_for(url)]})
    except ValidationError as error:
        return _form(view, values, problems(error), 422)
    services = view.services
    try:
        intake = ops.report(services.database, view.registry, report, officer.actor)
    except InputError as error:  # a brand the registry does not know
        message = view.t.text("incident.unknown_brand", detail=str(error))
        return _form(view, values, [Problem("brand", message)], 422)
    except RecordExists as error:
        message = view.t.text("incident.exists", incident=error.key)
        return _form(view, values, [Problem("", message)], 409)
    finally:
        services.registry.invalidate()
    return view.render(
        "incident_new.html", view.t("incident.title"),
        status=202 if intake.status == "held" else 201, values={}, problems=[], invalid=set(),
        officer=officer, modes=[], severities=[], intake=intake,
    )
