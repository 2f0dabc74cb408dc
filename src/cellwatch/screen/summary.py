"""What a screen found, in numbers: per status, per certificate status, per advisory, and
the brands and models with the most recalled or possibly recalled units."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb

TOP = 10
STATUSES = ("recalled", "possibly_recalled", "not_recalled", "unknown_model")


@dataclass(frozen=True)
class Summary:
    input: str
    kind: str
    encoding: str | None
    columns: dict[str, str]
    date: dt.date
    registry_version: int
    rows: int  # rows read (screened + bad)
    screened: int
    bad_rows: int
    statuses: dict[str, int]
    certificates: dict[str, int]
    advisories: dict[str, int]
    top_brands: list[tuple[str, int]]
    top_models: list[tuple[str, int]]
    output: str
    errors: str
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    #: The worksheet read, for a workbook
    sheet: str | None = None
    #: The codes the output was limited to (:mod:`.selection`); empty: every good row
    only: list[str] = field(default_factory=list)
    #: The rows written to the output: the good rows, or those ``only`` kept
    output_rows: int = 0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def as_json(self) -> dict[str, Any]:
        value = asdict(self)
        value["date"] = self.date.isoformat()
        value["top_brands"] = [{"brand": b, "units": n} for b, n in self.top_brands]
        value["top_models"] = [{"model": m, "units": n} for m, n in self.top_models]
        value["seconds"] = round(self.seconds, 3)
        value["stages"] = {k: round(v, 3) for k, v in self.stages.items()}
        value["rows_per_second"] = round(self.rows_per_second)
        return value


def _counts(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    return {str(key): int(n) for key, n in con.execute(sql).fetchall()}


def tally(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The counts of the rows written (``results`` not ``bad``: the output is ``raw`` and
    ``results`` side by side), in one pass over the columns they need."""
    texts = ("recall_status", "certificate_status", "advisory_codes", "resolved_brand",
             "resolved_model")
    columns = ", ".join(f"{c}::VARCHAR AS {c}" for c in texts)
    con.execute(
        f"CREATE TABLE tallies AS SELECT {columns}, n FROM (SELECT {', '.join(texts)}, "
        "count(*) AS n FROM results WHERE NOT bad GROUP BY ALL)"
    )
    statuses = _counts(con, "SELECT recall_status, sum(n) FROM tallies GROUP BY 1")
    flagged = "recall_status IN ('recalled', 'possibly_recalled')"
    return {
        "statuses": {s: statuses.get(s, 0) for s in STATUSES},
        "certificates": _counts(
            con, "SELECT certificate_status, sum(n) FROM tallies GROUP BY 1 ORDER BY 2 DESC, 1",
        ),
        "advisories": _counts(
            con, "SELECT code, sum(n) FROM (SELECT unnest(string_split(advisory_codes, ';')) "
            "AS code, n FROM tallies WHERE advisory_codes IS NOT NULL) GROUP BY 1 "
            "ORDER BY 2 DESC, 1",
        ),
        "top_brands": [
            (str(b), int(n)) for b, n in con.execute(
                f"SELECT resolved_brand, sum(n) FROM tallies WHERE {flagged} "
                f"GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {TOP}"
            ).fetchall()
        ],
        "top_models": [
            (str(m), int(n)) for m, n in con.execute(
                f"SELECT resolved_brand || '/' || resolved_model, sum(n) FROM tallies "
                f"WHERE {flagged} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {TOP}"
            ).fetchall()
        ],
    }
