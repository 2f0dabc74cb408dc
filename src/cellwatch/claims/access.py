"""Whose claims a brand handles: those on recalls of its own company.

A recall belongs to the companies it names: its issuer and the brand of every scope entry
(under current or former ids, as for writes in :mod:`cellwatch.api.access`).
"""

from __future__ import annotations

from cellwatch.domain.registry import Registry


def recalls_of(registry: Registry, company: str) -> frozenset[str]:
    """The ids of every recall that names the company (issuer or a scope brand)."""
    own = registry.identities(company)
    return frozenset(
        recall.id for recall in registry.data.recalls
        if recall.issuer in own or any(recall.entry_brand(e) in own for e in recall.scope)
    )


def may_handle(registry: Registry, company: str | None, recall_id: str) -> bool:
    """Whether a handler bound to ``company`` (``None``: a regulator) handles the recall."""
    return company is None or recall_id in recalls_of(registry, company)
