"""Certificate pages: the list with the status at a date (``/certificates``) and one
certificate with its drawn status timeline (``/certificates/{number}``), from
:func:`cellwatch.domain.search.certificates` and :func:`cellwatch.api.views.certificate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from cellwatch.api.schemas import IsoDate
from cellwatch.api.views import certificate as certificate_view
from cellwatch.domain import search
from cellwatch.domain.certificates import STATUS_TEXT, Certificate, CertificateStatus
from cellwatch.domain.registry import Registry
from cellwatch.errors import CertificateNotFound
from cellwatch.web import charts
from cellwatch.web.forms import read
from cellwatch.web.i18n import Translator, company_name
from cellwatch.web.listing import PAGE_SIZE, paging
from cellwatch.web.pages import Pages, View

pages = Pages()

#: Colour class and pattern of each status (a pattern too: never colour alone).
STATUS_STYLE: dict[CertificateStatus, tuple[str, str | None]] = {
    CertificateStatus.VALID: ("s-valid", None),
    CertificateStatus.SUSPENDED: ("s-suspended", "hatch"),
    CertificateStatus.REVOKED: ("s-revoked", "cross"),
    CertificateStatus.CANCELLED: ("s-cancelled", "dots"),
    CertificateStatus.EXPIRED: ("s-expired", "lines"),
}


class CertificateFilters(BaseModel):
    model_config = ConfigDict(extra="ignore")

    search: str | None = Field(None, max_length=200)
    holder: str | None = Field(None, max_length=200)
    status: CertificateStatus | None = None
    date: IsoDate | None = None
    page: int = Field(1, ge=1, le=100_000)


def lane(registry: Registry, certificate: Certificate, start: dt.date, end: dt.date,
         lang: str, label: str | None = None) -> charts.Lane:
    """The certificate's statuses from ``start`` to ``end`` as one timeline lane."""
    changes = sorted(registry.status_changes.get(certificate.number, ()),
                     key=lambda c: (c.date.last_day(), c.date.precision))
    begin = certificate.issued.first_day() if certificate.issued else start
    points: list[tuple[dt.date, CertificateStatus]] = [(max(begin, start), CertificateStatus.VALID)]
    points += [(c.date.last_day(), c.status) for c in changes]
    if certificate.expires is not None:
        points.append((certificate.expires.last_day(), CertificateStatus.EXPIRED))
    points.sort(key=lambda p: p[0])
    segments = []
    t = Translator(lang)
    for index, ((day, status), following) in enumerate(
        zip(points, [*points[1:], (end, None)], strict=True)
    ):
        stop = min(following[0], end)
        if stop <= day:
            continue
        css, pattern = STATUS_STYLE[status]
        words = STATUS_TEXT[status].get(lang)
        if index == 0 and certificate.issued is None:
            words = t("certificate.valid_since_unknown")
        segments.append(charts.Segment(day, stop, css, words, pattern))
    marks = [(c.date.last_day(), f"{c.date}: {STATUS_TEXT[c.status].get(lang)}") for c in changes]
    return charts.Lane(label or certificate.number, segments, marks)


def span(registry: Registry, certificates: Sequence[Certificate]) -> tuple[dt.date, dt.date]:
    """A window that shows every change of ``certificates`` and today."""
    days = [dt.date.today()]
    for certificate in certificates:
        days += [c.date.last_day() for c in registry.status_changes.get(certificate.number, ())]
        if certificate.issued:
            days.append(certificate.issued.first_day())
    first, last = min(days), max(days)
    return dt.date(first.year, 1, 1), dt.date(last.year, 12, 31)


def legend(lang: str) -> list[tuple[str, str, str | None]]:
    return [(STATUS_TEXT[s].get(lang), css, pattern) for s, (css, pattern) in STATUS_STYLE.items()]


def drawing(registry: Registry, certificates: Sequence[Certificate], lang: str,
            labels: Sequence[str] | None = None) -> Markup:
    t = Translator(lang)
    start, end = span(registry, certificates)
    today = dt.date.today()
    lanes = [  # what is known ends today
        lane(registry, c, start, min(end, today), lang, labels[i] if labels else None)
        for i, c in enumerate(certificates)
    ]
    return charts.timeline(t("certificate.timeline"), t("certificate.timeline_desc"), lanes,
                           start, end, legend(lang), today=(today, t("common.today")))


@pages.get("/certificates")
def certificate_list(view: View) -> Response:
    filters, found = read(CertificateFilters, view.query)
    if filters is None:
        filters = CertificateFilters()
    on = filters.date or dt.date.today()
    page = search.certificates(
        view.registry, search=filters.search, holder=filters.holder, status=filters.status,
        date=on, limit=PAGE_SIZE, skip=(filters.page - 1) * PAGE_SIZE,
    )
    rows = [(c, view.registry.certificate_status(c.number, on)) for c in page.items]
    return view.render(
        "certificates.html", view.t("certificates.title"), status=422 if found else 200,
        problems=found, filters=filters, on=on, rows=rows, page=page,
        paging=paging(view, page.total, filters.page), statuses=list(CertificateStatus),
        status_text=STATUS_TEXT, companies=view.registry.companies,
    )


@pages.get("/certificates/{number}")
def certificate_page(view: View) -> Response:
    number = view.path("number").strip()
    registry = view.registry
    found = registry.certificates.get(number)
    if found is None:
        raise CertificateNotFound(number)
    filters, problems = read(CertificateFilters, view.query, ["date"])
    on = (filters.date if filters else None) or dt.date.today()
    value = certificate_view(registry, number, on)
    status = registry.certificate_status(number, on)
    holder = registry.companies.get(registry.current_id(found.holder))
    return view.render(
        "certificate.html", found.number, status=422 if problems else 200, problems=problems,
        certificate=found, on=on, status_now=status, status_text=STATUS_TEXT,
        history=sorted(registry.status_changes.get(number, ()), key=lambda c: c.date.sort_key()),
        holder=holder,
        holder_name=company_name(holder, view.lang, found.holder),
        timeline=drawing(registry, [found], view.lang), sources=value["source_records"],
        style=STATUS_STYLE,
    )
