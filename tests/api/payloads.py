"""Request bodies for write tests: valid records on the demo registry, fields overridable."""

from __future__ import annotations

from typing import Any

SOURCE = "gmw-1304061709"  # a source of the demo registry


def source(**fields: Any) -> dict[str, Any]:
    return {"id": "anker-notice-2026", "title": "Anker recall notice",
            "url": "https://anker.example/recall"} | fields


def recall(**fields: Any) -> dict[str, Any]:
    return {
        "id": "anker-2026-01", "issuer": "anker", "authority": "SAMR", "market": "CN",
        "announced": "2026-01-10", "title": {"en": "Anker recalls A1263", "zh": "安克召回"},
        "scope": [{"model": "A1263", "batches": ["X1"]}], "sources": [SOURCE],
    } | fields


def product(**fields: Any) -> dict[str, Any]:
    return {"brand": "anker", "model": "A9999", "kind": "power_bank",
            "capacity_mah": 20000, "sources": [SOURCE]} | fields


def batch(**fields: Any) -> dict[str, Any]:
    return {"brand": "anker", "model": "A1263", "batch": "X1", "units": 100,
            "sources": [SOURCE]} | fields


def company(**fields: Any) -> dict[str, Any]:
    return {"id": "newco", "name": "New Co", "roles": ["brand"], "country": "CN",
            "sources": [SOURCE]} | fields


def certificate(**fields: Any) -> dict[str, Any]:
    return {"number": "2025010914999999", "scheme": "CCC", "holder": "anker",
            "product_kind": "power_bank", "models": ["A1263"], "sources": [SOURCE]} | fields


def incident(**fields: Any) -> dict[str, Any]:
    return {"id": "fire-2026-01", "date": "2026-01", "mode": "rail", "brand": "anker",
            "severity": "smoke", "sources": [SOURCE]} | fields
