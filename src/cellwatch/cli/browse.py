"""Read commands: list and show recalls, companies, models and certificates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from cellwatch.check.identify import identify
from cellwatch.cli.context import current
from cellwatch.cli.options import parse_date
from cellwatch.cli.output import console, page_meta, print_json, table_of
from cellwatch.domain import search
from cellwatch.domain.certificates import CertificateStatus
from cellwatch.domain.companies import Role
from cellwatch.domain.names import model_key
from cellwatch.domain.products import ProductKind
from cellwatch.domain.registry import Registry
from cellwatch.errors import (
    CertificateNotFound,
    CompanyNotFound,
    ModelNotFound,
    RecallNotFound,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Search = Annotated[str | None, typer.Option("--search", "-s", help="Free text to look for.")]
Limit = Annotated[int, typer.Option(min=0, max=search.MAX_LIMIT, help="How many to show.")]
Skip = Annotated[int, typer.Option(min=0, help="How many to skip.")]

recalls_app = typer.Typer(help="Recalls and safety warnings.", no_args_is_help=True)
companies_app = typer.Typer(help="Brands, makers, factories.", no_args_is_help=True)
models_app = typer.Typer(help="Product models.", no_args_is_help=True)
certificates_app = typer.Typer(help="Certificates and their status.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(recalls_app, name="recalls")
    app.add_typer(companies_app, name="companies")
    app.add_typer(models_app, name="models")
    app.add_typer(certificates_app, name="certificates")


def _listing(page: search.Page[Any], registry: Registry) -> dict[str, Any]:
    return {
        "meta": page_meta(page.total, page.limit, page.skip, registry.version),
        "results": [record.canonical() for record in page.items],
    }


def _footer(page: search.Page[Any]) -> None:
    shown = len(page.items)
    console.print(f"{shown} of {page.total} shown (skip {page.skip}, limit {page.limit})")


def _company_name(registry: Registry, company_id: str) -> str:
    company = registry.companies.get(company_id)
    return company.name if company else company_id


@recalls_app.command("list")
def recalls_list(
    search_: Search = None,
    brand: Annotated[str | None, typer.Option(help="Brand, by any name.")] = None,
    model: Annotated[str | None, typer.Option(help="Model code.")] = None,
    market: Annotated[str | None, typer.Option(help="Market, e.g. CN or US.")] = None,
    authority: Annotated[str | None, typer.Option(help="Authority, e.g. SAMR, CPSC.")] = None,
    since: Annotated[str | None, typer.Option(help="Announced on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Announced on or before (YYYY-MM-DD).")] = None,
    limit: Limit = 20,
    skip: Skip = 0,
    json_: JsonOption = False,
) -> None:
    """List recalls, newest first."""
    registry = current().registry()
    page = search.recalls(
        registry, search=search_, brand=brand, model=model, market=market,
        authority=authority, announced_from=parse_date(since, "--since"),
        announced_to=parse_date(until, "--until"),
        limit=limit, skip=skip,
    )
    if json_:
        print_json(_listing(page, registry))
        return
    table = table_of("id", "announced", "authority", "issuer", "models", "units",
                     keep=("id", "announced"), counts=("units",))
    for recall in page.items:
        units = "" if recall.units is None else f"{'~' if recall.units_approximate else ''}"
        units += "" if recall.units is None else f"{recall.units:,}"
        table.add_row(
            recall.id, str(recall.announced), recall.authority,
            _company_name(registry, recall.issuer),
            ", ".join(dict.fromkeys(entry.model for entry in recall.scope)), units,
        )
    console.print(table)
    _footer(page)


@recalls_app.command("show")
def recalls_show(recall_id: str, json_: JsonOption = False) -> None:
    """Show one recall with its scope, remedies, revisions and sources."""
    registry = current().registry()
    recall = registry.recalls.get(recall_id)
    if recall is None:
        raise RecallNotFound(recall_id)
    record = recall.canonical()
    record["sources"] = _sources(registry, recall.sources)
    if json_:
        print_json(record)
        return
    title = recall.title.en if recall.title else recall.id
    console.print(f"[bold]{title}[/]  ({recall.id})")
    if recall.title and recall.title.zh:
        console.print(recall.title.zh)
    console.print(
        f"{recall.kind.value} by {_company_name(registry, recall.issuer)}, "
        f"{recall.authority} {recall.market}, announced {recall.announced}"
    )
    for label, text in (("hazard", recall.hazard), ("cause", recall.cause)):
        if text is not None:
            console.print(f"{label}: {text.en}" + (f" / {text.zh}" if text.zh else ""))
    if recall.units is not None:
        console.print(f"units: {'about ' if recall.units_approximate else ''}{recall.units:,}")
    if recall.remedies:
        console.print("remedies: " + ", ".join(r.value for r in recall.remedies))
    table = table_of("brand", "model", "batches", "produced", "serials", "units",
                     keep=("model",), counts=("units",), title="scope")
    for entry in recall.scope:
        serials = [*entry.serials, *entry.serial_patterns,
                   *(f"{r.from_}..{r.to}" for r in entry.serial_ranges)]
        table.add_row(
            recall.entry_brand(entry), entry.model, ", ".join(entry.batches),
            ", ".join(f"{w.from_ or '…'} – {w.to or '…'}" for w in entry.produced),
            ", ".join(serials) or ("all units" if entry.unconstrained else ""),
            "" if entry.units is None else f"{entry.units:,}",
        )
    console.print(table)
    for revision in recall.revisions:
        console.print(f"revised {revision.date}: {revision.summary.en}")
    for source in record["sources"]:
        console.print(f"source: {source['title']} — {source['url']}")


def _sources(registry: Registry, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    known = registry.sources
    return [known[i].canonical() if i in known else {"id": i} for i in ids]


@companies_app.command("list")
def companies_list(
    search_: Search = None,
    role: Annotated[Role | None, typer.Option(help="Only companies with this role.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code.")] = None,
    limit: Limit = 20,
    skip: Skip = 0,
    json_: JsonOption = False,
) -> None:
    """List companies."""
    registry = current().registry()
    page = search.companies(
        registry, search=search_, role=role, country=country, limit=limit, skip=skip
    )
    if json_:
        print_json(_listing(page, registry))
        return
    table = table_of("id", "name", "中文", "roles", "country", keep=("id",))
    for company in page.items:
        table.add_row(
            company.id, company.name, company.names.get("zh", ""),
            ", ".join(r.value for r in company.roles), company.country or "",
        )
    console.print(table)
    _footer(page)


@companies_app.command("show")
def companies_show(name: str, json_: JsonOption = False) -> None:
    """Show a company found by any id, name, Chinese name, alias or former name."""
    registry = current().registry()
    company = registry.resolve_company(name)
    if company is None:
        raise CompanyNotFound(name)
    identities = registry.identities(company.id)
    record: dict[str, Any] = company.canonical()
    record["former_ids"] = sorted(identities - {company.id})
    record["certificates"] = [c.number for c in registry.certificates_of(company.id)]
    record["models"] = [p.model for p in registry.data.products if p.brand in identities]
    record["recalls"] = [r.id for r in registry.data.recalls if r.issuer in identities]
    record["sources"] = _sources(registry, company.sources)
    if json_:
        print_json(record)
        return
    console.print(f"[bold]{company.name}[/] ({company.id}) {company.names.get('zh', '')}")
    for label in ("aliases", "former_ids", "certificates", "models", "recalls"):
        values = record.get(label) or []
        if values:
            console.print(f"{label}: {', '.join(values)}")
    for link in company.links:
        since = f" since {link.since}" if link.since else ""
        console.print(f"{link.type.value} → {_company_name(registry, link.to)}{since}")
    if company.note:
        console.print(f"note: {company.note}")
    for source in record["sources"]:
        console.print(f"source: {source.get('title', '')} — {source.get('url', '')}")


@models_app.command("list")
def models_list(
    search_: Search = None,
    brand: Annotated[str | None, typer.Option(help="Brand, by any name.")] = None,
    kind: Annotated[ProductKind | None, typer.Option(help="power_bank or cell.")] = None,
    limit: Limit = 20,
    skip: Skip = 0,
    json_: JsonOption = False,
) -> None:
    """List product models."""
    registry = current().registry()
    page = search.models(registry, search=search_, brand=brand, kind=kind, limit=limit, skip=skip)
    if json_:
        print_json(_listing(page, registry))
        return
    table = table_of("brand", "model", "names", "mAh", "V", "Wh", "W",
                     keep=("model",), counts=("mAh", "V", "Wh", "W"))
    for product in page.items:
        table.add_row(
            product.brand, product.model, ", ".join(product.names),
            *("" if v is None else f"{v:g}" for v in (
                product.capacity_mah, product.voltage_v, product.energy_wh, product.output_w)),
        )
    console.print(table)
    _footer(page)


@models_app.command("show")
def models_show(brand: str, model: str, json_: JsonOption = False) -> None:
    """Show one model of a brand (by code or marketing name), with its batches and recalls."""
    registry = current().registry()
    found = identify(registry, brand, model)
    company, product = found.company, found.product
    if company is None or product is None:
        raise ModelNotFound(brand, model)
    key = model_key(product.model)
    identities = registry.identities(company.id)
    record: dict[str, Any] = product.canonical()
    record["batches"] = [
        b.canonical() for b in registry.data.batches
        if b.brand in identities and model_key(b.model) == key
    ]
    record["recalls"] = [
        r.id for r in registry.data.recalls
        if any(r.entry_brand(e) in identities and model_key(e.model) == key for e in r.scope)
    ]
    if json_:
        print_json(record)
        return
    console.print(f"[bold]{product.model}[/] by {company.name}  {', '.join(product.names)}")
    for label in ("capacity_mah", "voltage_v", "energy_wh", "output_w", "certificates"):
        if record.get(label) not in (None, []):
            console.print(f"{label}: {record[label]}")
    console.print(f"batches: {len(record['batches'])}; recalls: {', '.join(record['recalls'])}")


@certificates_app.command("list")
def certificates_list(
    search_: Search = None,
    holder: Annotated[str | None, typer.Option(help="Holder, by any name.")] = None,
    status: Annotated[
        CertificateStatus | None, typer.Option(help="Status at --date.")
    ] = None,
    date: Annotated[str | None, typer.Option(help="Date for the status (YYYY-MM-DD).")] = None,
    limit: Limit = 20,
    skip: Skip = 0,
    json_: JsonOption = False,
) -> None:
    """List certificates with their status at a date (default today)."""
    registry = current().registry()
    on = parse_date(date, "--date") or dt.date.today()
    page = search.certificates(
        registry, search=search_, holder=holder, status=status, date=on, limit=limit, skip=skip
    )
    if json_:
        listing = _listing(page, registry)
        for item, certificate in zip(listing["results"], page.items, strict=True):
            found = registry.certificate_status(certificate.number, on)
            item["status"] = found.value if found else None
        listing["meta"]["date"] = on.isoformat()
        print_json(listing)
        return
    table = table_of("number", "holder", "kind", "models", "status",
                     keep=("number", "status"), title=f"status on {on}")
    for certificate in page.items:
        found = registry.certificate_status(certificate.number, on)
        table.add_row(
            certificate.number + ("" if certificate.number_published else "\n(unpublished)"),
            _company_name(registry, certificate.holder), certificate.product_kind.value,
            ", ".join(certificate.models), found.value if found else "not yet issued",
        )
    console.print(table)
    _footer(page)


@certificates_app.command("show")
def certificates_show(
    number: str,
    date: Annotated[str | None, typer.Option(help="Date for the status (YYYY-MM-DD).")] = None,
    json_: JsonOption = False,
) -> None:
    """Show a certificate, its status history and its status at a date."""
    registry = current().registry()
    certificate = registry.certificates.get(number.strip())
    if certificate is None:
        raise CertificateNotFound(number)
    on = parse_date(date, "--date") or dt.date.today()
    status = registry.certificate_status(certificate.number, on)
    history = sorted(
        registry.status_changes.get(certificate.number, ()), key=lambda c: c.date.sort_key()
    )
    record: dict[str, Any] = certificate.canonical()
    record["status"] = {"date": on.isoformat(), "status": status.value if status else None}
    record["history"] = [change.canonical() for change in history]
    if json_:
        print_json(record)
        return
    console.print(f"[bold]{certificate.number}[/] {certificate.scheme}, "
                  f"held by {_company_name(registry, certificate.holder)}")
    if certificate.note:
        console.print(f"note: {certificate.note}")
    console.print(f"status on {on}: {status.value if status else 'not yet issued'}")
    for change in history:
        console.print(f"  {change.date}  {change.status.value}  {change.reason or ''}")
