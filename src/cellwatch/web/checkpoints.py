"""The checkpoint record page (``/checkpoint``) and its daily report as CSV
(``/checkpoint/report.csv``), for an officer signed in with a checkpoint token
(:mod:`cellwatch.web.session`), or a regulator.

A checkpoint token records at the one location it is bound to: the form posts a step of a
unit's case to the core ``POST /v1/checkpoint/records`` calls
(:func:`cellwatch.fieldops.checkpoints.record`), and the answer shows the case with every
step (for ``stored``: the receipt number, the retrieval deadline and the fee terms). A
step the case's state does not allow is explained in the page's language (409). The
unit's chain (by serial or receipt number) and the location's daily report are below.
A regulator reads every location's chains and reports, and records nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from starlette.responses import Response

from cellwatch.api.access import Principal
from cellwatch.checkpoints.chain import Case
from cellwatch.checkpoints.policy import REFUSAL_TEXT, Location, RefusalReason, money
from cellwatch.checkpoints.records import FIRST, KIND_TEXT, NEXT, RecordKind, RecordRequest
from cellwatch.domain.records import Text
from cellwatch.errors import Forbidden, IllegalTransition, RecordNotFound
from cellwatch.fieldops import checkpoints as ops
from cellwatch.store.tokens import TokenRole
from cellwatch.web import session
from cellwatch.web.forms import Problem, problems, read, too_long
from cellwatch.web.i18n import Translator
from cellwatch.web.pages import Pages, View

pages = Pages()

#: The record form's fields, named as ``POST /v1/checkpoint/records`` names them.
FIELDS = ("kind", "case_id", "brand", "model", "serial", "batch", "reason", "note", "receipt",
          "recycler", "recycler_licence")
#: The rules of :class:`RecordRequest` (English) → the field they concern and their words.
RULES = {
    "a later step names the case, not the unit again": ("case_id", "checkpoint.rule.case"),
    "a refusal needs a reason": ("reason", "checkpoint.rule.reason_needed"),
    "only a refusal takes a reason": ("reason", "checkpoint.rule.reason_only"),
    "a hand-over names the recycler and its licence number": (
        "recycler", "checkpoint.rule.recycler_needed"),
    "only a hand-over names a recycler": ("recycler", "checkpoint.rule.recycler_only"),
    "only storing gives a receipt": ("receipt", "checkpoint.rule.receipt_only"),
}

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]


class CheckpointQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    location: Short | None = None
    date: dt.date | None = None
    serial: Short | None = None
    receipt: Short | None = None


@dataclass(frozen=True)
class Desk:
    """Who is signed in, and the location the page shows."""

    officer: Principal
    location: Location
    locations: list[Location]

    @property
    def records(self) -> bool:
        """Only a checkpoint token records (at its own location)."""
        return self.officer.role is TokenRole.CHECKPOINT

    @property
    def own(self) -> str | None:
        """The location a checkpoint token is limited to; ``None`` for a regulator."""
        return self.location.id if self.records else None


def _desk(view: View, officer: Principal, wanted: str | None) -> Desk | Response:
    """The desk of the signed-in officer, or the page refusing them."""
    database = view.services.database
    every = ops.locations(database)
    if officer.role is TokenRole.CHECKPOINT:
        try:
            own = ops.token_location(database, officer.token.id)
        except Forbidden:
            return session.refuse(view, "checkpoint.unbound")
        if wanted not in (None, own):
            return session.refuse(view, "checkpoint.other_report")
        found = next(loc for loc in every if loc.id == own)
        return Desk(officer, found, [found])
    if not every:
        return session.refuse(view, "checkpoint.no_locations")
    chosen = next((loc for loc in every if loc.id == wanted), None)
    if wanted is not None and chosen is None:
        raise RecordNotFound("checkpoint location", wanted)
    return Desk(officer, chosen or every[0], every)


def _officer(view: View) -> Principal | Response:
    return session.officer(view, view.url(), "checkpoint.wrong_role")


def _both(key: str, values: Callable[[str], dict[str, Any]]) -> Text:
    """A catalogue message whose values are themselves words of each language."""
    return Text(en=Translator("en")(key, **values("en")), zh=Translator("zh")(key, **values("zh")))


def _kinds(kinds: frozenset[RecordKind], lang: str) -> str:
    names = [KIND_TEXT[k].get(lang) for k in RecordKind if k in kinds]
    return ("、" if lang == "zh" else ", ").join(names)


def explain_illegal(error: IllegalTransition, case: Case | None, location: Location) -> Text:
    """Why a step may not be recorded, in both languages."""
    current = RecordKind(error.current) if error.current else None
    wanted = RecordKind(error.wanted)
    allowed = FIRST if current is None else NEXT[current]
    if current is None and wanted not in allowed:
        return _both("checkpoint.illegal_first", lambda lang: {
            "wanted": KIND_TEXT[wanted].get(lang), "allowed": _kinds(FIRST, lang)})
    if wanted not in allowed and not allowed:
        return _both("checkpoint.illegal_closed", lambda lang: {
            "case": error.key, "current": KIND_TEXT[current].get(lang) if current else ""})
    if wanted not in allowed:
        return _both("checkpoint.illegal", lambda lang: {
            "case": error.key, "wanted": KIND_TEXT[wanted].get(lang),
            "current": KIND_TEXT[current].get(lang) if current else "",
            "allowed": _kinds(allowed, lang)})
    if wanted is RecordKind.STORED and case is not None and case.refusal is not None:
        refusal: RefusalReason = case.refusal
        return _both("checkpoint.not_storable", lambda lang: {
            "location": location.label().get(lang), "reason": REFUSAL_TEXT[refusal].get(lang)})
    if wanted is RecordKind.ABANDONED and case is not None and case.stored is not None:
        return Translator("en").text("checkpoint.not_overdue",
                                     deadline=str(case.stored.deadline))
    return Text(en=str(error), zh=Translator("zh")("error.detail", detail=str(error)))


def _record_problems(view: View, error: ValidationError) -> list[Problem]:
    found = [p for p in problems(error) if p.field]
    for issue in error.errors(include_url=False):
        if issue["loc"]:
            continue
        detail = str(issue["msg"]).removeprefix("Value error, ")
        field, key = RULES.get(detail, ("", ""))
        message = view.t.text(key) if key else Text(en=detail, zh=detail)
        found.append(Problem(field, message))
    return found


def _page(
    view: View, desk: Desk, *, status: int = 200, values: dict[str, str] | None = None,
    found: list[Problem] | None = None, recorded: Case | None = None,
) -> Response:
    query, query_problems = read(CheckpointQuery, view.query)
    chosen = query or CheckpointQuery()
    database = view.services.database
    day = chosen.date or dt.datetime.now(dt.UTC).date()
    chains: list[Case] | None = None
    if chosen.serial or chosen.receipt:
        chains = ops.chain(database, serial=chosen.serial,
                           receipt=None if chosen.serial else chosen.receipt,
                           location_id=desk.own)
    report = ops.report(database, desk.location.id, day)
    every = found or []
    return view.render(
        "checkpoint.html", view.t("checkpoint.title"), status=status, desk=desk,
        values=values or {}, problems=[*every, *query_problems],
        invalid={p.field for p in every}, recorded=recorded, chains=chains,
        search={"serial": chosen.serial or "", "receipt": chosen.receipt or ""},
        report=report, day=day, kinds=list(RecordKind),
        reason_options=[(r.value, view.pick(REFUSAL_TEXT[r])) for r in RefusalReason],
        kind_text=KIND_TEXT, refusal_text=REFUSAL_TEXT, money=money,
        csv_url=view.url("/checkpoint/report.csv", location=desk.location.id,
                         date=day.isoformat(), serial=None, receipt=None),
    )


@pages.get("/checkpoint")
def checkpoint(view: View) -> Response:
    officer = _officer(view)
    if isinstance(officer, Response):
        return officer
    desk = _desk(view, officer, view.query.get("location") or None)
    if isinstance(desk, Response):
        return desk
    return _page(view, desk)


@pages.post("/checkpoint")
def checkpoint_record(view: View) -> Response:
    officer = _officer(view)
    if isinstance(officer, Response):
        return officer
    if officer.role is not TokenRole.CHECKPOINT:
        return session.refuse(view, "checkpoint.records_need_checkpoint")
    desk = _desk(view, officer, None)
    if isinstance(desk, Response):
        return desk
    values = {name: view.field(name) for name in FIELDS if view.field(name)}
    long = too_long(values)
    if long:
        return _page(view, desk, status=422, values=values, found=long)
    try:
        request = RecordRequest.model_validate(values)
    except ValidationError as error:
        return _page(view, desk, status=422, values=values,
                     found=_record_problems(view, error))
    database = view.services.database
    try:
        case = ops.record(database, desk.location.id, request, officer.actor)
    except IllegalTransition as error:
        before = ops.chain(database, case_id=request.case_id) if request.case_id else []
        message = explain_illegal(error, before[0] if before else None, desk.location)
        return _page(view, desk, status=409, values=values,
                     found=[Problem("kind", message)])
    except RecordNotFound:
        message = view.t.text("checkpoint.no_case", case=request.case_id or "")
        return _page(view, desk, status=404, values=values, found=[Problem("case_id", message)])
    except Forbidden:
        message = view.t.text("checkpoint.other_location", case=request.case_id or "")
        return _page(view, desk, status=403, values=values, found=[Problem("case_id", message)])
    return _page(view, desk, status=201, recorded=case)


@pages.get("/checkpoint/report.csv")
def report_csv(view: View) -> Response:
    officer = _officer(view)
    if isinstance(officer, Response):
        return officer
    query, found = read(CheckpointQuery, view.query)
    if query is None:
        return view.render("error.html", view.t("error.invalid"), status=422,
                           heading=view.t("error.invalid"), messages=[p.message for p in found])
    desk = _desk(view, officer, query.location)
    if isinstance(desk, Response):
        return desk
    day = query.date or dt.datetime.now(dt.UTC).date()
    report = ops.report(view.services.database, desk.location.id, day)
    name = f"{desk.location.id}-{day.isoformat()}.csv"
    return Response(report.csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store",
                             "X-Content-Type-Options": "nosniff"})
