"""Impact analysis on a small graph with a rename, a contract factory and every route kind.

    oldcell ──renamed_to──► newcell (New Cell) ◄──contract_manufacturer_for── factory-x
    newcell ──subsidiary_of──► holdco;  subco ──subsidiary_of──► newcell

    L-NEW  newcell, made at factory-x   → acme PB-100 B1 (recalled), B2 (window partly inside)
    L-OLD  oldcell (the former name)    → acme PB-200 C1 (not recalled)
    L-FX   factory-x as cell maker      → bolt BX-1 D1 (recalled by batch code)
    —      newcell, no lot              → bolt BX-1 D2 (not recalled)
    L-FOR  othermaker, made at newcell  → bolt BX-2 E1 (serial rule: undecided)
    L-OTH  othermaker                   → acme PB-300 Z1 (not reached)
    L-SUB  subco                        → bolt BX-3 S1 (not reached: subsidiaries are not walked)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.errors import CertificateNotFound, CompanyNotFound, InputError, RecordNotFound
from cellwatch.impact import Exposure, ImpactReport, impact
from tests import factories as f

AS_OF = dt.date(2025, 7, 1)


def _graph() -> RegistryData:
    companies = (
        f.company(id="acme", name="Acme", names={"zh": "爱克米"}, roles=["brand"]),
        f.company(id="bolt", name="Bolt Power", aliases=["Bolt"], roles=["brand"]),
        f.company(id="oldcell", name="Old Cell Co", roles=["cell_maker"],
                  links=[{"type": "renamed_to", "to": "newcell", "since": "2023-01"}]),
        f.company(id="newcell", name="New Cell", names={"zh": "新电芯"},
                  aliases=["New Cell Power Co"], roles=["cell_maker"],
                  links=[{"type": "subsidiary_of", "to": "holdco"}]),
        f.company(id="factory-x", name="Factory X", roles=["cell_factory"],
                  links=[{"type": "contract_manufacturer_for", "to": "newcell"}]),
        f.company(id="othermaker", name="Other Maker", roles=["cell_maker"]),
        f.company(id="holdco", name="Hold Co", roles=["holding"]),
        f.company(id="subco", name="Sub Co", roles=["cell_maker"],
                  links=[{"type": "subsidiary_of", "to": "newcell"}]),
    )
    products = tuple(f.product(brand=b, model=m) for b, m in (
        ("acme", "PB-100"), ("acme", "PB-200"), ("acme", "PB-300"),
        ("bolt", "BX-1"), ("bolt", "BX-2"), ("bolt", "BX-3"),
    ))
    lots = (
        f.cell_lot(lot="L-NEW", cell_maker="newcell", factory="factory-x"),
        f.cell_lot(lot="L-OLD", cell_maker="oldcell"),
        f.cell_lot(lot="L-FX", cell_maker="factory-x"),
        f.cell_lot(lot="L-FOR", cell_maker="othermaker", factory="newcell"),
        f.cell_lot(lot="L-OTH", cell_maker="othermaker"),
        f.cell_lot(lot="L-SUB", cell_maker="subco"),
    )
    batches = (
        f.batch(brand="acme", model="PB-100", batch="B1", cell_lot="L-NEW", units=1000,
                produced_from="2024-01-01", produced_to="2024-01-31"),
        f.batch(brand="acme", model="PB-100", batch="B2", cell_lot="L-NEW",
                produced_from="2024-03-01", produced_to="2024-04-30"),
        f.batch(brand="acme", model="PB-200", batch="C1", cell_lot="L-OLD", units=500),
        f.batch(brand="bolt", model="BX-1", batch="D1", cell_lot="L-FX", units=200),
        f.batch(brand="bolt", model="BX-1", batch="D2", cell_maker="newcell", units=300),
        f.batch(brand="bolt", model="BX-2", batch="E1", cell_lot="L-FOR", units=50),
        f.batch(brand="acme", model="PB-300", batch="Z1", cell_lot="L-OTH", units=7),
        f.batch(brand="bolt", model="BX-3", batch="S1", cell_lot="L-SUB", units=9),
    )
    certificates = (
        f.certificate(number="2023010915000001", holder="newcell", product_kind="cell",
                      factory="factory-x"),
        f.certificate(number="2022010915000002", holder="oldcell", product_kind="cell"),
        f.certificate(number="2024010914000001", holder="acme", models=["PB-300"]),
    )
    statuses = (
        f.status_change(number="2023010915000001", status="suspended", date="2025-06-10"),
        f.status_change(number="2022010915000002", status="revoked", date="2025-06-12"),
    )
    recalls = (
        f.recall(id="acme-2024", issuer="acme", announced="2024-06-01", scope=[
            {"model": "PB-100", "produced": [{"from": "2024-01-01", "to": "2024-03-15"}]}]),
        f.recall(id="bolt-2025", issuer="bolt", announced="2025-03-01",
                 scope=[{"model": "BX-1", "batches": ["D1"]}]),
        f.recall(id="bolt-serial", issuer="bolt", announced="2025-03-01",
                 scope=[{"model": "BX-2", "serial_patterns": ["X*"]}]),
    )
    return RegistryData(
        sources=(f.source(),), companies=companies, products=products, cell_lots=lots,
        batches=batches, certificates=certificates, certificate_status=statuses,
        recalls=recalls,
    )


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry(_graph(), 7)


def _batches(report: ImpactReport) -> dict[str, Any]:
    return {b.batch: b for m in report.models for b in m.batches}


def _path(report: ImpactReport, batch: str, lang: str = "en") -> list[str]:
    return [step.text.get(lang) for step in _batches(report)[batch].path]


def test_walk_reaches_every_route_with_exact_paths(registry: Registry) -> None:
    report = impact(registry, company="Old Cell Co", date=AS_OF)
    assert set(_batches(report)) == {"B1", "B2", "C1", "D1", "D2", "E1"}
    start = "Old Cell Co, renamed to New Cell"
    assert _path(report, "B1") == [start, "cell lot L-NEW, made at Factory X", "Acme PB-100 batch B1"]
    assert _path(report, "C1") == [
        start, "Old Cell Co (the former name of New Cell)", "cell lot L-OLD", "Acme PB-200 batch C1"
    ]
    assert _path(report, "D1") == [
        start, "Factory X, contract manufacturer for New Cell", "cell lot L-FX", "Bolt BX-1 batch D1"
    ]
    assert _path(report, "D2") == [start, "Bolt BX-1 batch D2"]
    assert _path(report, "E1") == [
        start, "cell lot L-FOR of Other Maker, made at New Cell", "Bolt BX-2 batch E1"
    ]
    assert _path(report, "B1", "zh") == [
        "Old Cell Co（已更名为 新电芯）", "电芯批次 L-NEW（由 Factory X 生产）", "爱克米 PB-100 批次 B1"
    ]
    assert [s.kind for s in _batches(report)["D1"].path] == [
        "company", "contract_factory", "cell_lot", "batch"
    ]
    assert report.start.identities == ("newcell", "oldcell")
    assert report.start.contract_factories == ("factory-x",)
    assert {(r.company, r.relation) for r in report.related} == {
        ("holdco", "parent"), ("subco", "subsidiary")
    }


def test_exposure_gap_recalled_undecided_not_recalled(registry: Registry) -> None:
    report = impact(registry, company="new cell power co., ltd.", date=AS_OF)
    found = _batches(report)
    assert {k: b.exposure for k, b in found.items()} == {
        "B1": Exposure.RECALLED, "B2": Exposure.UNDECIDED, "C1": Exposure.NOT_RECALLED,
        "D1": Exposure.RECALLED, "D2": Exposure.NOT_RECALLED, "E1": Exposure.UNDECIDED,
    }
    assert [(h.id, h.outcome, h.missing) for h in found["B2"].recalls] == [
        ("acme-2024", "undecided", ("produced",))
    ]
    assert [(h.id, h.missing) for h in found["E1"].recalls] == [("bolt-serial", ("serial",))]
    assert [(m.brand, m.model) for m in report.models] == [
        ("acme", "PB-200"), ("bolt", "BX-1"), ("acme", "PB-100"), ("bolt", "BX-2")
    ]
    pb100 = next(m for m in report.models if m.model == "PB-100")
    assert (pb100.exposed.units.known, pb100.exposed.units.unknown_batches) == (1000, 1)
    assert pb100.recalled_by == ("acme-2024",)
    totals = report.totals
    assert (totals.brands, totals.models, totals.exposed.batches) == (2, 4, 6)
    assert (totals.exposed.units.known, totals.exposed.units.unknown_batches) == (2050, 1)
    assert (totals.recalled.batches, totals.undecided.batches, totals.not_recalled.batches) == (
        2, 2, 2)
    assert totals.not_recalled.units.known == 800
    assert "800 units" in report.headline.en and "尚未召回2个（800件）" in report.headline.zh


def test_recalls_count_only_once_announced(registry: Registry) -> None:
    before = impact(registry, company="newcell", date=dt.date(2025, 2, 1))
    assert _batches(before)["D1"].exposure is Exposure.NOT_RECALLED


def test_certificate_state_at_the_date(registry: Registry) -> None:
    state = impact(registry, company="newcell", date=AS_OF).certificates
    assert {(c.number, c.status) for c in state.certificates if c.product_kind == "cell"} == {
        ("2023010915000001", "suspended"), ("2022010915000002", "revoked")
    }
    assert state.cell_certificates_invalid and state.suspended_since == dt.date(2025, 6, 10)
    early = impact(registry, company="newcell", date=dt.date(2025, 1, 1)).certificates
    assert not early.cell_certificates_invalid and early.suspended_since is None


def test_what_if_treats_the_start_as_suspended(registry: Registry) -> None:
    report = impact(registry, company="New Cell", date=dt.date(2025, 5, 1),
                    what_if_suspended_from=dt.date(2024, 2, 1))
    state = report.certificates
    assert all(c.status == "suspended" and c.what_if for c in state.certificates
               if c.product_kind == "cell")
    assert state.suspended_since == dt.date(2024, 2, 1) and state.cell_certificates_invalid
    found = _batches(report)
    assert (found["B1"].made_after_suspension, found["B2"].made_after_suspension) == (False, True)
    assert found["C1"].made_after_suspension is None
    assert report.totals.made_after_suspension == 1
    assert "What-if" in report.headline.en and "假设分析" in report.headline.zh
    assert found["D1"].exposure is Exposure.RECALLED  # recalls still judged as of the date


def test_from_a_cell_lot_and_from_certificates(registry: Registry) -> None:
    lot = impact(registry, cell_lot="L-NEW", date=AS_OF)
    assert set(_batches(lot)) == {"B1", "B2"} and lot.start.company == "newcell"
    assert _path(lot, "B1")[0] == "cell lot L-NEW of New Cell, made at Factory X"
    cells = impact(registry, certificate="2023010915000001", date=AS_OF)
    assert set(_batches(cells)) == {"B1", "B2", "C1", "D1", "D2", "E1"}
    assert _path(cells, "B1")[0] == "certificate 2023010915000001 held by New Cell (suspended)"
    packs = impact(registry, certificate="2024010914000001", date=AS_OF)
    assert set(_batches(packs)) == {"Z1"}
    assert _path(packs, "Z1") == [
        "certificate 2024010914000001 held by Acme (valid)", "covers Acme PB-300",
        "Acme PB-300 batch Z1",
    ]


def test_subsidiaries_are_not_walked(registry: Registry) -> None:
    report = impact(registry, company="holdco", date=AS_OF)
    assert report.totals.exposed.batches == 0
    assert [(r.company, r.relation) for r in report.related] == [("newcell", "subsidiary")]


def test_unknown_starts(registry: Registry) -> None:
    with pytest.raises(CompanyNotFound):
        impact(registry, company="nobody", date=AS_OF)
    with pytest.raises(RecordNotFound):
        impact(registry, cell_lot="nope", date=AS_OF)
    with pytest.raises(CertificateNotFound):
        impact(registry, certificate="2099010915999999", date=AS_OF)
    with pytest.raises(InputError):
        impact(registry, company="newcell", cell_lot="L-NEW", date=AS_OF)


def test_json_is_plain_and_complete(registry: Registry) -> None:
    value = impact(registry, company="newcell", date=AS_OF).as_json()
    assert value["date"] == "2025-07-01" and value["registry_version"] == 7
    batch = value["models"][0]["batches"][0]
    assert set(batch) >= {"batch", "exposure", "recalls", "path", "units"}
    assert batch["path"][0]["text"] == {"en": "New Cell", "zh": "新电芯"}
    assert value["totals"]["exposed"]["units"] == {"known": 2050, "unknown_batches": 1}
