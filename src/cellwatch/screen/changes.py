"""What changed between two screens of the same input: the rows whose answers differ.

When new recalls are published, a retailer screens the same inventory again (a job's
*again*, :func:`cellwatch.api.screening.screen_again`) and wants the rows to look at
anew, not the whole list: :func:`compare` joins the earlier output and the later one by
``input_line`` and writes, in line order, each row that

- ``changed``: its recall status, recall ids, possible recall ids, missing facts,
  certificate status or advisory codes differ;
- is ``new``: only the later output has it (with ``--only``, it entered the selection; or
  the earlier screen refused it);
- is ``gone``: only the earlier output has it (it left the selection, or is refused now).

Each row gives both answers side by side (``earlier_recall_status``, ``recall_status``, …)
with the brand and model resolved. The outputs are read as text, CSV or Parquet alike.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from cellwatch.screen.judge import LINE
from cellwatch.screen.source import literal, quote

#: The screen's columns that say what a row is, compared between the two screens
COMPARED = (
    "recall_status", "recall_ids", "possible_recall_ids", "missing_facts",
    "certificate_status", "advisory_codes",
)
#: Columns that say which unit a row is, taken from the later screen where it has the row
NAMED = ("resolved_brand", "resolved_model")
#: DuckDB's memory for the comparison (it spills beside ``out`` beyond it), as a screen's
MEMORY = "2GB"


@dataclass(frozen=True)
class Changes:
    """How many rows :func:`compare` wrote, by kind of change."""

    rows: int
    changed: int
    new: int
    gone: int
    #: rows recalled in the later screen that were not (or not there) in the earlier one
    newly_recalled: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _read(path: Path) -> str:
    """A screen's output as a relation of text columns (its line a number)."""
    source = (f"read_parquet({literal(str(path))})" if path.suffix == ".parquet" else
              f"read_csv({literal(str(path))}, header = true, all_varchar = true)")
    columns = ", ".join(f"{quote(c)}::VARCHAR AS {quote(c)}" for c in (*NAMED, *COMPARED))
    return f"(SELECT {quote(LINE)}::BIGINT AS line, {columns} FROM {source})"


def compare(earlier: Path, later: Path, out: Path) -> Changes:
    """Write to ``out`` (CSV) the rows whose answers differ between the ``earlier`` and the
    ``later`` output of the same input; their counts. :class:`ValueError` when either
    cannot be read as a screen's output."""
    differs = " OR ".join(f"e.{quote(c)} IS DISTINCT FROM l.{quote(c)}" for c in COMPARED)
    sides = ", ".join(f"e.{quote(c)} AS {quote('earlier_' + c)}, l.{quote(c)} AS {quote(c)}"
                      for c in COMPARED)
    named = ", ".join(f"coalesce(l.{quote(c)}, e.{quote(c)}) AS {quote(c)}" for c in NAMED)
    con = duckdb.connect(config={"memory_limit": MEMORY,
                                 "temp_directory": str(out.with_name(f"{out.name}.spill"))})
    try:
        con.execute(
            f"""
            CREATE TABLE changes AS
            SELECT coalesce(l.line, e.line) AS {quote(LINE)},
                   CASE WHEN e.line IS NULL THEN 'new' WHEN l.line IS NULL THEN 'gone'
                        ELSE 'changed' END AS change,
                   {named}, {sides}
            FROM {_read(earlier)} e FULL OUTER JOIN {_read(later)} l ON l.line = e.line
            WHERE e.line IS NULL OR l.line IS NULL OR {differs}
            """
        )
        con.execute(f"COPY (SELECT * FROM changes ORDER BY {quote(LINE)}) "
                    f"TO {literal(str(out))} (FORMAT csv, HEADER)")
        found = con.execute(
            "SELECT count(*), count(*) FILTER (change = 'changed'), "
            "count(*) FILTER (change = 'new'), count(*) FILTER (change = 'gone'), "
            "count(*) FILTER (recall_status = 'recalled' "
            "AND earlier_recall_status IS DISTINCT FROM 'recalled') FROM changes"
        ).fetchone()
    except duckdb.Error as error:
        raise ValueError(f"cannot compare {earlier.name} with {later.name}: {error}") from None
    finally:
        con.close()
    assert found is not None
    return Changes(*(int(n) for n in found))
