"""Checks per second (single core, in process), snapshot build time and memory.

On the demo registry and on the labelled synthetic registry (default 100k models, 1M
batches, 100k certificates). The snapshot is built from the registry data in memory, as
an API worker builds it after reading the store; the units checked are drawn from the
registry so that every step (identify, scopes, certificates, supply chain, rules) runs.
Like an API worker, the large snapshot is moved out of the garbage collector's sight
(``gc.freeze``) once built; the 50,000 units are drawn across all 100k models, so most
checks meet a model for the first time (nothing of it remembered yet).

    .venv/bin/python benchmarks/check.py [--models N --batches N --certificates N] [--checks N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import Timer, add_size_arguments, current_rss_mb, peak_rss_mb, size_of, write_results
from cellwatch.bundles.reader import read_bundle
from cellwatch.check import Device, Trip, check
from cellwatch.check.certificate import covering
from cellwatch.check.identify import model_index
from cellwatch.check.scopes import scope_index
from cellwatch.check.supply import _sourcing_by_model
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.ingest import demo_bundle
from cellwatch.synth.registry import Size, batch_code, brand_id, generate, model_code


def build(data: RegistryData) -> tuple[Registry, float, float]:
    """Build every index of the snapshot; return it, seconds, and MiB it allocated."""
    gc.collect()
    tracemalloc.start()
    with Timer() as timer:
        registry = Registry(data, 1)
        registry.derived(scope_index)
        registry.derived(model_index)
        registry.derived(_sourcing_by_model)
        _ = registry.products, registry.certificates, registry.status_changes, registry.cell_lots
        _ = registry.resolve_company("warm-up")
        if data.products:
            covering(registry, data.products[0])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return registry, timer.seconds, peak / 2**20


def rate(registry: Registry, devices: list[Device], trip: Trip) -> float:
    check(devices[0], trip, registry)  # warm caches
    with Timer() as timer:
        for device in devices:
            check(device, trip, registry)
    return len(devices) / timer.seconds


def demo_devices(registry: Registry, n: int, rng: random.Random) -> list[Device]:
    products = registry.data.products
    devices = []
    for i in range(n):
        product = products[i % len(products)]
        devices.append(Device(brand=product.brand, model=product.model,
                              batch=rng.choice(["C14-P6", "M22-Q7", None]),
                              serial=rng.choice(["57V12345678901", "ABC123D", None]),
                              energy_wh=rng.choice([None, 74.0, 120.0]), ccc_mark="present"))
    return devices


def synthetic_devices(size: Size, n: int, rng: random.Random) -> list[Device]:
    devices = []
    per_model = max(1, size.batches // size.models)
    for _ in range(n):
        model = rng.randrange(size.models)
        devices.append(Device(
            brand=rng.choice([brand_id(model % size.brands), f"SB{model % size.brands}"]),
            model=model_code(model),
            batch=rng.choice([batch_code(model, rng.randrange(per_model)), None]),
            serial=rng.choice([f"S{model:06d}000{rng.randrange(100000):05d}", None]),
            capacity_mah=rng.choice([None, 10000, 20000]), ccc_mark="present",
        ))
    return devices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_size_arguments(parser)
    parser.add_argument("--checks", type=int, default=50_000)
    args = parser.parse_args()
    rng = random.Random(7)
    trip = Trip(rules="cn-caac,icao", date=dt.date(2025, 7, 1))

    demo_data, _ = read_bundle(demo_bundle())
    demo, demo_build, demo_mb = build(demo_data)
    demo_rate = rate(demo, demo_devices(demo, args.checks, rng), trip)

    size = size_of(args)
    with Timer() as generating:
        data = generate(size)
    gc.collect()
    rss_data = current_rss_mb()
    large, large_build, large_mb = build(data)
    gc.collect()
    gc.freeze()  # as an API worker does with a large snapshot (cellwatch.snapshot)
    rss_snapshot = current_rss_mb()
    large_rate = rate(large, synthetic_devices(size, args.checks, rng), trip)
    write_results("check", {
        "synthetic_large_registry": True,
        "trip": {"rules": list(trip.rules), "date": trip.date.isoformat()},
        "demo": {
            "records": len(demo_data), "snapshot_build_seconds": round(demo_build, 3),
            "snapshot_index_mb": round(demo_mb, 1), "checks_per_second": round(demo_rate),
        },
        "large": {
            "records": data.counts(), "generate_seconds": round(generating.seconds, 1),
            "snapshot_build_seconds": round(large_build, 1),
            "snapshot_index_mb": round(large_mb),
            "rss_mb_registry_data": round(rss_data),
            "rss_mb_snapshot_with_indexes": round(rss_snapshot),
            "process_peak_rss_mb": round(peak_rss_mb()),
            "checks_per_second": round(large_rate),
        },
    })


if __name__ == "__main__":
    main()
