"""CPSC import against a stored registry, on every backend.

The fixtures in ``fixtures/`` are in the recalls API's format and were written for these
tests: most follow published CPSC notices; ``26050`` (VoltGo) and ``26099`` (Anker A1999)
are invented, and the revision of ``26116`` is too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cellwatch.domain.recalls import Recall
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.errors import ImportRejected
from cellwatch.imports.cpsc import Action, CpscPlan, plan_cpsc, read_cpsc
from cellwatch.imports.plan import write_plan
from cellwatch.ingest import demo_bundle, load_bundle
from cellwatch.snapshot import Snapshots
from cellwatch.store import registry_store
from cellwatch.store.db import Database
from tests.imports.conftest import stored

FIXTURES = Path(__file__).parent / "fixtures"


def _import(database: Database, path: Path, *, dry_run: bool = False) -> CpscPlan:
    raw, problems = read_cpsc(path)
    assert not problems
    return write_plan(database, Snapshots(database).current,
                      lambda registry: plan_cpsc(registry, raw, path.name), "test",
                      dry_run=dry_run).plan


def _actions(plan: CpscPlan) -> dict[str, Action]:
    return {o.recall_number: o.action for o in plan.outcomes}


def test_import_into_an_empty_registry(database: Database) -> None:
    plan = _import(database, FIXTURES / "cpsc_recalls.json")
    assert plan.records == 9 and len(plan.skipped) == 2
    assert set(_actions(plan).values()) == {Action.NEW}
    registry = stored(database)
    a1263 = registry.recalls["us-cpsc-25351"]
    assert (a1263.issuer, a1263.authority, a1263.market, str(a1263.announced)) == (
        "anker", "CPSC", "US", "2025-06-12")
    assert (a1263.units, a1263.units_approximate, a1263.incidents, a1263.injuries) == (
        1_158_000, True, 19, 2)
    assert [(str(w.from_), str(w.to)) for w in a1263.sold] == [("2016-06", "2022-12")]
    assert a1263.scope[0].model == "A1263" and a1263.scope[0].unconstrained
    assert (a1263.scope[0].note or "").startswith("model-wide as far as cellwatch can tell")
    source = next(s for s in registry.data.sources if s.id == "cpsc-25351")
    assert source.url.startswith("https://www.cpsc.gov/Recalls/2025/More-than-One-Million")
    assert str(source.published) == "2025-06-12" and a1263.sources == ("cpsc-25351",)
    iniu = registry.recalls["us-cpsc-26116"]
    assert iniu.scope[0].serial_patterns == ("*000G21*", "*000H21*", "*000I21*", "*000L21*")
    assert "extracted from the CPSC description; confirm" in (iniu.scope[0].note or "")
    company = registry.companies["iniu"]
    assert (company.name, company.aliases, company.country) == (
        "Shenzhen Topmore Technology Co., Ltd.", ("INIU",), "CN")
    belkin = registry.companies["belkin"]
    assert belkin.country is None  # created from the importer: no manufacturer country
    assert registry.recalls["us-cpsc-25065"].scope[0].serial_patterns == ("57V???????????",)
    voltgo = registry.recalls["us-cpsc-26050"]
    assert voltgo.issuer == "voltgo" and [e.batches for e in voltgo.scope] == [
        ("2403A", "2404B", "2405C")] * 2
    assert registry.product("voltgo", "VG-M10") is not None
    assert registry.recalls["us-cpsc-26099"].issuer == "anker"  # the firm created above
    assert "us-cpsc-25300" not in registry.recalls and "us-cpsc-25301" not in registry.recalls


def test_reimport_changes_nothing(database: Database) -> None:
    _import(database, FIXTURES / "cpsc_recalls.json")
    version = stored(database).version
    again = _import(database, FIXTURES / "cpsc_recalls.json")
    assert set(_actions(again).values()) == {Action.UNCHANGED}
    assert len(again.data) == 0 and stored(database).version == version


def test_newer_notice_becomes_a_revision_never_a_duplicate(database: Database) -> None:
    _import(database, FIXTURES / "cpsc_recalls.json")
    before = stored(database)
    plan = _import(database, FIXTURES / "cpsc_revised.json")
    assert _actions(plan) == {"26116": Action.REVISED, "25351": Action.UNCHANGED}
    registry = stored(database)
    assert len(registry.data.recalls) == len(before.data.recalls)
    iniu: Recall = registry.recalls["us-cpsc-26116"]
    assert [e.model for e in iniu.scope] == ["BI-B41", "BI-B42"]
    assert "*000J21*" in iniu.scope[0].serial_patterns
    assert iniu.units == 225_000
    (revision,) = iniu.revisions
    assert str(revision.date) == "2026-01-15" and revision.sources == ("cpsc-26116-2026-01-15",)
    assert "units 210,000 → 225,000" in revision.summary.en
    assert "models added: BI-B42" in revision.summary.en and revision.summary.zh
    assert iniu.sources == ("cpsc-26116", "cpsc-26116-2026-01-15")
    assert registry.product("iniu", "BI-B42") is not None
    version = registry.version
    assert set(_actions(_import(database, FIXTURES / "cpsc_revised.json")).values()) == {
        Action.UNCHANGED}
    older = _import(database, FIXTURES / "cpsc_recalls.json")
    assert _actions(older)["26116"] is Action.OLDER
    assert stored(database).version == version


def test_confirmed_scope_survives_a_revision(database: Database) -> None:
    _import(database, FIXTURES / "cpsc_recalls.json")
    registry = stored(database)
    iniu = registry.recalls["us-cpsc-26116"]
    confirmed = iniu.scope[0].model_copy(update={"note": "confirmed with INIU", "units": 1})
    with database.unit_of_work("test") as uow:
        registry_store.apply(uow, RegistryData(
            recalls=(iniu.model_copy(update={"scope": (confirmed,)}),)))
    _import(database, FIXTURES / "cpsc_revised.json")
    revised = stored(database).recalls["us-cpsc-26116"]
    assert revised.scope[0].note == "confirmed with INIU" and revised.scope[0].units == 1
    assert "extracted" in (revised.scope[1].note or "")  # BI-B42: new, still to confirm


def test_same_notice_record_twice_in_one_file(database: Database, tmp_path: Path) -> None:
    both = tmp_path / "both.json"
    first = json.loads((FIXTURES / "cpsc_recalls.json").read_text(encoding="utf-8"))
    second = json.loads((FIXTURES / "cpsc_revised.json").read_text(encoding="utf-8"))
    both.write_text(json.dumps([second[0], *first]), encoding="utf-8")
    plan = _import(database, both)
    assert [o.action for o in plan.outcomes if o.recall_number == "26116"] == [
        Action.NEW, Action.REVISED]
    assert len(stored(database).recalls["us-cpsc-26116"].revisions) == 1


def test_demo_registry_firms_resolve_and_known_notices_are_not_duplicated(
    database: Database,
) -> None:
    load_bundle(database, demo_bundle(), "test")
    before = stored(database)
    plan = _import(database, FIXTURES / "cpsc_recalls.json")
    outcomes = {o.recall_number: o for o in plan.outcomes}
    assert outcomes["25351"].action is Action.KNOWN  # cites the same notice URL
    assert outcomes["25351"].recall_id == "us-cpsc-anker-a1263-2025-06"
    assert outcomes["23136"].recall_id == "us-cpsc-anker-a1366-2023-03"  # same firm, model, day
    assert outcomes["26116"].recall_id == "us-cpsc-iniu-bi-b41-2025-12"  # a day apart
    assert outcomes["26099"].action is Action.NEW
    registry = stored(database)
    assert registry.recalls["us-cpsc-26099"].issuer == "anker"  # "Anker Innovations Limited"
    assert [c.id for c in plan.data.companies] == ["voltgo"]
    assert len(registry.data.recalls) == len(before.data.recalls) + 2
    assert registry.recalls["us-cpsc-anker-a1263-2025-06"] == before.recalls[
        "us-cpsc-anker-a1263-2025-06"]


def test_dry_run_changes_nothing(database: Database) -> None:
    version = stored(database).version
    plan = _import(database, FIXTURES / "cpsc_recalls.json", dry_run=True)
    assert len(plan.outcomes) == 7
    registry = stored(database)
    assert registry.version == version and not registry.data.recalls


def test_bad_records_reject_the_file(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    shutil.copy(FIXTURES / "cpsc_recalls.json", path)
    text = path.read_text(encoding="utf-8").replace('"2025-12-04T00:00:00"', '"04/12/2025"', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        _import(database, path)
    (issue,) = caught.value.issues
    assert issue.location == "record 2 (RecallNumber=26116)" and issue.field == "RecallDate"
    assert not stored(database).data.recalls
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    assert read_cpsc(broken)[1][0].location == "line 1"


def test_plan_is_pure_and_reports_firms() -> None:
    raw, _ = read_cpsc(FIXTURES / "cpsc_recalls.json")
    plan = plan_cpsc(Registry(RegistryData()), raw, "cpsc_recalls.json")
    value = plan.as_json()
    assert value["kept"] == 7 and value["skipped"] == 2
    iniu = next(r for r in value["recalls"] if r["recall_number"] == "26116")
    assert iniu["firms"] == [{"role": "manufacturer", "name": "Shenzhen Topmore Technology Co., Ltd.",
                              "company": "iniu"}]
    assert iniu["scope"][0]["extracted"] is True
