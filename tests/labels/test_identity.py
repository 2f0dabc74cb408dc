"""Brand and model as the demo registry knows them, from what a label gave (no OCR)."""

from __future__ import annotations

import pytest

from cellwatch.bundles.reader import read_bundle
from cellwatch.domain.registry import Registry
from cellwatch.ingest import demo_bundle
from cellwatch.labels.identity import resolve
from cellwatch.labels.texts import Fact, Line, read_facts


@pytest.fixture(scope="module")
def registry() -> Registry:
    data, issues = read_bundle(demo_bundle())
    assert not issues
    return Registry(data, 1)


def resolved(registry: Registry, *lines: str) -> dict[str, object]:
    read_lines = [Line(line, 0.95) for line in lines]
    read = read_facts(read_lines)
    facts = resolve(read.facts, read.maker, read_lines, registry)
    return {field: fact.value for field, fact in facts.items() if field in ("brand", "model")}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # a brand after its key, by its Chinese name
        (["品牌：罗马仕", "型号：PAC20-272"], {"brand": "romoss", "model": "PAC20-272"}),
        # a brand in the manufacturer line, with the legal form around it
        (["制造商：深圳罗马仕科技有限公司", "型号：PLT20A-152"],
         {"brand": "romoss", "model": "PLT20A-152"}),
        # a brand name anywhere, even run into the next word by the OCR
        (["BaseusPowerBank", "Model: BS-30KP365"], {"brand": "baseus", "model": "BS-30KP365"}),
        (["小米移动电源", "型号 PB2030MI"], {"brand": "xiaomi", "model": "PB2030MI"}),
        # no brand printed: the brand of a model code the registry knows once
        (["Model: A1263"], {"brand": "anker", "model": "A1263"}),
        # OCR confusions in the model code: l for I, O for 0
        (["Model: PB2O3OMl"], {"brand": "xiaomi", "model": "PB2030MI"}),
        # a marketing name is not a code: the model stays as read; the brand is found
        (["Anker PowerCore", "Model No.: XYZ999"], {"brand": "anker", "model": "XYZ999"}),
        # a brand the registry does not know stays as read
        (["Brand: Zorblex", "Model: Q-77"], {"brand": "Zorblex", "model": "Q-77"}),
    ],
)
def test_brand_and_model(registry: Registry, lines: list[str], expected: dict[str, object]) -> None:
    assert resolved(registry, *lines) == expected


def test_a_short_alias_must_stand_alone(registry: Registry) -> None:
    # "ESR" is a brand; inside a word it is not
    assert "brand" not in resolved(registry, "PRESSURE TEST", "Capacity 5000mAh")
    assert resolved(registry, "ESR HaloLock", "Model: 2G520") == {
        "brand": "esr", "model": "2G520"
    }


def test_what_was_read_stays_in_the_text(registry: Registry) -> None:
    read_lines = [Line("Model: PB2O3OMl", 0.9)]
    read = read_facts(read_lines)
    model = resolve(read.facts, read.maker, read_lines, registry)["model"]
    assert model == Fact("PB2030MI", model.confidence, "Model: PB2O3OMl")
