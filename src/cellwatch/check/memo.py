"""Remembering what is built from values that are themselves remembered per snapshot.

The check's findings for a model (its identification, its certificates, its suppliers'
certificates) are remembered per registry snapshot, so the same finding *object* comes back
for every unit of that model. What the result shows of it is built once per object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ByIdentity(Generic[K, V]):
    """Outputs of findings that are themselves remembered per snapshot (identify,
    certificates): built once per finding object. Each entry holds its finding, so an id
    is never reused while its entry lives; at most ``limit`` entries are kept."""

    def __init__(self, build: Callable[[K], V], limit: int = 1 << 14) -> None:
        self._build = build
        self._limit = limit
        self._table: dict[int, tuple[K, V]] = {}

    def __call__(self, finding: K) -> V:
        hit = self._table.get(id(finding))
        if hit is not None and hit[0] is finding:
            return hit[1]
        built = self._build(finding)
        if len(self._table) >= self._limit:
            self._table.clear()
        self._table[id(finding)] = (finding, built)
        return built
