"""Recall pages: the searchable list (``/recalls``) and one recall (``/recalls/{id}``).

The list calls :func:`cellwatch.domain.search.recalls`, the detail
:func:`cellwatch.api.views.recall` with the recall's stored versions — what
``/v1/recalls`` answers.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from cellwatch.api.changes import history
from cellwatch.api.schemas import IsoDate
from cellwatch.api.views import recall as recall_view
from cellwatch.check.advice import REMEDY_TEXT
from cellwatch.domain import search
from cellwatch.domain.recalls import Recall, ScopeEntry, Window
from cellwatch.domain.records import Text
from cellwatch.errors import RecallNotFound
from cellwatch.web.forms import read
from cellwatch.web.listing import PAGE_SIZE, paging
from cellwatch.web.pages import Pages, View

pages = Pages()


class RecallFilters(BaseModel):
    model_config = ConfigDict(extra="ignore")

    search: str | None = Field(None, max_length=200)
    brand: str | None = Field(None, max_length=200)
    market: str | None = Field(None, max_length=20)
    authority: str | None = Field(None, max_length=50)
    announced_from: IsoDate | None = None
    announced_to: IsoDate | None = None
    page: int = Field(1, ge=1, le=100_000)


def _window(window: Window) -> Text:
    start = window.from_.isoformat() if window.from_ else None
    end = window.to.isoformat() if window.to else None
    if start and end:
        return Text(en=f"{start} to {end}", zh=f"{start} 至 {end}")
    if start:
        return Text(en=f"from {start}", zh=f"{start} 起")
    return Text(en=f"until {end}", zh=f"至 {end}")


def describe_entry(entry: ScopeEntry) -> list[Text]:
    """The rule of one scope entry, a line per constraint, in both languages."""
    lines: list[Text] = []
    if entry.batches:
        codes = ", ".join(entry.batches)
        lines.append(Text(en=f"Batch codes: {codes}", zh=f"批次号：{codes}"))
    if entry.produced:
        windows = [_window(w) for w in entry.produced]
        lines.append(Text(
            en="Made " + "; or ".join(w.en for w in windows),
            zh="生产日期 " + "；或 ".join(w.get("zh") for w in windows),
        ))
    if entry.serials:
        serials = ", ".join(entry.serials)
        lines.append(Text(en=f"Serial numbers: {serials}", zh=f"序列号：{serials}"))
    if entry.serial_ranges:
        ranges = ", ".join(f"{r.from_} – {r.to}" for r in entry.serial_ranges)
        lines.append(Text(en=f"Serial numbers from … to: {ranges}", zh=f"序列号范围：{ranges}"))
    if entry.serial_patterns:
        patterns = ", ".join(entry.serial_patterns)
        lines.append(Text(
            en=f"Serial numbers of the form {patterns} (? one character, * any, "
            "[0-9D] one of those)",
            zh=f"序列号形如 {patterns}（? 为任一字符，* 为任意字符，[0-9D] 为其中之一）",
        ))
    if not lines:
        lines.append(Text(en="Every unit of this model", zh="该型号的全部产品"))
    return lines



def remedies(recall: Recall) -> list[Text]:
    return [REMEDY_TEXT[r] for r in recall.remedies]


@pages.get("/recalls")
def recall_list(view: View) -> Response:
    filters, found = read(RecallFilters, view.query)
    if filters is None:
        filters = RecallFilters()
    page = search.recalls(
        view.registry, search=filters.search, brand=filters.brand, market=filters.market,
        authority=filters.authority, announced_from=filters.announced_from,
        announced_to=filters.announced_to, limit=PAGE_SIZE, skip=(filters.page - 1) * PAGE_SIZE,
    )
    markets = sorted({r.market for r in view.registry.data.recalls})
    authorities = sorted({r.authority for r in view.registry.data.recalls})
    return view.render(
        "recalls.html", view.t("recalls.title"), status=422 if found else 200, problems=found,
        filters=filters, page=page, paging=paging(view, page.total, filters.page),
        markets=markets, authorities=authorities,
        issuer=lambda company_id: view.registry.companies.get(company_id),
    )


@pages.get("/recalls/{recall_id}")
def recall_page(view: View) -> Response:
    recall_id = view.path("recall_id")
    found = view.registry.recalls.get(recall_id)
    if found is None:
        raise RecallNotFound(recall_id)
    versions = history(view.services.database, "recall", recall_id)
    value = recall_view(view.registry, recall_id, versions)
    return view.render(
        "recall.html", view.pick(found.title) or found.id, recall=found,
        issuer=view.registry.companies.get(found.issuer),
        entries=[(entry, describe_entry(entry), found.entry_brand(entry))
                 for entry in found.scope],
        remedies=remedies(found), sources=value["source_records"], versions=versions,
        incidents=[i for i in view.registry.data.incidents
                   if i.brand in view.registry.identities(found.issuer)],
        product=view.registry.product, today=dt.date.today(),
    )
