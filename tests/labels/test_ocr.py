"""Reading SYNTHETIC labels rendered with the Noto CJK font through the real OCR engine.

The labels (cellwatch.labels.synthetic) carry demo-registry brands and model codes in real
label wording, with made-up values; each layout is photographed with each kind of defect.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from PIL import Image

from cellwatch.bundles.reader import read_bundle
from cellwatch.domain.registry import Registry
from cellwatch.ingest import demo_bundle
from cellwatch.labels import read_label
from cellwatch.labels.ocr import Box, read_boxes, rows
from cellwatch.labels.reading import NO_MARK, NO_TEXT, LabelReading
from cellwatch.labels.synthetic import LAYOUTS, SyntheticLabel, make_label
from tests.conftest import CJK_FONT, need_system_file

#: every layout with every defect, some together (seeds fixed: the same set every run)
DEFECT_SETS: tuple[tuple[str, ...], ...] = (
    (), ("rotation",), ("blur", "noise"), ("perspective", "low_contrast"),
    ("small", "rotation"), ("low_contrast", "blur"),
)
#: 12 labels: each layout three times, each defect set twice (benchmarks/labels.py reads
#: hundreds)
CASES = [(LAYOUTS[i % len(LAYOUTS)], DEFECT_SETS[i % len(DEFECT_SETS)]) for i in range(12)]


@pytest.fixture(scope="module")
def registry() -> Registry:
    data, issues = read_bundle(demo_bundle())
    assert not issues
    return Registry(data, 1)


@pytest.fixture(scope="module")
def readings(registry: Registry) -> list[tuple[SyntheticLabel, LabelReading]]:
    need_system_file(CJK_FONT, "fonts-noto-cjk")
    labels = [make_label(1000 + index, layout, defects)
              for index, (layout, defects) in enumerate(CASES)]
    return [(label, read_label(label.image, registry)) for label in labels]


def wanted(label: SyntheticLabel) -> dict[str, Any]:
    return {**label.facts, "brand": str(label.facts["brand"]).lower()}


def test_synthetic_labels_model_capacity_and_wh_are_read(
    readings: list[tuple[SyntheticLabel, LabelReading]],
) -> None:
    right = 0
    misses = []
    for label, reading in readings:
        want = wanted(label)
        ok = all(reading.value(f) == want.get(f) for f in ("model", "capacity_mah", "energy_wh"))
        right += ok
        if not ok:
            misses.append((label.name, [line.text for line in reading.lines]))
    assert right / len(readings) >= 0.9, misses


def test_synthetic_labels_every_fact_read_is_mostly_right(
    readings: list[tuple[SyntheticLabel, LabelReading]],
) -> None:
    read = correct = printed = 0
    for label, reading in readings:
        want = wanted(label)
        for field, fact in reading.facts.items():
            read += 1
            correct += fact.value == want.get(field)
            assert 0 < fact.confidence <= 1 and fact.text
        printed += len(want)
    assert correct / read >= 0.9  # precision
    assert correct / printed >= 0.85  # recall


def test_synthetic_labels_never_call_a_mark_absent(
    readings: list[tuple[SyntheticLabel, LabelReading]],
) -> None:
    for label, reading in readings:
        mark = reading.value("ccc_mark")
        assert mark in ("present", None)
        if "ccc_mark" not in label.facts:
            assert mark is None and NO_MARK in reading.notes


def test_a_synthetic_label_turned_by_exif_is_read_upright(registry: Registry) -> None:
    need_system_file(CJK_FONT, "fonts-noto-cjk")
    label = next(
        lab for lab in (make_label(seed, "bilingual", ()) for seed in range(40))
        if "exif6" in lab.defects
    )
    reading = read_label(label.image, registry)
    assert reading.rotated == 90
    assert reading.value("model") == label.facts["model"]


@pytest.mark.parametrize("stored_turn", [90, -90])
def test_a_synthetic_label_sideways_without_exif_is_turned_and_read(
    registry: Registry, stored_turn: int
) -> None:
    need_system_file(CJK_FONT, "fonts-noto-cjk")
    label = make_label(5, "chinese", ())
    sideways = Image.open(io.BytesIO(label.image)).rotate(stored_turn, expand=True)
    buffer = io.BytesIO()
    sideways.save(buffer, format="PNG")
    reading = read_label(buffer.getvalue(), registry)
    assert reading.value("model") == label.facts["model"]
    assert reading.value("capacity_mah") == label.facts["capacity_mah"]
    assert reading.rotated == (90 if stored_turn == 90 else 270)
    assert (reading.width, reading.height) == (sideways.height, sideways.width)


def test_a_photo_without_text_has_no_facts_and_says_so() -> None:
    blank = Image.new("RGB", (640, 480), (200, 200, 200))
    buffer = io.BytesIO()
    blank.save(buffer, format="PNG")
    reading = read_label(buffer.getvalue())
    assert reading.facts == {} and reading.lines == ()
    assert reading.notes == (NO_TEXT,)
    assert reading.as_json()["notes"] == [{"en": NO_TEXT.en, "zh": NO_TEXT.zh}]


def test_the_engine_is_shared_and_safe_from_several_threads() -> None:
    need_system_file(CJK_FONT, "fonts-noto-cjk")
    label = make_label(77, "english", ())
    image = Image.open(io.BytesIO(label.image)).convert("RGB")
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: [b.text for b in read_boxes(image)], range(4)))
    assert results[0] and all(result == results[0] for result in results)


def box(x: float, y: float, text: str, width: float = 200, height: float = 30,
        slope: float = 0.0) -> Box:
    dy = slope * width
    return Box(((x, y), (x + width, y + dy), (x + width, y + dy + height), (x, y + height)),
               text, 0.9)


def test_rows_join_boxes_left_to_right_and_rows_top_to_bottom() -> None:
    found = rows([
        box(400, 102, "PB2030MI"), box(40, 100, "型号:"), box(40, 160, "SN:"),
        box(400, 158, "ABC123"),
    ])
    assert [line.text for line in found] == ["型号: PB2030MI", "SN: ABC123"]


def test_rows_undo_the_slant_of_a_photo_taken_at_an_angle() -> None:
    slope = 0.1  # about 6°: the right-hand box of a row is 60 px lower
    found = rows([
        box(40, 100, "Model:", 200, slope=slope), box(640, 160, "A1263", 200, slope=slope),
        box(40, 150, "Capacity:", 200, slope=slope), box(640, 210, "10000mAh", 200, slope=slope),
    ])
    assert [line.text for line in found] == ["Model: A1263", "Capacity: 10000mAh"]


def test_rows_of_nothing() -> None:
    assert rows([]) == []
