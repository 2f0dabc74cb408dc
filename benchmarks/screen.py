"""Bulk screening: rows per second against the synthetic large registry, next to DuckDB
merely reading the same file, and peak memory.

Builds the labelled synthetic registry in memory (default 100k models, 1M batches, 100k
certificates, 2k recalls) and its snapshot indexes, moves it out of the garbage
collector's sight as :mod:`cellwatch.snapshot` does, writes a synthetic inventory drawn
from it (`cellwatch synth inventory`), then in one run:

1. the bare read: DuckDB reads every column of every row of the file and counts them
   (``count(*)`` and the byte length of each column, so that a Parquet file's statistics
   cannot answer instead of its data);
2. the bare copy: DuckDB copying the file as it is to the output's format (Parquet with
   the screen's settings, or CSV), in its order: what writing the input back out costs
   before any screening;
3. the screen: :func:`cellwatch.screen.screen` on the same file, output to Parquet (or,
   with ``--output csv``, to CSV, what a CSV input gets by default), with its CPU time and
   how busy the cores were in each stage (CPU over wall seconds).

    .venv/bin/python benchmarks/screen.py [--rows 10000000] [--format parquet|csv]
        [--output parquet|csv] [--models N --batches N --certificates N --recalls N]
        [--threads N] [--only CODE,CODE…]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).parent))

from _common import (
    Timer,
    add_size_arguments,
    cpu_seconds,
    current_rss_mb,
    peak_rss_mb,
    size_of,
    warm,
    write_results,
)
from cellwatch.domain.registry import Registry
from cellwatch.screen import ScreenOptions, screen
from cellwatch.screen.selection import parse_only
from cellwatch.screen.source import PARQUET
from cellwatch.synth.inventory import COLUMNS, write_inventory
from cellwatch.synth.registry import generate


def bare_read(path: Path, threads: int | None) -> tuple[int, float]:
    """DuckDB reading every value of the file and counting the rows."""
    con = duckdb.connect(config={"threads": threads} if threads else {})
    try:
        source = (f"read_parquet('{path}')" if path.suffix == ".parquet"
                  else f"read_csv('{path}', header = true, all_varchar = true)")
        lengths = ", ".join(f"sum(strlen({c}))" for c in COLUMNS)
        with Timer() as timer:
            found = con.execute(f"SELECT count(*), {lengths} FROM {source}").fetchone()
        assert found is not None
        return int(found[0]), timer.seconds
    finally:
        con.close()


def bare_copy(path: Path, output: Path, threads: int | None) -> float:
    """DuckDB copying the file as it is to ``output`` (Parquet with the screen's settings,
    or CSV, by its extension), in its order: the least any screen that writes the input
    back out must spend."""
    con = duckdb.connect(config={"threads": threads} if threads else {})
    try:
        source = (f"read_parquet('{path}')" if path.suffix == ".parquet"
                  else f"read_csv('{path}', header = true, all_varchar = true)")
        with Timer() as timer:
            options = PARQUET if output.suffix == ".parquet" else "FORMAT csv, HEADER"
            con.execute(f"COPY (SELECT * FROM {source}) TO '{output}' ({options})")
        return timer.seconds
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--output", choices=("parquet", "csv"), default="parquet")
    add_size_arguments(parser)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--only", default="", help="The screen's --only codes, comma-separated "
                        "(the output keeps only their rows).")
    args = parser.parse_args()

    size = size_of(args)
    with Timer() as generating:
        data = generate(size)
    registry = Registry(data, 1)
    with Timer() as indexing:
        warm(registry)
    gc.collect()
    gc.freeze()  # as the CLI and an API worker do with a large snapshot (cellwatch.snapshot)
    rss_registry = current_rss_mb()

    with tempfile.TemporaryDirectory(prefix="cellwatch-bench-") as folder:
        inventory = Path(folder) / f"inventory.{args.format}"
        with Timer() as writing:
            write_inventory(data, args.rows, inventory)
        file_mb = inventory.stat().st_size / 2**20
        rows, bare_seconds = bare_read(inventory, args.threads)
        copy_seconds = bare_copy(inventory, Path(folder) / f"copy.{args.output}", args.threads)
        options = ScreenOptions(date=dt.date(2025, 7, 1),
                                output=Path(folder) / f"out.{args.output}",
                                threads=args.threads, only=parse_only([args.only]))
        marks: list[tuple[str, float, float]] = []  # stage, wall clock, CPU so far
        summary = screen(inventory, registry, options, lambda stage, step, steps: marks.append(
            (stage, time.perf_counter(), cpu_seconds())))
        out_mb = Path(summary.output).stat().st_size / 2**20
    assert rows == args.rows == summary.rows, (rows, summary.rows)
    rate = summary.rows / summary.seconds
    write_results("screen", {
        "synthetic_large_registry": True,
        "registry": data.counts(),
        "registry_generate_seconds": round(generating.seconds, 1),
        "snapshot_index_seconds": round(indexing.seconds, 1),
        "rss_mb_registry_snapshot": round(rss_registry),
        "inventory": {"rows": args.rows, "format": args.format, "mb": round(file_mb),
                      "write_seconds": round(writing.seconds, 1)},
        "output_format": args.output,
        "only": summary.only,
        "output_rows": summary.output_rows,
        "bare_read_seconds": round(bare_seconds, 2),
        "bare_read_rows_per_second": round(rows / bare_seconds),
        f"bare_copy_to_{args.output}_seconds": round(copy_seconds, 2),
        "bare_copy_over_bare_read": round(copy_seconds / bare_seconds, 2),
        "screen_seconds": round(summary.seconds, 2),
        "screen_rows_per_second": round(rate),
        "screen_over_bare_read": round(summary.seconds / bare_seconds, 2),
        "screen_over_bare_copy": round(summary.seconds / copy_seconds, 2),
        "screen_stages_seconds": {k: round(v, 2) for k, v in summary.stages.items()},
        # CPU seconds over wall seconds: 2.0 keeps both cores of this machine busy
        "screen_cpu_seconds": round(marks[-1][2] - marks[0][2], 1),
        "screen_stages_cores_busy": {
            stage: round((cpu_after - cpu) / max(after - at, 1e-9), 2)
            for (stage, at, cpu), (_, after, cpu_after) in itertools.pairwise(marks)
        },
        "output_mb": round(out_mb),
        "statuses": summary.statuses,
        "process_peak_rss_mb": round(peak_rss_mb()),
        "targets": {"rows_per_second": 1_000_000, "over_bare_read": 3, "peak_rss_mb": 4096},
    })


if __name__ == "__main__":
    main()
