"""Load a labelled synthetic registry (default 100k models, 1M batches, 100k certificates).

Generates the registry, writes it as a bundle, then times ``load_bundle`` (read, validate,
check references, apply in one transaction with the audit log) into an empty database, in a
fresh process so that its peak memory is its own. Also times a second, unchanged load and
an export.

    .venv/bin/python benchmarks/registry_load.py [--models N --batches N --certificates N]
                                                 [--database-url URL]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import Timer, add_size_arguments, peak_rss_mb, size_of, write_results


def _load_in_this_process(bundle: Path, url: str) -> None:
    import json

    from cellwatch.ingest import export_bundle, load_bundle
    from cellwatch.store.db import Database

    database = Database(url)
    database.migrate()
    with Timer() as first:
        result = load_bundle(database, bundle, "benchmark")
    with Timer() as second:
        again = load_bundle(database, bundle, "benchmark")
    with tempfile.TemporaryDirectory() as out, Timer() as export:
        export_bundle(database, Path(out))
    database.dispose()
    print(json.dumps({
        "load_seconds": round(first.seconds, 1),
        "records_loaded": result.report.inserted,
        "records_per_second": round(result.report.inserted / first.seconds),
        "reload_unchanged_seconds": round(second.seconds, 1),
        "reload_changed_records": again.report.changed,
        "export_seconds": round(export.seconds, 1),
        "load_process_peak_rss_mb": round(peak_rss_mb()),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_size_arguments(parser)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--load-only", nargs=2, metavar=("BUNDLE", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_only:
        _load_in_this_process(Path(args.load_only[0]), args.load_only[1])
        return

    import json

    from cellwatch.bundles.writer import write_bundle
    from cellwatch.synth.registry import generate

    size = size_of(args)
    with tempfile.TemporaryDirectory() as work:
        bundle = Path(work) / "bundle"
        with Timer() as generating:
            data = generate(size)
        with Timer() as writing:
            write_bundle(data, bundle)
        counts = data.counts()
        del data
        url = args.database_url or f"sqlite:///{Path(work) / 'registry.sqlite'}"
        if url.startswith("postgresql"):
            import sqlalchemy as sa

            engine = sa.create_engine(url)
            with engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
                connection.exec_driver_sql("CREATE SCHEMA public")
            engine.dispose()
        done = subprocess.run(
            [sys.executable, __file__, "--load-only", str(bundle), url],
            check=True, capture_output=True, text=True,
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        bundle_mb = sum(f.stat().st_size for f in bundle.iterdir()) / 2**20
    write_results(
        f"registry_load_{'postgresql' if url.startswith('postgresql') else 'sqlite'}",
        {
            "synthetic": True,
            "records": counts,
            "generate_seconds": round(generating.seconds, 1),
            "write_bundle_seconds": round(writing.seconds, 1),
            "bundle_mb": round(bundle_mb, 1),
            "database": url.split(":")[0],
            **figures,
        },
    )


if __name__ == "__main__":
    main()
