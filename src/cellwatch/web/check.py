"""The check page, the front door: ``GET /`` (the form) and ``GET /check?…`` (the result).

The result's URL carries the facts with the names ``GET /v1/check`` takes, so a result can
be shared and checked again; the form is read with the API's own
:class:`~cellwatch.api.schemas.CheckQuery` and answered by
:func:`cellwatch.check.check` on the current registry snapshot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError
from starlette.responses import Response

from cellwatch.api.schemas import CheckQuery
from cellwatch.check import CheckResult, check
from cellwatch.check.advice import FACT_HINTS
from cellwatch.check.result import RecallRef
from cellwatch.domain.companies import Role
from cellwatch.domain.recalls import RecallKind
from cellwatch.domain.records import Text
from cellwatch.domain.registry import Registry
from cellwatch.errors import InputError
from cellwatch.rules.engine import load_packs
from cellwatch.rules.facts import RecallStatus, fact_label, value_label
from cellwatch.rules.packs import Mode
from cellwatch.web import recalls
from cellwatch.web.forms import Problem, given, problems, read
from cellwatch.web.pages import Pages, View

pages = Pages()

#: The form's fields: the names ``GET /v1/check`` takes.
FIELDS = (
    "brand", "model", "serial", "batch", "produced", "capacity_mah", "voltage", "energy_wh",
    "ccc_mark", "ccc_certificate", "rules", "date", "baggage", "count",
)
#: The trips offered first, in this order; every other shipped pack follows in its group.
FIRST = ("cn-caac", "icao", "cn-rail", "cn-courier")


@dataclass(frozen=True)
class TripOption:
    value: str
    title: Text


@dataclass(frozen=True)
class TripGroup:
    key: str  # catalogue key of the group's label
    options: tuple[TripOption, ...]


def trip_groups() -> list[TripGroup]:
    """The trips the form offers, from the shipped rule packs, grouped."""
    packs = load_packs()
    groups: dict[str, list[TripOption]] = {
        "trip.group.china": [], "trip.group.international": [], "trip.group.airline": [],
        "trip.group.region": [], "trip.group.rail": [], "trip.group.courier": [],
    }
    ordered = [*(p for p in FIRST if p in packs), *sorted(set(packs) - set(FIRST))]
    for name in ordered:
        pack = packs[name]
        if pack.mode is Mode.RAIL:
            group = "trip.group.rail"
        elif pack.mode is Mode.COURIER:
            group = "trip.group.courier"
        elif name == "cn-caac":
            group = "trip.group.china"
        elif name == "icao":
            group = "trip.group.international"
        elif pack.includes:
            group = "trip.group.airline"
        else:
            group = "trip.group.region"
        groups[group].append(TripOption(pack.id, pack.title))
    return [TripGroup(key, tuple(options)) for key, options in groups.items() if options]


def _brands(registry: Registry) -> list[str]:
    """Every brand name people may type (canonical, Chinese, aliases), for suggestions."""
    names: dict[str, None] = {}
    for company in registry.data.companies:
        if Role.BRAND in company.roles:
            names.update(dict.fromkeys(company.all_names()))
    return sorted(names, key=str.casefold)[:500]


def _form(view: View, values: dict[str, str], found: list[Problem], status: int) -> Response:
    values.setdefault("date", dt.date.today().isoformat())
    values.setdefault("rules", "cn-caac")
    values.setdefault("baggage", "carry_on")
    values.setdefault("count", "1")
    values.setdefault("ccc_mark", "unknown")
    trips = trip_groups()
    return view.render(
        "check.html", view.t("check.title"), status=status, values=values, problems=found,
        invalid={p.field for p in found}, trips=trips, brands=_brands(view.registry),
        offered={option.value for group in trips for option in group.options},
        batch_hint=FACT_HINTS["batch"], serial_hint=FACT_HINTS["serial"],
    )


@pages.get("/")
def form(view: View) -> Response:
    """The empty form, or the form filled from the URL (to edit a shared check)."""
    return _form(view, given(view.query, FIELDS), [], 200)


@pages.get("/check")
def result(view: View) -> Response:
    values = given(view.query, FIELDS)
    query, found = read(CheckQuery, view.query, FIELDS)
    if query is None:
        return _form(view, values, found, 422)
    try:
        device, trip = query.inputs()
    except ValidationError as error:
        return _form(view, values, problems(error), 422)
    try:
        answer = check(device, trip, view.registry)
    except InputError as error:  # an unknown rule pack
        message = view.t.text("check.unknown_trip", detail=str(error))
        return _form(view, values, [Problem("rules", message)], 422)
    return view.render(
        "result.html", f"{view.pick(answer.verdict_text)} · {view.t('check.result')}",
        result=answer, values=values, edit_url=view.url("/"),
        share_url=str(view.request.url.remove_query_params("lang")),
        packs=[load_packs()[p] for p in answer.rules if p in load_packs()],
        recalls=[_recall(view.registry, ref) for ref in answer.recall.recalls],
        claim_url=lambda ref: claim_url(values, ref, answer.recall.status),
        possible=[_recall(view.registry, ref) for ref in answer.recall.possible],
        evidence=lambda evidence: _evidence(evidence, view.lang),
        sources=view.registry.sources,
        verdict_icon=VERDICT_ICON[answer.verdict.value],
        summary=_summary(answer, view),
    )


#: The icon of each verdict (a shape as well as a colour, for colour-blind readers).
VERDICT_ICON = {
    "allowed": "check", "conditional": "clock", "needs_info": "question",
    "forbidden": "cross",
}


@dataclass(frozen=True)
class RecallView:
    """A recall the unit falls (or may fall) under, with the rule of its scope entry."""

    ref: RecallRef
    model: str
    rule: list[Text]
    units: int | None


def claim_url(values: dict[str, str], ref: RecallRef, status: RecallStatus) -> str | None:
    """The recall claim form filled with the unit's facts, for a unit a recall covers."""
    if status is not RecallStatus.RECALLED or ref.kind != RecallKind.RECALL.value:
        return None
    names = ("brand", "model", "serial", "batch", "produced")
    facts = {name: values[name] for name in names if values.get(name)}
    return "/claim?" + urlencode(facts | {"recall_id": ref.id})


def _recall(registry: Registry, ref: RecallRef) -> RecallView:
    recall = registry.recalls.get(ref.id)
    if recall is None or not 0 <= ref.scope_entry < len(recall.scope):
        return RecallView(ref, "", [], None)
    entry = recall.scope[ref.scope_entry]
    return RecallView(ref, entry.model, recalls.describe_entry(entry), entry.units)


def _evidence(evidence: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """A fired rule's evidence as (fact, value) words."""
    rows: list[tuple[str, str]] = []
    for fact, value in evidence.items():
        try:
            label = fact_label(fact, lang)
        except KeyError:
            label = fact
        if isinstance(value, list):
            shown = ", ".join(str(v) for v in value) or "—"
        elif value is None:
            shown = "—"
        else:
            shown = value_label(fact, str(value), lang)
            if fact == "energy_wh":
                shown = f"{value} Wh"
        rows.append((label, shown))
    return rows


def _summary(answer: CheckResult, view: View) -> list[tuple[str, str]]:
    """The trip and the unit as the check understood them."""
    t = view.t
    device = answer.device
    rows = [
        (t("result.trip"), ", ".join(view.pick(load_packs()[p].title) for p in answer.rules
                                      if p in load_packs())),
        (t("field.date"), answer.date.isoformat()),
        (t("field.baggage"), value_label("baggage", answer.baggage, view.lang)),
        (t("field.count"), str(answer.count)),
    ]
    if device.brand_name is not None:
        rows.append((t("field.brand"), view.pick(device.brand_name)))
    if device.model:
        names = f" ({', '.join(device.names)})" if device.names else ""
        rows.append((t("field.model"), device.model + names))
    return rows
