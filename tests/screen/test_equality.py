"""One definition of matching: every screened row equals the single check on the same unit.

Hypothesis generates registries (tests/strategies.py) and inventories drawn from them:
codes as printed and as people type them (case, spaces, hyphens), serials in and around
scope lists, ranges and patterns with confusable characters (O/0, I/L/1, Z/2), production
dates at day, month and year precision around the scope windows, certificate numbers, and
values the check refuses. The screen and :func:`cellwatch.check.check` must agree on the
resolved brand and model, the recall status, recall ids, possible recall ids, missing
facts, certificate status and advisory codes — and on which rows are refused.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from cellwatch.bundles.reader import read_bundle
from cellwatch.check import Device, Trip, check
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.ingest import demo_bundle
from cellwatch.screen import ScreenOptions, screen
from tests.screen.inventory import COLUMNS, read_rows, split, write_csv, write_parquet
from tests.strategies import registries

_CONFUSE = str.maketrans({"0": "O", "1": "I", "2": "Z", "O": "0", "I": "1", "L": "1"})


def _variants(value: str) -> st.SearchStrategy[str]:
    """The value as printed and as people or OCR give it back (with a legal word apart or
    run together, which ``fold_name`` reads differently and ``model_key`` alike)."""
    return st.sampled_from([
        value, value.lower(), value.replace("-", " "), f" {value} ", value.translate(_CONFUSE),
        value.replace("-", ""), value + "X", value[:-1] or value, value.replace("1", "L"),
        value.replace("0", "o").replace("2", "Z"), f"{value} Co", f"{value}CO".replace("-", "_"),
    ])


def _texts(data: RegistryData) -> dict[str, list[str]]:
    brands = [c.id for c in data.companies] + [c.name for c in data.companies]
    brands += [a for c in data.companies for a in c.aliases]
    models = [p.model for p in data.products] + [n for p in data.products for n in p.names]
    batches = [b.batch for b in data.batches]
    serials: list[str] = []
    dates: list[str] = []
    for recall in data.recalls:
        for entry in recall.scope:
            batches += list(entry.batches)
            serials += list(entry.serials)
            for r in entry.serial_ranges:
                serials += [r.from_, r.to, r.from_[:-1] + "5", r.from_[:-2] + "O5"]
            for pattern in entry.serial_patterns:
                serials.append(pattern.replace("*", "AB1").replace("?", "7")
                               .replace("[0-9D]", "D").replace("[0-4]", "3"))
            for window in entry.produced:
                for end in (window.from_, window.to):
                    if end is not None:
                        day = end.first_day()
                        dates += [day.isoformat(), day.isoformat()[:7], str(day.year),
                                  (day + dt.timedelta(days=15)).isoformat()[:7]]
    certificates = [c.number for c in data.certificates]
    return {"brand": brands, "model": models, "batch": batches, "serial": serials,
            "produced": dates, "certificate": certificates}


@st.composite
def _value(draw: st.DrawFn, known: list[str], other: st.SearchStrategy[str],
           none: float = 0.3) -> str | None:
    choice = draw(st.floats(0, 1))
    if choice < none:
        return None
    if choice < 0.85 and known:
        return draw(_variants(draw(st.sampled_from(known))))
    return draw(other)


_CODE = st.text(st.sampled_from("ABCDOILZ0123456789-"), min_size=1, max_size=8)
_DATE = st.one_of(
    st.dates(dt.date(1995, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(dt.date(1995, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.isoformat()[:7]),
    st.sampled_from(["2023-13", "2025-02-30", "2023/07/01", "1800"]),
)


@st.composite
def _unit(draw: st.DrawFn, data: RegistryData, texts: dict[str, list[str]]) -> tuple[str | None, ...]:
    product = draw(st.sampled_from(data.products))
    names = {c.id: [c.id, c.name, *c.aliases] for c in data.companies}
    brand = draw(st.one_of(
        st.sampled_from(names.get(product.brand, [product.brand])), st.none(), _CODE,
    ))
    model = draw(st.one_of(_variants(product.model), st.sampled_from(texts["model"]), _CODE))
    return (
        brand, model,
        draw(_value(texts["serial"], _CODE)),
        draw(_value(texts["batch"], _CODE)),
        draw(_value(texts["produced"], _DATE)),
        draw(_value(texts["certificate"], st.sampled_from(["2024010914999999", "x"]), 0.8)),
    )


@st.composite
def inventories(draw: st.DrawFn) -> tuple[RegistryData, list[tuple[str | None, ...]], dt.date]:
    data = draw(registries(max_size=4))
    texts = _texts(data)
    rows = draw(st.lists(_unit(data, texts), min_size=1, max_size=12))
    announced = [r.announced.last_day() for r in data.recalls]
    date = draw(st.one_of(
        st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
        st.just(max(announced, default=dt.date(2025, 7, 1)) + dt.timedelta(days=1)),
    ))
    return data, rows, date


def _device(row: tuple[str | None, ...]) -> Device:
    values = {c: (v if v is not None and v.strip() else None) for c, v in zip(COLUMNS, row, strict=True)}
    values["ccc_certificate"] = values.pop("certificate")
    return Device.model_validate(values)


def _expected(result: Any) -> dict[str, Any]:
    return {
        "resolved_brand": result.device.brand,
        "resolved_model": result.device.model,
        "recall_status": result.recall.status.value,
        "recall_ids": sorted({r.id for r in result.recall.recalls}),
        "possible_recall_ids": sorted({r.id for r in result.recall.possible}),
        "missing_facts": list(result.recall.missing),
        "certificate_status": result.certificate.status.value,
        "advisory_codes": sorted({a.code for a in result.advisories}),
    }


def _screened(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "resolved_brand": row["resolved_brand"],
        "resolved_model": row["resolved_model"],
        "recall_status": row["recall_status"],
        "recall_ids": split(row["recall_ids"]),
        "possible_recall_ids": split(row["possible_recall_ids"]),
        "missing_facts": split(row["missing_facts"]),
        "certificate_status": row["certificate_status"],
        "advisory_codes": split(row["advisory_codes"]),
    }


def assert_same_as_check(data: RegistryData, rows: list[tuple[str | None, ...]],
                         date: dt.date, suffix: str, part_rows: int = 1_000_000) -> None:
    """Every row of ``rows`` screened as the check answers it; with ``part_rows`` small,
    a CSV input's output is written in parts (one per thread, of two) and joined, and a
    Parquet input is written in row groups of that many rows (by Arrow), its output beside
    them."""
    registry = Registry(data, 1)
    trip = Trip(date=date, rules=("cn-caac",))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"inventory{suffix}"
        if suffix == ".parquet":
            write_parquet(path, COLUMNS, rows, row_group_size=max(part_rows, 2)
                          if part_rows < len(rows) else None)
        else:
            write_csv(path, COLUMNS, rows)
        summary = screen(path, registry, ScreenOptions(
            date=date, output=Path(folder) / "out.parquet", threads=2, part_rows=part_rows))
        screened = {int(r["input_line"]): r for r in read_rows(Path(summary.output))}
        refused = {int(r["line"]) for r in read_rows(Path(summary.errors))}
    for line, row in enumerate(rows, start=2):
        try:
            device = _device(row)
        except ValidationError:
            assert line in refused and line not in screened, (line, row)
            continue
        assert line in screened, (line, row, refused)
        expected = _expected(check(device, trip, registry))
        assert _screened(screened[line]) == expected, (line, row)
    assert summary.screened == len(screened)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventories(), st.sampled_from([".parquet", ".csv"]))
def test_every_screened_row_equals_the_check(case: Any, suffix: str) -> None:
    data, rows, date = case
    assert_same_as_check(data, rows, date, suffix, part_rows=1)


def test_the_demo_registry_agrees_with_the_check() -> None:
    data, _ = read_bundle(demo_bundle())
    texts = _texts(data)
    rows: list[tuple[str | None, ...]] = []
    for i, product in enumerate(data.products):
        for j in range(6):
            pick = i * 7 + j
            rows.append((
                product.brand if j % 3 else None, product.model,
                texts["serial"][pick % len(texts["serial"])] if j % 2 else None,
                texts["batch"][pick % len(texts["batch"])] if j in (1, 4) else None,
                texts["produced"][pick % len(texts["produced"])] if j > 2 else None,
                None,
            ))
    for date in (dt.date(2025, 7, 1), dt.date(2024, 1, 1)):
        assert_same_as_check(data, rows, date, ".csv")
