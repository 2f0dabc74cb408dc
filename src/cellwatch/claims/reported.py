"""Recall effectiveness figures an authority published, recorded with their source.

Only figures found in public reporting are here (research/recalls.md, "Recall
effectiveness"); nothing is estimated. They stand beside the claims cellwatch counts; they
are not claims and are never added to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cellwatch.domain.records import Text


@dataclass(frozen=True)
class ReportedFigure:
    recall_id: str
    as_of: dt.date
    publisher: str
    units_recovered: int
    share_percent: float  # as published (not recomputed from the recall's units)
    refunded_cny: float | None
    sources: tuple[str, ...]  # source ids of the demo registry
    urls: tuple[str, ...]
    text: Text

    def as_json(self) -> dict[str, object]:
        return {
            "recall_id": self.recall_id, "as_of": self.as_of.isoformat(),
            "publisher": self.publisher, "units_recovered": self.units_recovered,
            "share_percent": self.share_percent, "refunded_cny": self.refunded_cny,
            "sources": list(self.sources), "urls": list(self.urls),
            "text": self.text.model_dump(),
        }


_SOURCES = ("yahoo-hk-040450918", "etnet-360121869")
_URLS = (
    "https://hk.news.yahoo.com/內地上半年召回135萬件充電寶-退款1-1億人民幣-040450918.html",
    "https://www.etnet.com.hk/www/tc/stocks/ah_news_detail.php?newsid=ETN360121869",
)
_AS_OF = dt.date(2025, 9, 25)


def _figure(recall_id: str, units: int, share: float, refunded: float) -> ReportedFigure:
    return ReportedFigure(
        recall_id, _AS_OF, "SAMR", units, share, refunded, _SOURCES, _URLS,
        Text(
            en=f"SAMR reported {units:,} units recovered ({share} %) and "
            f"¥{refunded / 1e6:,.3f} M refunded, as of {_AS_OF}",
            zh=f"市场监管总局公布：截至 {_AS_OF}，已召回 {units:,} 件（{share}%），"
            f"退款 {refunded / 1e4:,.1f} 万元",
        ),
    )


#: SAMR's figures as of 2025-09-25 (research/recalls.md, section 1).
REPORTED: tuple[ReportedFigure, ...] = (
    _figure("cn-romoss-2025-06", 167_000, 34.1, 22_837_000),
    _figure("cn-anker-2025-06", 565_000, 78.7, 85_664_000),
    _figure("cn-xiaomi-2025-08", 17_000, 12.0, 2_700_000),
)


def reported_for(recall_id: str) -> list[ReportedFigure]:
    return [figure for figure in REPORTED if figure.recall_id == recall_id]
