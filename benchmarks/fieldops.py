"""Field operations: the signals report on the labelled synthetic registry, and the write
rate of claims and checkpoint records on a database.

- signals: a synthetic registry (default 10k models, 100k batches, 10k certificates) with
  N synthetic incidents (default 20k, each naming a model, half of them a batch), all
  labelled synthetic; the time of ``signals()`` on a fresh snapshot and on a warm one.
- writes: claims submitted (each runs the check, stores the claim and audits it) and
  checkpoint records (a refusal, then storing) per second, each its own transaction, on
  the database at ``--database-url`` (default: a SQLite file in a temporary folder).

    .venv/bin/python benchmarks/fieldops.py [--models N --batches N --incidents N]
        [--claims N --records N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import Timer, peak_rss_mb, write_results
from cellwatch.checkpoints.policy import Location
from cellwatch.checkpoints.records import RecordKind, RecordRequest
from cellwatch.claims.claim import ClaimRequest
from cellwatch.domain.incidents import Incident
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.fieldops import checkpoints, claims
from cellwatch.ingest import apply_checked
from cellwatch.signals import signals
from cellwatch.store import registry_store
from cellwatch.store.db import Database
from cellwatch.synth.registry import SOURCE, Size, brand_id, generate, model_code

SEVERITIES = ("smoke", "fire", "explosion", "bulging", "overheating")


def synthetic_incidents(size: Size, count: int, seed: int = 8) -> tuple[Incident, ...]:
    rng = random.Random(seed)
    per_model = max(1, size.batches // size.models)
    found = []
    for i in range(count):
        model = rng.randrange(size.models)
        values = {
            "id": f"synth-incident-{i:07d}", "date": f"2025-{rng.randrange(1, 13):02d}",
            "mode": "air", "brand": brand_id(model % size.brands), "model": model_code(model),
            "severity": rng.choice(SEVERITIES), "sources": [SOURCE.id],
            "description": "SYNTHETIC incident generated for a benchmark; not a real event.",
        }
        if i % 2:
            values["batch"] = f"B{model:06d}-{rng.randrange(per_model):03d}"
        found.append(Incident.model_validate(values))
    return tuple(found)


def bench_signals(args: argparse.Namespace) -> dict[str, object]:
    size = Size(brands=max(10, args.models // 100), cell_makers=50, models=args.models,
                batches=args.batches, certificates=args.certificates,
                recalls=max(10, args.models // 50))
    data = generate(size)
    data = RegistryData.from_kinds({**dict(data.items()),
                                    "incidents": synthetic_incidents(size, args.incidents)})
    gc.collect()
    gc.freeze()
    with Timer() as cold:
        report = signals(Registry(data, 1), as_of=dt.date(2025, 12, 31))
    registry = Registry(data, 2)
    signals(registry, as_of=dt.date(2025, 12, 31))
    with Timer() as warm:
        report = signals(registry, as_of=dt.date(2025, 12, 31))
    with Timer() as rendering:
        report.as_json()
    return {
        "models": args.models, "batches": args.batches, "incidents": args.incidents,
        "signals_cold_s": round(cold.seconds, 3), "signals_warm_s": round(warm.seconds, 3),
        "as_json_s": round(rendering.seconds, 3),
        "flagged": len(report.signals), "inspection_rows": len(report.inspection),
    }


def bench_writes(args: argparse.Namespace, url: str) -> dict[str, object]:
    database = Database(url, timeout=30)
    database.migrate()
    size = Size(brands=5, cell_makers=2, models=50, batches=500, certificates=10, recalls=50)
    data = generate(size)
    apply_checked(database, "bench", data)
    with database.connect() as connection:
        registry = Registry(registry_store.read(connection), 1)
    recalled = [(r.entry_brand(e), e.model) for r in registry.data.recalls for e in r.scope
                if e.unconstrained]
    if not recalled:
        raise SystemExit("the synthetic registry has no recall without constraints")
    with Timer() as claiming:
        for i in range(args.claims):
            brand, model = recalled[i % len(recalled)]
            request = ClaimRequest.model_validate({
                "brand": brand, "model": model, "serial": f"SYNTH{i:08d}",
                "contact": {"name": "Synthetic Claimant", "email": f"c{i}@example.org"},
            })
            claims.submit(database, registry, request, max_photo_bytes=1, max_photos=0)
    checkpoints.add_location(database, Location(id="bench-t1", name="Benchmark T1"), "bench")
    with Timer() as recording:
        for i in range(args.records // 2):
            case = checkpoints.record(database, "bench-t1", RecordRequest(
                kind=RecordKind.REFUSED, serial=f"SYNTH{i}", reason="over_count"), "bench")
            checkpoints.record(database, "bench-t1", RecordRequest(
                kind=RecordKind.STORED, case_id=case.id), "bench")
    with Timer() as reporting:
        checkpoints.report(database, "bench-t1", dt.datetime.now(dt.UTC).date())
    database.dispose()
    return {
        "database": database.url.split(":")[0],
        "claims": args.claims, "claims_per_s": round(args.claims / claiming.seconds, 1),
        "checkpoint_records": 2 * (args.records // 2),
        "checkpoint_records_per_s": round(2 * (args.records // 2) / recording.seconds, 1),
        "daily_report_s": round(reporting.seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--batches", type=int, default=100_000)
    parser.add_argument("--certificates", type=int, default=10_000)
    parser.add_argument("--incidents", type=int, default=20_000)
    parser.add_argument("--claims", type=int, default=300)
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    figures = bench_signals(args)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
        figures |= bench_writes(args, url)
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    write_results("fieldops", figures)


if __name__ == "__main__":
    main()
