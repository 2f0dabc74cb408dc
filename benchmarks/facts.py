"""The screen's per-model Python: the check's answers for every model of the synthetic
large registry, as the screen computes them once per model (``_Facts.answer_of``).

For inventories of up to a million rows this is most of a screen (about 5 s of a 6 s
Parquet screen of 1M rows on the 2-core development machine): the number to move when
the check's small functions (``of_model``, ``model_sourcing``, ``energy``,
``advisories``) are made faster. Alone here; inside a screen the same work shares the
GIL with the SQL that runs beside it and takes longer.

    .venv/bin/python benchmarks/facts.py [--runs 7] [--models N --batches N
        --certificates N --recalls N]

Prints the median and fastest of the runs, microseconds per model, and a digest of the
answers (the same registry and code give the same digest: a faster version must keep it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import statistics
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).parent))

from _common import add_size_arguments, size_of, warm, write_results
from cellwatch.check.identify import Identification, MatchedBy
from cellwatch.domain.registry import Registry
from cellwatch.screen.facts import _Facts
from cellwatch.screen.flatten import load_scopes
from cellwatch.synth.registry import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    add_size_arguments(parser)
    args = parser.parse_args()

    data = generate(size_of(args))
    registry = Registry(data, 1)
    warm(registry)
    gc.collect()
    gc.freeze()  # as the CLI and an API worker do with a large snapshot
    date = dt.date(2025, 7, 1)
    keys = load_scopes(duckdb.connect(), registry)
    companies = registry.companies
    found = [Identification(companies.get(p.brand), p, MatchedBy.CODE, False)
             for p in registry.data.products]
    seconds: list[float] = []
    digest = ""
    for _ in range(args.runs):
        memo = _Facts(registry, keys, date)
        gc.disable()  # as the screen does while its Python runs
        start = time.perf_counter()
        answers = [memo.answer_of(identification, None) for identification in found]
        seconds.append(time.perf_counter() - start)
        gc.enable()
        digest = hashlib.sha1(repr((answers, memo.supply_rows)).encode()).hexdigest()[:12]
    median = statistics.median(seconds)
    write_results("facts", {
        "synthetic_large_registry": True,
        "registry": data.counts(),
        "models": len(found),
        "runs": args.runs,
        "median_seconds": round(median, 3),
        "fastest_seconds": round(min(seconds), 3),
        "microseconds_per_model": round(median / len(found) * 1e6, 2),
        "answers_digest": digest,
    })


if __name__ == "__main__":
    main()
