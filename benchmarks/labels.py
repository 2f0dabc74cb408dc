"""How well and how fast a label photo is read: field-level precision and recall, and
seconds per photo, on SYNTHETIC labels (cellwatch.labels.synthetic, deterministic by seed:
demo-registry brands and model codes, real label wording, made-up values; several layouts
with rotation, blur, noise, perspective and low contrast).

Precision of a field: of the labels where a value was read, the share read right. Recall:
of the labels that print the field, the share read right. "all three" is the share of
labels whose model, cell capacity and Wh (when printed) were all read right: the target
is >= 90 %, at < 2 s per photo on 2 cores. Wall-clock seconds depend on what else the
machine runs (the load average is recorded); CPU seconds (both cores together) less so.

    .venv/bin/python benchmarks/labels.py [--count N] [--seed S] [--show-misses]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _common import Timer, peak_rss_mb, write_results
from cellwatch.bundles.reader import read_bundle
from cellwatch.domain.registry import Registry
from cellwatch.ingest import demo_bundle
from cellwatch.labels import read_label
from cellwatch.labels.ocr import engine
from cellwatch.labels.synthetic import SyntheticLabel, label_set, make_label

FIELDS = (
    "brand", "model", "serial", "batch", "produced", "capacity_mah", "voltage_v",
    "energy_wh", "rated_capacity_mah", "ccc_mark", "ccc_certificate",
)
TARGET_FIELDS = ("model", "capacity_mah", "energy_wh")


def expected(label: SyntheticLabel) -> dict[str, Any]:
    facts = dict(label.facts)
    facts["brand"] = str(facts["brand"]).lower()  # read as the registry's company id
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="labels to generate and read")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--show-misses", action="store_true")
    options = parser.parse_args()

    data, issues = read_bundle(demo_bundle())
    assert not issues, issues
    registry = Registry(data, 1)
    with Timer() as warm:
        engine()
    read_label(make_label(0).image, registry)  # the first inference allocates buffers

    hits = dict.fromkeys(FIELDS, 0)
    read = dict.fromkeys(FIELDS, 0)
    printed = dict.fromkeys(FIELDS, 0)
    all_three = 0
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    generating = 0.0
    labels = label_set(options.count, options.seed)
    for _ in range(options.count):
        with Timer() as made:
            label = next(labels)
        generating += made.seconds
        cpu = time.process_time()
        with Timer() as timer:
            reading = read_label(label.image, registry)
        seconds.append(timer.seconds)
        cpu_seconds.append(time.process_time() - cpu)
        want = expected(label)
        right_three = True
        for field in FIELDS:
            got = reading.value(field)
            if field in want:
                printed[field] += 1
            if got is not None:
                read[field] += 1
            right = got is not None and got == want.get(field)
            hits[field] += right
            if field in TARGET_FIELDS and field in want and not right:
                right_three = False
            if options.show_misses and field in want and not right:
                print(f"{label.name}: {field} read {got!r}, printed {want[field]!r}")
        all_three += right_three
    load = os.getloadavg()[0]

    per_field = {
        field: {
            "precision": round(hits[field] / read[field], 3) if read[field] else None,
            "recall": round(hits[field] / printed[field], 3) if printed[field] else None,
            "printed": printed[field],
        }
        for field in FIELDS
    }
    for field, figures in per_field.items():
        print(f"{field:>20}  precision {figures['precision']}  recall {figures['recall']}")
    write_results("labels", {
        "labels": options.count,
        "seed": options.seed,
        "generate_seconds": round(generating, 2),
        "engine_start_seconds": round(warm.seconds, 2),
        "seconds_per_photo_mean": round(statistics.fmean(seconds), 3),
        "seconds_per_photo_median": round(statistics.median(seconds), 3),
        "seconds_per_photo_max": round(max(seconds), 3),
        "cpu_seconds_per_photo_mean": round(statistics.fmean(cpu_seconds), 3),
        "load_average_at_end": round(load, 2),
        "model_capacity_wh_all_right": round(all_three / options.count, 3),
        "fields": per_field,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    })


if __name__ == "__main__":
    main()
