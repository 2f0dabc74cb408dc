"""The dashboard (``/dashboard``): recalls and units by month and by brand, certificate
status changes over time, incidents by month and mode, and recall effectiveness: the
figures an authority published (:mod:`cellwatch.claims.reported`) beside the claims made
through cellwatch.

The figures are pure functions of the registry snapshot (:func:`figures`); nothing is
estimated: a recall dated only to the year is counted apart, and a recall whose unit count
was not published adds no units.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from starlette.responses import Response

from cellwatch.domain.dates import PartialDate, Precision
from cellwatch.domain.incidents import Mode
from cellwatch.domain.registry import Registry
from cellwatch.fieldops import claims
from cellwatch.impact.texts import short_name
from cellwatch.web import certificates, charts
from cellwatch.web.i18n import Translator
from cellwatch.web.pages import Pages, View

pages = Pages()

#: How many months the monthly charts show; older ones are added up in one first column.
MONTHS_SHOWN = 30
#: How many brands the brand chart shows (the most units first).
BRANDS_SHOWN = 12
MODE_STYLE = {
    Mode.AIR: ("m-air", None), Mode.AIRPORT: ("m-airport", "hatch"),
    Mode.RAIL: ("m-rail", "dots"), Mode.METRO: ("m-metro", "cross"),
    Mode.HOME: ("m-home", "lines"), Mode.VEHICLE: ("m-vehicle", None),
    Mode.OTHER: ("m-other", "dots"),
}
MODE_TEXT = {
    Mode.AIR: ("in flight", "飞行中"), Mode.AIRPORT: ("airport", "机场"),
    Mode.RAIL: ("train", "火车"), Mode.METRO: ("metro", "地铁"), Mode.HOME: ("home", "家中"),
    Mode.VEHICLE: ("vehicle", "车内"), Mode.OTHER: ("other", "其他"),
}


def _month(date: PartialDate) -> str | None:
    return None if date.precision is Precision.YEAR else f"{date.year:04d}-{date.month:02d}"


def month_range(months: Iterable[str], shown: int = MONTHS_SHOWN) -> tuple[list[str], bool]:
    """Every month from the first to the last given, at most ``shown`` of the latest;
    ``True`` when older months were left out (and are to be added up as "earlier")."""
    found = sorted(set(months))
    if not found:
        return [], False
    year, month = (int(part) for part in found[0].split("-"))
    last = found[-1]
    every: list[str] = []
    while True:
        key = f"{year:04d}-{month:02d}"
        every.append(key)
        if key >= last:
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return every[-shown:], len(every) > shown


@dataclass(frozen=True)
class Monthly:
    """Counts per month (oldest first), an "earlier" total, and those dated to the year only."""

    months: list[str]
    values: dict[str, list[float]]  # series → one value per month (the first is "earlier")
    earlier: bool
    year_only: int


def _monthly(items: list[tuple[PartialDate, dict[str, float]]], series: list[str]) -> Monthly:
    """Add up each item's amounts per series in its month (items dated to a year apart)."""
    months = [m for date, _ in items if (m := _month(date))]
    shown, earlier = month_range(months)
    columns = (["earlier"] if earlier else []) + shown
    index = {month: i for i, month in enumerate(columns)}
    values = {name: [0.0] * len(columns) for name in series}
    year_only = 0
    for date, amounts in items:
        month = _month(date)
        if month is None:
            year_only += 1
            continue
        for name, amount in amounts.items():
            values[name][index.get(month, 0)] += amount
    return Monthly(columns, values, earlier, year_only)


def recalls_by_month(registry: Registry) -> Monthly:
    return _monthly(
        [(r.announced, {"recalls": 1.0, "units": float(r.units or 0)})
         for r in registry.data.recalls],
        ["recalls", "units"],
    )


def recalls_by_brand(registry: Registry, lang: str) -> list[tuple[str, int, int]]:
    """(brand, recalls, units) for each issuer, most units first."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for recall in registry.data.recalls:
        issuer = registry.current_id(recall.issuer)
        counts[issuer][0] += 1
        counts[issuer][1] += recall.units or 0
    rows = [(_company_name(registry, issuer, lang), number, units)
            for issuer, (number, units) in counts.items()]
    return sorted(rows, key=lambda row: (-row[2], -row[1], row[0].casefold()))


def incidents_by_month(registry: Registry) -> Monthly:
    items = [(i.date, {i.mode.value: 1.0}) for i in registry.data.incidents]
    return _monthly(items, [mode.value for mode in Mode])


def figures(registry: Registry, lang: str) -> dict[str, Any]:
    """Every chart and table of the dashboard, in ``lang``."""
    t = Translator(lang)
    recalls = recalls_by_month(registry)
    labels = [t("dashboard.earlier") if m == "earlier" else m for m in recalls.months]
    brands = recalls_by_brand(registry, lang)
    incidents = incidents_by_month(registry)
    incident_labels = [t("dashboard.earlier") if m == "earlier" else m for m in incidents.months]
    modes = Counter(i.mode for i in registry.data.incidents)
    used = [mode for mode in Mode if modes[mode]]
    changed = [c for c in registry.data.certificates if c.number in registry.status_changes]
    cert_labels = [_certificate_label(registry, c.holder, c.number, lang) for c in changed]
    return {
        "recalls": recalls,
        "recall_labels": labels,
        "recall_chart": charts.columns(
            t("dashboard.recalls_by_month"), t("dashboard.recalls_by_month_desc"),
            [charts.Bar(label, v) for label, v in zip(labels, recalls.values["recalls"],
                                                      strict=True)]),
        "units_chart": charts.columns(
            t("dashboard.units_by_month"), t("dashboard.units_by_month_desc"),
            [charts.Bar(label, v) for label, v in zip(labels, recalls.values["units"],
                                                      strict=True)], css="c-2"),
        "brands": brands,
        "brand_chart": charts.hbars(
            t("dashboard.units_by_brand"), t("dashboard.units_by_brand_desc"),
            [charts.Bar(name, units) for name, _, units in brands[:BRANDS_SHOWN]], css="c-2"),
        "brand_count_chart": charts.hbars(
            t("dashboard.recalls_by_brand"), t("dashboard.recalls_by_brand_desc"),
            [charts.Bar(name, number) for name, number, _ in
             sorted(brands, key=lambda r: (-r[1], r[0].casefold()))[:BRANDS_SHOWN]]),
        "certificate_chart": (
            certificates.drawing(registry, changed, lang, cert_labels) if changed else None
        ),
        "changes": sorted(registry.data.certificate_status, key=lambda c: c.date.sort_key()),
        "certificate_labels": dict(zip((c.number for c in changed), cert_labels, strict=True)),
        "incidents": incidents,
        "incident_labels": incident_labels,
        "incident_chart": charts.stacked(
            t("dashboard.incidents_by_month"), t("dashboard.incidents_by_month_desc"),
            incident_labels,
            [charts.Series(mode_label(mode, lang), MODE_STYLE[mode][0],
                           incidents.values[mode.value], MODE_STYLE[mode][1]) for mode in used],
        ) if used else None,
        "modes": [(mode_label(mode, lang), modes[mode]) for mode in used],
        "mode_chart": charts.hbars(
            t("dashboard.incidents_by_mode"), t("dashboard.incidents_by_mode_desc"),
            [charts.Bar(mode_label(mode, lang), modes[mode]) for mode in used], css="c-3",
        ) if used else None,
    }


def mode_label(mode: Mode, lang: str) -> str:
    en, zh = MODE_TEXT[mode]
    return zh if lang == "zh" else en


def _certificate_label(registry: Registry, holder: str, number: str, lang: str) -> str:
    name = _company_name(registry, holder, lang)
    certificate = registry.certificates[number]
    models = ", ".join(certificate.models[:2])
    kind = Translator(lang)(f"certificate.kind.{certificate.product_kind.value}")
    return f"{name} · {models or kind}"


@pages.get("/dashboard")
def dashboard(view: View) -> Response:
    found = figures(view.registry, view.lang)
    overview = claims.effectiveness_overview(view.services.database, view.registry)
    titles = {e.recall_id: recall_title(view.registry, e.recall_id, view.lang) for e in overview}
    return view.render("dashboard.html", view.t("dashboard.title"), mode_label=mode_label,
                       markup=Markup, effectiveness=overview, recall_titles=titles, **found)


def recall_title(registry: Registry, recall_id: str, lang: str) -> str:
    recall = registry.recalls[recall_id]
    return f"{_company_name(registry, recall.issuer, lang)} · {recall.announced}"


def _company_name(registry: Registry, company_id: str, lang: str) -> str:
    """The company's short name under its current identity; the id when unknown."""
    company = registry.companies.get(registry.current_id(company_id))
    return short_name(company).get(lang) if company else company_id
