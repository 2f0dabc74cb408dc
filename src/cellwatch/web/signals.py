"""The signals page (``/signals``): incidents per million units by brand, model, batch and
cell maker (each rate naming its denominator), the disproportionality table, and the
ranked inspection list with each row's explanation.

It shows :func:`cellwatch.signals.signals`, the function ``GET /v1/signals`` answers with,
on the same registry snapshot; ``?as_of=`` (and ``?since=``) are the API's parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict
from starlette.responses import Response

from cellwatch.domain.registry import Registry
from cellwatch.signals import remembered_signals
from cellwatch.signals.disproportion import CHI2_THRESHOLD, N_THRESHOLD, PRR_THRESHOLD
from cellwatch.signals.exposure import BASIS_TEXT
from cellwatch.signals.rates import Rate
from cellwatch.web import i18n
from cellwatch.web.dashboard import mode_label
from cellwatch.web.forms import read
from cellwatch.web.pages import Pages, View

pages = Pages()

#: The groups incidents are counted by, in the order the page shows them.
GROUP_KINDS = ("brand", "model", "batch", "cell_maker")


class SignalsQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    as_of: dt.date | None = None
    since: dt.date | None = None


@dataclass(frozen=True)
class RateRow:
    """One rate as the page shows it: the group's name and the denominator in words."""

    name: str
    rate: Rate
    denominator: str


def group_name(registry: Registry, kind: str, group: str, lang: str) -> str:
    """A company's name for a brand or cell maker; a model or batch as ``brand/model``."""
    if kind in ("brand", "cell_maker"):
        company = registry.companies.get(registry.current_id(group))
        return i18n.company_name(company, lang, group)
    if kind in ("model", "batch"):
        brand, _, rest = group.partition("/")
        company = registry.companies.get(registry.current_id(brand))
        return f"{i18n.company_name(company, lang, brand)} {rest.replace('/', ' · ')}"
    return group


def rate_rows(registry: Registry, rates: list[Rate] | tuple[Rate, ...],
              lang: str) -> list[RateRow]:
    rows = []
    for rate in rates:
        words = i18n.pick(BASIS_TEXT[rate.units.basis], lang)
        origin = rate.units.origin
        if origin:
            more = " …" if len(origin) > 6 else ""
            words += f" ({', '.join(origin[:6])}{more})"
        rows.append(RateRow(group_name(registry, rate.group_kind, rate.group, lang), rate, words))
    return rows


@pages.get("/signals")
def signals_page(view: View) -> Response:
    query, problems = read(SignalsQuery, view.query)
    chosen = query or SignalsQuery()
    report = remembered_signals(view.registry, since=chosen.since, as_of=chosen.as_of)
    registry, lang = view.registry, view.lang
    return view.render(
        "signals.html", view.t("signals.title"), status=422 if problems else 200,
        problems=problems, report=report,
        values={"as_of": view.query.get("as_of", ""), "since": view.query.get("since", "")},
        rates=[(kind, rate_rows(registry, report.rates.get(kind, []), lang))
               for kind in GROUP_KINDS],
        recall_rates=rate_rows(registry, report.recall_rates, lang),
        measures=[(m, group_name(registry, m.group_kind, m.group, lang))
                  for m in report.disproportionality],
        attributed=sum(1 for a in report.attributions if a.brand is not None),
        mode_label=lambda mode: mode_label(mode, lang),
        thresholds={"prr": PRR_THRESHOLD, "chi2": CHI2_THRESHOLD, "n": N_THRESHOLD},
        fixed=lambda value, digits=2: "—" if value is None else f"{value:,.{digits}f}",
    )
