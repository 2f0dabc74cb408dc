"""Bounded memories: what the registry, the rules and the check remember between calls.

A memory is a dict from plain values (or, where noted, a value's identity together with
the value, so that the identity is not reused while the entry lives) to what was built
from them. Each is cleared when it reaches its limit; nothing an answer says depends on
what was remembered.
"""

from __future__ import annotations

from typing import Any, TypeVar

V = TypeVar("V")

LIMIT = 1 << 16  # entries per memory (per snapshot for a snapshot's own memories)


def keep(table: dict[Any, Any], key: Any, value: V, limit: int = LIMIT) -> V:
    """Remember ``value`` under ``key`` in ``table``, clearing it first when full."""
    if len(table) >= limit:
        table.clear()
    table[key] = value
    return value
