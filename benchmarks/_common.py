"""Shared by the benchmark scripts: timing, peak memory, writing results as JSON."""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cellwatch.synth.registry import Size

RESULTS = Path(__file__).parent / "results"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident memory of this process now, in MiB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds() -> float:
    """CPU time of this process so far (user and system, every thread), in seconds."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    """The synthetic large registry's size as options (``--models`` … ``--recalls``),
    defaulting to :class:`cellwatch.synth.registry.Size`'s: read back with :func:`size_of`."""
    for name, default in (("models", 100_000), ("batches", 1_000_000),
                          ("certificates", 100_000), ("recalls", 2_000)):
        parser.add_argument(f"--{name}", type=int, default=default)


def size_of(args: argparse.Namespace) -> Size:
    """The :class:`~cellwatch.synth.registry.Size` of :func:`add_size_arguments`' options
    (imported here: a benchmark's child process may not want the package's imports)."""
    from cellwatch.synth.registry import Size

    return Size(models=args.models, batches=args.batches, certificates=args.certificates,
                recalls=args.recalls)


def warm(registry: Any) -> None:
    """Build the snapshot's indexes that a screen asks for, as a long-running API worker
    has them, so that a screen is timed without them."""
    from cellwatch.check.certificate import covering
    from cellwatch.check.identify import model_index
    from cellwatch.check.scopes import scope_index
    from cellwatch.check.supply import _sourcing_by_model

    registry.derived(scope_index)
    registry.derived(model_index)
    registry.derived(_sourcing_by_model)
    _ = registry.products, registry.certificates, registry.status_changes
    if registry.data.products:
        covering(registry, registry.data.products[0])


def write_results(name: str, figures: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    figures = {
        "benchmark": name,
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "cpus": __import__("os").cpu_count(),
        **figures,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"written to {path}")
    return path
