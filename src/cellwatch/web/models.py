"""Model pages: the list (``/models``) and one model of a brand
(``/models/{brand}/{model}``, by code or marketing name), from
:func:`cellwatch.domain.search.models` and :func:`cellwatch.api.views.model`."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from cellwatch.api.views import model as model_view
from cellwatch.check.identify import identify
from cellwatch.domain import search
from cellwatch.domain.names import model_key
from cellwatch.domain.products import ProductKind
from cellwatch.errors import ModelNotFound
from cellwatch.web import recalls as recall_pages
from cellwatch.web.forms import read
from cellwatch.web.i18n import company_name
from cellwatch.web.listing import PAGE_SIZE, paging
from cellwatch.web.pages import Pages, View

pages = Pages()


class ModelFilters(BaseModel):
    model_config = ConfigDict(extra="ignore")

    search: str | None = Field(None, max_length=200)
    brand: str | None = Field(None, max_length=200)
    kind: ProductKind | None = None
    page: int = Field(1, ge=1, le=100_000)


@pages.get("/models")
def model_list(view: View) -> Response:
    filters, found = read(ModelFilters, view.query)
    if filters is None:
        filters = ModelFilters()
    page = search.models(
        view.registry, search=filters.search, brand=filters.brand, kind=filters.kind,
        limit=PAGE_SIZE, skip=(filters.page - 1) * PAGE_SIZE,
    )
    return view.render(
        "models.html", view.t("models.title"), status=422 if found else 200, problems=found,
        filters=filters, page=page, paging=paging(view, page.total, filters.page),
        kinds=list(ProductKind), companies=view.registry.companies,
    )


@pages.get("/models/{brand}/{model}")
def model_page(view: View) -> Response:
    registry = view.registry
    brand, code = view.path("brand"), view.path("model")
    found = identify(registry, brand, code)
    if found.company is None or found.product is None:
        raise ModelNotFound(brand, code)
    product = found.product
    value = model_view(registry, brand, code)
    key = model_key(product.model)
    today = dt.date.today()
    scope = [
        (recall, entry, recall_pages.describe_entry(entry))
        for recall in (registry.recalls[r] for r in value["recalls"] if r in registry.recalls)
        for entry in recall.scope
        if model_key(entry.model) == key
        and recall.entry_brand(entry) in registry.identities(found.company.id)
    ]
    certificates = [
        (number, registry.certificates.get(number),
         registry.certificate_status(number, today) if number in registry.certificates else None)
        for number in product.certificates
    ]
    return view.render(
        "model.html", f"{company_name(found.company, view.lang)} {product.model}",
        product=product, company=found.company, batches=value["batches"], scope=scope,
        certificates=certificates, sources=value["source_records"], today=today,
        check_url="/?" + urlencode({"brand": found.company.id, "model": product.model}),
    )
