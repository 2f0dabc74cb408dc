"""The impact page (``/impact``): pick a company or a cell lot and a date; the report of
:func:`cellwatch.impact.impact` (what ``/v1/impact`` answers) drawn as the supply graph,
with the table of exposed units, recalled and not yet recalled."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from cellwatch.api.schemas import IsoDate
from cellwatch.domain.companies import Role
from cellwatch.errors import InputError, NotFound
from cellwatch.impact import impact
from cellwatch.impact.texts import EXPOSURE_TEXT
from cellwatch.web import supply_graph
from cellwatch.web.forms import Problem, given, read
from cellwatch.web.pages import Pages, View

pages = Pages()

FIELDS = ("company", "cell_lot", "date", "what_if_suspended_from")
#: Roles whose companies the form suggests as a start.
START_ROLES = (Role.CELL_MAKER, Role.CELL_FACTORY, Role.PACK_MAKER)


class ImpactForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    company: str | None = Field(None, max_length=200)
    cell_lot: str | None = Field(None, max_length=200)
    date: IsoDate | None = None
    what_if_suspended_from: IsoDate | None = None


@pages.get("/impact")
def impact_page(view: View) -> Response:
    registry = view.registry
    values = given(view.query, FIELDS)
    values.setdefault("date", dt.date.today().isoformat())
    form, found = read(ImpactForm, view.query, FIELDS)
    report = graph = None
    status = 200
    if form is not None and (form.company or form.cell_lot):
        try:
            report = impact(
                registry, company=form.company, cell_lot=form.cell_lot,
                date=form.date or dt.date.today(),
                what_if_suspended_from=form.what_if_suspended_from,
            )
        except InputError as error:
            found, status = [Problem("company", view.t.text("impact.one_start",
                                                              detail=str(error)))], 422
        except NotFound as error:
            field = "cell_lot" if form.cell_lot else "company"
            found, status = [Problem(field, view.t.text("impact.not_found",
                                                          detail=str(error)))], 404
    if found and status == 200:
        status = 422
    if report is not None:
        graph = supply_graph.draw(
            supply_graph.layout(report, registry, view.lang), view.lang, report.headline,
            view.t("impact.graph.desc"),
        )
    starts = [c for c in registry.data.companies if set(c.roles) & set(START_ROLES)]
    return view.render(
        "impact.html", view.t("impact.title"), status=status, values=values, problems=found,
        invalid={p.field for p in found}, report=report, graph=graph,
        starts=sorted(starts, key=lambda c: c.name.casefold()),
        lots=sorted(registry.cell_lots), exposure_text=EXPOSURE_TEXT,
        companies=registry.companies,
    )
