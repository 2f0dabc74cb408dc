"""Whether an event concerns a watch, and why: brands, companies (through the supply graph),
models and inventory units judged with the check's own scope matching."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from cellwatch.alerts.watches import Watch, WatchUnit, company_reach, match
from cellwatch.domain.dates import PartialDate
from cellwatch.domain.events import EventType, Subject, event_for
from cellwatch.domain.registry import Registry, RegistryData
from tests import factories as f


@dataclass(frozen=True)
class _Event:
    type: EventType
    subjects: frozenset[Subject]
    record: dict[str, Any]


def _registry() -> Registry:
    """acme (formerly bigbrand) sells PB-100 and PB-200; cellco's lot L1 went into PB-100
    batch B1, made by its contract factory 'fab'; other sells X-1 with cells of its own."""
    return Registry(RegistryData(
        sources=(f.source(),),
        companies=(
            f.company(),
            f.company(id="bigbrand", name="Big Brand",
                      links=[{"type": "renamed_to", "to": "acme"}]),
            f.company(id="cellco", name="Cell Co", roles=["cell_maker"]),
            f.company(id="fab", name="Fab", roles=["cell_factory"],
                      links=[{"type": "contract_manufacturer_for", "to": "cellco"}]),
            f.company(id="other", name="Other"),
        ),
        products=(f.product(), f.product(model="PB-200"), f.product(brand="other", model="X-1")),
        cell_lots=(f.cell_lot(lot="L1", cell_maker="cellco", factory="fab"),),
        batches=(
            f.batch(batch="B1", cell_lot="L1"),
            f.batch(batch="B2"),
            f.batch(brand="other", model="X-1", batch="X1"),
        ),
        certificates=(
            f.certificate(number="2023010915000001", holder="cellco", product_kind="cell"),
        ),
    ), version=1)


def _event(record: Any, certificate: Any = None) -> _Event:
    event = event_for("insert", record, certificate)
    assert event is not None
    return _Event(event.type, event.subjects, event.record)


def _watch(**fields: Any) -> Watch:
    return Watch(id=1, name="w", owner="o", url="http://127.0.0.1/hook", **fields)


RECALL = f.recall(scope=[{"model": "PB-100", "batches": ["B1"]}])


@pytest.mark.parametrize(
    ("subjects", "matched"),
    [
        ({("brand", "acme")}, True),
        ({("brand", "bigbrand")}, True),  # a former name
        ({("brand", "other")}, False),
        ({("model", "acme/pb 100")}, True),  # codes compare folded
        ({("model", "acme/PB-200")}, False),
        ({("company", "acme")}, True),
        ({("company", "cellco")}, True),  # its cells reach PB-100
        ({("company", "fab")}, True),  # it made those cells
        ({("company", "other")}, False),
    ],
)
def test_a_recall_matches_by_brand_model_and_company(
    subjects: set[Subject], matched: bool
) -> None:
    reasons = match(_watch(subjects=frozenset(subjects)), _event(RECALL), _registry())
    assert bool(reasons) is matched


def test_a_cell_maker_watch_explains_the_models_its_cells_reach() -> None:
    reasons = match(_watch(subjects=frozenset({("company", "cellco")})), _event(RECALL),
                    _registry())
    assert reasons == [{"watched": "company", "value": "cellco", "via_models": ["acme/PB100"]}]
    assert company_reach(_registry(), "cellco") == {("acme", "PB100")}


def test_a_cell_certificate_concerns_every_model_its_cells_reach() -> None:
    registry = _registry()
    certificate = registry.certificates["2023010915000001"]
    event = _event(f.status_change(number=certificate.number, status="suspended"), certificate)
    assert match(_watch(subjects=frozenset({("model", "acme/PB-100")})), event, registry)
    assert match(_watch(subjects=frozenset({("brand", "acme")})), event, registry)
    assert not match(_watch(subjects=frozenset({("model", "acme/PB-200")})), event, registry)
    assert not match(_watch(subjects=frozenset({("brand", "other")})), event, registry)


def test_types_narrow_a_watch() -> None:
    watch = _watch(subjects=frozenset({("brand", "acme")}),
                   types=frozenset({EventType.INCIDENT_REPORTED}))
    assert match(watch, _event(RECALL), _registry()) == []


def test_inventory_units_are_judged_against_the_recall_scope() -> None:
    units = (
        WatchUnit(line=2, brand="Acme", model="PB-100", batch="B1", label="SKU-1"),
        WatchUnit(line=3, brand="Acme", model="PB-100", batch="B2"),
        WatchUnit(line=4, brand="ACME", model="pb100"),
        WatchUnit(line=5, brand="Other", model="X-1", batch="B1"),
    )
    reasons = match(_watch(units=units), _event(RECALL), _registry())
    assert reasons == [
        {"watched": "unit", "line": 2, "brand": "Acme", "model": "PB-100", "status": "recalled",
         "label": "SKU-1", "batch": "B1"},
        {"watched": "unit", "line": 4, "brand": "ACME", "model": "pb100",
         "status": "possibly_recalled", "missing": ["batch"]},
    ]


def test_inventory_units_by_serial_pattern_and_production_date() -> None:
    recall = f.recall(scope=[{"model": "PB-100", "serial_patterns": ["*[0-9D]"],
                              "produced": [{"from": "2024-01", "to": "2024-03"}]}])
    units = (
        WatchUnit(line=1, brand="acme", model="PB-100", serial="A12D",
                  produced=PartialDate.parse("2024-02-10")),
        WatchUnit(line=2, brand="acme", model="PB-100", serial="A12A",
                  produced=PartialDate.parse("2024-02-10")),
        WatchUnit(line=3, brand="acme", model="PB-100", serial="A129",
                  produced=PartialDate.parse("2023-12-31")),
    )
    reasons = match(_watch(units=units), _event(recall), _registry())
    assert [(r["line"], r["status"]) for r in reasons] == [(1, "recalled")]


def test_inventory_units_and_an_incident_of_their_model() -> None:
    units = (WatchUnit(line=1, brand="acme", model="PB-100"),
             WatchUnit(line=2, brand="acme", model="PB-200"))
    event = _event(f.incident(brand="acme", model="PB 100"))
    assert [r["line"] for r in match(_watch(units=units), event, _registry())] == [1]
