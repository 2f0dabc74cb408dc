"""Impact analysis from one cell maker on the labelled synthetic registry.

Default 100k models, 1M batches, 100k certificates. Times, each on a fresh snapshot:

- the first call on a cold snapshot: it builds every index it uses — the check's (recall
  scope rows, products, company names, certificates by holder) and its own (lots and
  batches by maker, factory and lot);
- the first call on a snapshot whose check indexes are built (as in an API worker that has
  answered checks): it builds only its own supply index;

then warm calls, a what-if call, and the JSON rendering of the report. Target: under 1 s.

The generated registry is moved out of the garbage collector's sight (``gc.freeze``), as
a long-lived process holding a snapshot should do: otherwise an occasional full collection
walks its millions of records (about a second) in whichever call happens to trigger it.

    .venv/bin/python benchmarks/impact.py [--models N --batches N --certificates N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import Timer, add_size_arguments, peak_rss_mb, size_of, write_results
from cellwatch.check.scopes import scope_index
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.impact import impact
from cellwatch.synth.registry import generate

MAKER = "synth-cells-007"
DATE = dt.date(2025, 7, 1)


def _with_check_indexes(data: RegistryData) -> Registry:
    """A fresh snapshot with the indexes the check builds (an API worker has them)."""
    registry = Registry(data, 1)
    registry.derived(scope_index)
    _ = registry.products, registry.certificates, registry.status_changes, registry.cell_lots
    registry.resolve_company("warm-up")
    registry.certificates_of("warm-up")
    return registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_size_arguments(parser)
    parser.add_argument("--warm", type=int, default=5, help="Warm calls to time.")
    args = parser.parse_args()
    size = size_of(args)
    with Timer() as generating:
        data = generate(size)
    gc.collect()
    gc.freeze()
    with Timer() as cold:
        impact(Registry(data, 1), company=MAKER, date=DATE)
    registry = _with_check_indexes(data)
    gc.collect()
    with Timer() as first:
        report = impact(registry, company=MAKER, date=DATE)
    warm = []
    for _ in range(args.warm):
        with Timer() as timer:
            report = impact(registry, company=MAKER, date=DATE)
        warm.append(timer.seconds)
    with Timer() as what_if:
        impact(registry, company=MAKER, date=DATE, what_if_suspended_from=dt.date(2024, 1, 1))
    with Timer() as first_rendering:
        report.as_json()
    with Timer() as rendering:
        value = report.as_json()
    totals = value["totals"]
    write_results("impact", {
        "synthetic_large_registry": True,
        "records": data.counts(),
        "generate_seconds": round(generating.seconds, 1),
        "start": MAKER,
        "date": DATE.isoformat(),
        "reached": {
            "brands": totals["brands"], "models": totals["models"],
            "batches": totals["exposed"]["batches"], "lots": len(value["lots"]),
            "recalled_batches": totals["recalled"]["batches"],
            "undecided_batches": totals["undecided"]["batches"],
            "not_recalled_batches": totals["not_recalled"]["batches"],
        },
        "first_call_seconds_cold_snapshot": round(cold.seconds, 3),
        "first_call_seconds_check_indexes_built": round(first.seconds, 3),
        "warm_call_seconds_median": round(statistics.median(warm), 3),
        "what_if_call_seconds": round(what_if.seconds, 3),
        "as_json_seconds_first": round(first_rendering.seconds, 3),
        "as_json_seconds_warm": round(rendering.seconds, 3),
        "target_seconds": 1.0,
        "process_peak_rss_mb": round(peak_rss_mb()),
    })


if __name__ == "__main__":
    main()
