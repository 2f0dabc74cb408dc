"""The model index's codes as rows: what ``identify`` finds for a code, by brand and
across the registry, and the screen identifying by them in SQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from cellwatch.check.identify import MatchedBy, identified
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.screen import ScreenOptions, facts, screen
from cellwatch.screen.flatten import model_codes
from tests import factories as f
from tests.screen.inventory import read_rows, write_csv


def _registry() -> Registry:
    """acme (formerly oldco) has PB-100 and, under its former id, PB-200; zeta has PB-100
    too and ZX-9: PB-100 is no code of one model only."""
    return Registry(RegistryData(
        sources=(f.source(),),
        companies=(
            f.company(),
            f.company(id="oldco", name="Old Co",
                      links=[{"type": "renamed_to", "to": f.BRAND, "since": "2023-01-05"}]),
            f.company(id="zeta", name="Zeta"),
        ),
        products=(
            f.product(), f.product(brand="oldco", model="PB-200"),
            f.product(brand="zeta", model="PB-100"), f.product(brand="zeta", model="ZX-9",
                                                             names=["Zeta Nine"]),
        ),
    ), 1)


def test_codes_by_brand_are_what_the_registry_finds() -> None:
    registry = _registry()
    codes = model_codes(registry)
    rows = list(zip(*codes.by_brand, strict=True))
    assert sorted((brand, code) for brand, code, _ in rows) == [
        ("acme", "PB100"), ("acme", "PB200"), ("zeta", "PB100"), ("zeta", "ZX9")]
    for brand, code, number in rows:
        assert codes.products[number] is registry.product(brand, code)
    assert codes.products[dict(((b, c), n) for b, c, n in rows)[("acme", "PB200")]].brand == "oldco"


def test_unique_codes_are_what_identify_finds_with_no_brand() -> None:
    registry = _registry()
    codes = model_codes(registry)
    unique = {code: (codes.products[n], company)
              for code, n, company in zip(*codes.unique, strict=True)}
    assert sorted(unique) == ["PB200", "ZX9"]  # PB-100 has two models
    for code, (product, company) in unique.items():
        found = identified(registry, None, code)
        assert (found.product, found.matched_by) == (product, MatchedBy.UNIQUE_CODE)
        assert found.company is not None and found.company.id == company
    assert unique["PB200"][1] == "acme"  # the current company of a former name's model


def test_the_screen_runs_identify_only_for_spellings_not_named_by_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spellings of a model's code (under its brand, a former name of it, or a code only
    one model has with no or an unknown brand) and of a model the registry knows nowhere
    are identified in SQL; the check's identification runs for the marketing name and the
    code two models have."""
    asked: list[tuple[str | None, str | None]] = []
    real = facts._Facts.identification

    def counted(self: Any, brand: str | None, model: str | None) -> Any:
        asked.append((brand, model))
        return real(self, brand, model)

    monkeypatch.setattr(facts._Facts, "identification", counted)
    rows = [
        ("Acme", "pb-100"), ("oldco", "PB 200"), ("", "ZX9"), ("Nobody", "pb200"),
        ("Zeta", "PB_100"), ("Acme", "PB200"),
        ("Zeta", "Zeta Nine"), ("", "PB-100"), ("Zeta", "QQ-1"),
    ]
    path = write_csv(tmp_path / "stock.csv", ("brand", "model"), rows)
    summary = screen(path, _registry(), ScreenOptions(date=dt.date(2025, 7, 1),
                                                      output=tmp_path / "out.csv"))
    assert summary.screened == len(rows)
    assert sorted(model for _, model in asked) == ["PB-100", "Zeta Nine"]
    resolved = [(r["resolved_brand"], r["resolved_model"], r["advisory_codes"])
                for r in read_rows(Path(summary.output))]
    assert resolved == [
        ("acme", "PB-100", None), ("acme", "PB-200", None), ("zeta", "ZX-9", None),
        ("acme", "PB-200", "brand_not_in_registry"), ("zeta", "PB-100", None),
        ("acme", "PB-200", None), ("zeta", "ZX-9", None), (None, None, "unknown_model"),
        ("zeta", None, "unknown_model"),
    ]
