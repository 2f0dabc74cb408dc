"""Company pages: the list (``/companies``) and one company (``/companies/{name}``, by any
id, name, alias or former name), from :func:`cellwatch.domain.search.companies` and
:func:`cellwatch.api.views.company`."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from cellwatch.api.views import company as company_view
from cellwatch.domain import search
from cellwatch.domain.companies import Role
from cellwatch.errors import CompanyNotFound
from cellwatch.web.forms import read
from cellwatch.web.i18n import company_name
from cellwatch.web.listing import PAGE_SIZE, paging
from cellwatch.web.pages import Pages, View

pages = Pages()


class CompanyFilters(BaseModel):
    model_config = ConfigDict(extra="ignore")

    search: str | None = Field(None, max_length=200)
    role: Role | None = None
    country: str | None = Field(None, max_length=2)
    page: int = Field(1, ge=1, le=100_000)


@pages.get("/companies")
def company_list(view: View) -> Response:
    filters, found = read(CompanyFilters, view.query)
    if filters is None:
        filters = CompanyFilters()
    page = search.companies(
        view.registry, search=filters.search, role=filters.role, country=filters.country,
        limit=PAGE_SIZE, skip=(filters.page - 1) * PAGE_SIZE,
    )
    countries = sorted({c.country for c in view.registry.data.companies if c.country})
    return view.render(
        "companies.html", view.t("companies.title"), status=422 if found else 200,
        problems=found, filters=filters, page=page,
        paging=paging(view, page.total, filters.page), roles=list(Role), countries=countries,
    )


@pages.get("/companies/{name}")
def company_page(view: View) -> Response:
    name = view.path("name")
    registry = view.registry
    found = registry.resolve_company(name)
    if found is None:
        raise CompanyNotFound(name)
    value = company_view(registry, name)
    today = dt.date.today()
    certificates = [
        (c, registry.certificate_status(c.number, today))
        for c in registry.certificates_of(found.id)
    ]
    identities = registry.identities(found.id)
    return view.render(
        "company.html", company_name(found, view.lang),
        company=found, former=[registry.companies.get(i) for i in value["former_ids"]],
        certificates=certificates, today=today,
        models=[p for p in registry.data.products if p.brand in identities],
        recalls=[registry.recalls[r] for r in value["recalls"] if r in registry.recalls],
        sources=value["source_records"], companies=registry.companies,
        asked_as=name if registry.current_id(name) != found.id and name != found.id else None,
        linked_from=[
            (other, link) for other in registry.data.companies for link in other.links
            if link.to in identities
        ],
    )
