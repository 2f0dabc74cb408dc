"""Firm names in imported files → company ids, creating the companies an import needs.

Names are resolved by the registry's own alias resolution
(:meth:`~cellwatch.domain.registry.Registry.resolve_company`: any name, Chinese name,
alias or former name; case, punctuation and legal form ignored). A company created by one
import is found again by later rows of the same import under any of its names.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from cellwatch.domain.companies import Company, Role
from cellwatch.domain.names import fold_name
from cellwatch.domain.registry import Registry

_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z0-9]+")
_LEGAL = frozenset({"co", "ltd", "limited", "inc", "llc", "corp", "corporation", "company",
                    "gmbh", "plc", "sa", "ag", "bv", "kk"})
_MAX_SLUG = 48


def slug_for(name: str, fallback: str = "company") -> str:
    """An id for a name: ``Shenzhen Baseus Technology Co., Ltd.`` →
    ``shenzhen-baseus-technology``; a name without Latin letters or digits gets a short
    hash (``company-1a2b3c4d``)."""
    words = _WORD.findall(unicodedata.normalize("NFKC", name).casefold())
    while words and words[-1] in _LEGAL:
        words.pop()
    slug = "-".join(words)[:_MAX_SLUG].strip("-")
    if not slug:
        slug = f"{fallback}-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return slug


class Companies:
    """Resolve names against a snapshot; create (once) the companies that are missing."""

    def __init__(self, registry: Registry, source: str) -> None:
        self._registry = registry
        self._source = source
        self._made: dict[str, Company] = {}  # folded name → created company
        self.created: list[Company] = []

    def resolve(self, name: str) -> str | None:
        """The current id of the company known by ``name``, or ``None``."""
        found = self._registry.resolve_company(name)
        if found is not None:
            return found.id
        made = self._made.get(fold_name(name))
        return made.id if made else None

    def create(
        self, name: str, *, role: Role, country: str | None = None,
        aliases: Iterable[str] = (), source: str | None = None,
    ) -> str:
        """Resolve ``name`` (or an alias); else create a company citing ``source`` (by
        default the import's source)."""
        aliases = tuple(aliases)
        for known in (name, *aliases):
            found = self.resolve(known)
            if found is not None:
                return found
        company_id = self._free_id(slug_for(next((a for a in aliases if a), name)))
        extra = [a for a in dict.fromkeys(aliases) if fold_name(a) != fold_name(name)]
        company = Company.model_validate({
            "id": company_id,
            "name": name,
            "names": {"zh": name} if _CJK.search(name) else {},
            "aliases": extra,
            "roles": [role],
            "country": country,
            "sources": [source or self._source],
        })
        for known in (name, *extra):
            self._made[fold_name(known)] = company
        self.created.append(company)
        return company_id

    def _free_id(self, slug: str) -> str:
        taken = {c.id for c in self.created}
        candidate, n = slug, 1
        while candidate in self._registry.companies or candidate in taken:
            n += 1
            candidate = f"{slug}-{n}"
        return candidate
