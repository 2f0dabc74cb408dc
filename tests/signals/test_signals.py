"""The signals report on constructed registries with known answers, and on the demo."""

from __future__ import annotations

import datetime as dt

import pytest

from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.signals import remembered_signals, signals
from cellwatch.signals.exposure import Basis, attribute, maker_units, model_units
from cellwatch.signals.report import REMEMBERED
from cellwatch.store.db import Database
from tests import factories as f
from tests.field import load_demo, snapshot

AS_OF = dt.date(2025, 12, 1)


def _registry() -> Registry:
    """acme PB-100 (cells by cellco, 1,000,000 units in two batches) and PB-200 (cells by
    othercells, recalled: 400,000 units in the recall's scope); 20 incidents."""
    incidents = []
    for i, (model, severity) in enumerate(
        [("PB-100", "fire")] * 4 + [("PB-100", "smoke")]
        + [("PB-200", "fire")] * 2 + [("PB-200", "smoke")] * 13
    ):
        incidents.append(f.incident(id=f"i{i:02d}", date="2025-06-01", brand="acme",
                                    model=model, severity=severity,
                                    batch="B1" if model == "PB-100" and i == 0 else None))
    return Registry(RegistryData(
        sources=(f.source(),),
        companies=(f.company(), f.company(id="cellco", name="CellCo", roles=["cell_maker"]),
                   f.company(id="othercells", name="Other Cells", roles=["cell_maker"])),
        products=(f.product(), f.product(model="PB-200")),
        batches=(f.batch(units=600_000, cell_maker="cellco"),
                 f.batch(batch="B2", units=400_000, cell_maker="cellco"),
                 f.batch(model="PB-200", batch="C1", cell_maker="othercells")),
        recalls=(f.recall(scope=[{"model": "PB-200", "units": 400_000}], units=400_000,
                          incidents=15),),
        incidents=tuple(incidents),
    ))


def test_exposure_denominators_say_what_they_are() -> None:
    registry = _registry()
    pb100 = registry.product("acme", "PB-100")
    pb200 = registry.product("acme", "PB-200")
    assert pb100 is not None and pb200 is not None
    assert model_units(registry, pb100).count == 1_000_000
    assert model_units(registry, pb100).basis is Basis.BATCH_UNITS
    assert model_units(registry, pb200).count == 400_000
    assert model_units(registry, pb200).basis is Basis.RECALL_SCOPE_UNITS
    assert maker_units(registry, "cellco").count == 1_000_000
    # othercells' only batch has no count, but it made every batch of PB-200
    assert maker_units(registry, "othercells").count == 400_000


def test_rates_per_million() -> None:
    report = signals(_registry(), as_of=AS_OF)
    model = {r.group: r for r in report.rates["model"]}
    assert model["acme/PB-100"].incidents == 5
    assert model["acme/PB-100"].per_million == pytest.approx(5.0)
    assert model["acme/PB-200"].per_million == pytest.approx(15 / 0.4)
    batch = {r.group: r for r in report.rates["batch"]}
    assert batch["acme/PB-100/B1"].per_million == pytest.approx(1 / 0.6)
    maker = {r.group: r for r in report.rates["cell_maker"]}
    assert maker["cellco"].per_million == pytest.approx(5.0)
    assert maker["othercells"].units.count == 400_000
    assert report.as_json()["rates"]["model"][0]["denominator"] in {"batch_units",
                                                                    "recall_scope_units"}
    (recall,) = report.recall_rates
    assert recall.per_million == pytest.approx(15 / 0.4)


def test_signals_and_the_inspection_list() -> None:
    report = signals(_registry(), as_of=AS_OF)
    flagged = {(m.group_kind, m.group, m.event.value) for m in report.signals}
    # cellco (= PB-100): 4 of 5 fire against 2 of 15 elsewhere → PRR 6, χ² 5.08, N 4;
    # the mirror table: othercells (= PB-200) 13 of 15 smoke against 1 of 5 → PRR 4.33
    assert flagged == {
        ("cell_maker", "cellco", "fire"), ("model", "acme/PB-100", "fire"),
        ("cell_maker", "othercells", "smoke"), ("model", "acme/PB-200", "smoke"),
    }
    scores = [(row.subject.id, row.score) for row in report.inspection]
    # PB-200: signal 3 + incidents 3 (capped) + recall incident rate 1 (37.5 per million)
    # + recall history 1; othercells: 3 + 3 + one recalled model 1; PB-100, cellco: 3 + 3
    assert scores == [("acme/PB-200", 8.0), ("othercells", 7.0), ("cellco", 6.0),
                      ("acme/PB-100", 6.0)]
    for row in report.inspection:
        assert row.score == sum(reason.points for reason in row.reasons)
        for reason in row.reasons:
            assert reason.text.en and reason.text.zh


def test_suspended_certificates_and_recall_history_raise_the_score() -> None:
    data = _registry().data
    suspended = RegistryData.from_kinds({
        **{kind: records for kind, records in data.items()},
        "certificates": (f.certificate(holder="cellco", product_kind="cell",
                                       number="2024010915000001"),),
        "certificate_status": (f.status_change(number="2024010915000001",
                                               date="2025-06-10"),),
    })
    report = signals(Registry(suspended), as_of=AS_OF)
    rows = {row.subject.id: row for row in report.inspection}
    cellco = {r.feature: r.points for r in rows["cellco"].reasons}
    assert cellco["certificate"] == 3.0
    pb100 = {r.feature: r.points for r in rows["acme/PB-100"].reasons}
    assert pb100["supplier_certificate"] == 2.0
    assert pb100["exposure_gap"] == 2.0  # not recalled although its cells are suspect
    pb200 = {r.feature: r.points for r in rows["acme/PB-200"].reasons}
    assert pb200["recall_history"] == 1.0 and "exposure_gap" not in pb200
    before = signals(_registry(), as_of=AS_OF)
    assert "certificate" not in {r.feature for row in before.inspection
                                 for r in row.reasons if row.subject.id == "cellco"}


def test_since_leaves_earlier_incidents_out() -> None:
    report = signals(_registry(), since=dt.date(2025, 7, 1), as_of=AS_OF)
    assert report.attributions == ()
    assert report.disproportionality == ()


def test_an_incident_without_a_device_is_counted_in_the_totals_only() -> None:
    registry = _registry()
    attribution = attribute(registry, f.incident(id="x", brand=None, model=None))
    assert attribution.model_id is None
    assert "totals only" in attribution.explain().en


def test_the_demo_incidents_appear(database: Database) -> None:
    registry = load_demo(database)
    report = signals(registry, as_of=AS_OF).as_json()
    ids = {item["id"] for item in report["incidents"]}
    assert {i.id for i in registry.data.incidents} == ids
    assert "hx115-2025-03-20" in ids
    brands = {rate["group"]: rate for rate in report["rates"]["brand"]}
    assert brands["romoss"]["incidents"] == 1
    assert brands["romoss"]["units"] >= 491_745
    rows = {row["id"]: row for row in report["inspection"]}
    assert rows["amprius-wuxi"]["score"] > 0
    assert snapshot(database).version == registry.version


def test_a_snapshot_remembers_its_last_reports() -> None:
    registry = _registry()
    first = remembered_signals(registry, as_of=AS_OF)
    assert remembered_signals(registry, as_of=AS_OF) is first
    assert first.as_json() == signals(registry, as_of=AS_OF).as_json()
    later = remembered_signals(registry, since=dt.date(2025, 7, 1), as_of=AS_OF)
    assert later is not first and len(later.attributions) < len(first.attributions)
    # a bounded memory: asking many other questions forgets the oldest
    for day in range(REMEMBERED):
        remembered_signals(registry, as_of=AS_OF + dt.timedelta(days=day + 1))
    assert remembered_signals(registry, as_of=AS_OF) is not first
    # another snapshot (a registry version) has its own
    assert remembered_signals(_registry(), as_of=AS_OF) is not first
