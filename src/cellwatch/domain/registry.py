"""The registry as plain values: every record of every kind, and an indexed snapshot.

:class:`RegistryData` is what a bundle holds and what the store reads and writes.
:class:`Registry` is an immutable, indexed view of it for fast answers (name resolution,
certificate status at a date) with no database query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, TypeVar

from cellwatch.domain.certificates import Certificate, CertificateStatus, StatusChange, status_at
from cellwatch.domain.companies import Company, LinkType
from cellwatch.domain.incidents import Incident
from cellwatch.domain.names import fold_name, model_key
from cellwatch.domain.products import Batch, CellLot, ProductModel
from cellwatch.domain.recalls import Recall
from cellwatch.domain.records import Record
from cellwatch.domain.sources import Source
from cellwatch.memo import keep


@dataclass(frozen=True)
class RegistryData:
    """Every record of the registry, by kind. The order of the fields is the load order."""

    sources: tuple[Source, ...] = ()
    companies: tuple[Company, ...] = ()
    products: tuple[ProductModel, ...] = ()
    cell_lots: tuple[CellLot, ...] = ()
    batches: tuple[Batch, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    certificate_status: tuple[StatusChange, ...] = ()
    recalls: tuple[Recall, ...] = ()
    incidents: tuple[Incident, ...] = ()

    @classmethod
    def from_kinds(cls, records: Mapping[str, Iterable[Record]]) -> RegistryData:
        """Build from a mapping of kind name to records of that kind."""
        unknown = set(records) - set(cls.kinds())
        if unknown:
            raise ValueError(f"unknown record kinds: {sorted(unknown)}")
        values: dict[str, Any] = {kind: tuple(items) for kind, items in records.items()}
        return cls(**values)

    @classmethod
    def kinds(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def of_kind(self, kind: str) -> tuple[Record, ...]:
        records: tuple[Record, ...] = getattr(self, kind)
        return records

    def items(self) -> Iterator[tuple[str, tuple[Record, ...]]]:
        for kind in self.kinds():
            yield kind, self.of_kind(kind)

    def counts(self) -> dict[str, int]:
        return {kind: len(records) for kind, records in self.items()}

    def sorted(self) -> RegistryData:
        """The same records in key order, as export writes them."""
        return RegistryData.from_kinds(
            {kind: sorted(records, key=_sort_key) for kind, records in self.items()}
        )

    def __len__(self) -> int:
        return sum(self.counts().values())


@dataclass
class ReferenceKeys:
    """The keys that references may point at (the store reads just these, not records)."""

    sources: set[str] = field(default_factory=set)
    companies: set[str] = field(default_factory=set)
    products: set[tuple[str, str]] = field(default_factory=set)  # (brand, model key)
    cell_lots: dict[str, str] = field(default_factory=dict)  # lot → cell maker
    certificates: set[str] = field(default_factory=set)

    def add(self, data: RegistryData) -> None:
        self.sources.update(s.id for s in data.sources)
        self.companies.update(c.id for c in data.companies)
        self.products.update((p.brand, model_key(p.model)) for p in data.products)
        self.cell_lots.update({lot.lot: lot.cell_maker for lot in data.cell_lots})
        self.certificates.update(c.number for c in data.certificates)



def _sort_key(record: Record) -> tuple[str, ...]:
    return record.key


D = TypeVar("D")
_MISSING = object()  # remembered look-ups per snapshot, before the memory is cleared


@dataclass(frozen=True, eq=False)
class Registry:
    """An immutable, indexed snapshot of the registry at one version.

    Indexes are built on first use. Other parts of the core keep their own indexes of the
    same snapshot through :meth:`derived`, so nothing is built twice.
    """

    data: RegistryData
    version: int = 0

    def remember(self, owner: Callable[..., D], key: Hashable, compute: Callable[[], D]) -> D:
        """``compute()``, remembered for this snapshot under ``owner`` and ``key``.

        For pure look-ups that recur (the same model checked again and again at a
        checkpoint); each owner keeps at most :data:`cellwatch.memo.LIMIT` answers.
        """
        table = self.memory(owner)
        found = table.get(key, _MISSING)
        if found is _MISSING:
            found = keep(table, key, compute())
        value: D = found
        return value

    def memory(self, owner: Callable[..., Any]) -> dict[Hashable, Any]:
        """The table in which ``owner`` remembers its answers for this snapshot, for a hot
        path that looks up before it computes (fill it with :func:`cellwatch.memo.keep`)."""
        table = self._remembered.get(owner)
        if table is None:
            table = self._remembered.setdefault(owner, {})
        return table

    @cached_property
    def _remembered(self) -> dict[Callable[..., Any], dict[Hashable, Any]]:
        return {}

    def derived(self, build: Callable[[Registry], D]) -> D:
        """The value ``build(self)``, computed once per snapshot."""
        cache = self._derived
        value: D = cache.get(build, _MISSING)
        if value is _MISSING:
            value = cache[build] = build(self)
        return value

    @cached_property
    def _derived(self) -> dict[Callable[[Registry], Any], Any]:
        return {}

    @cached_property
    def companies(self) -> dict[str, Company]:
        return {c.id: c for c in self.data.companies}

    @cached_property
    def _successor(self) -> dict[str, str]:
        return {
            c.id: link.to
            for c in self.data.companies
            for link in c.links
            if link.type is LinkType.RENAMED_TO
        }

    def _follow(self, company_id: str) -> str:
        seen = {company_id}
        while company_id in self._successor:
            company_id = self._successor[company_id]
            if company_id in seen:  # a cycle in the data; stop where it closes
                break
            seen.add(company_id)
        return company_id

    @cached_property
    def _current(self) -> dict[str, str]:
        return {company_id: self._follow(company_id) for company_id in self._successor}

    def current_id(self, company_id: str) -> str:
        """Follow ``renamed_to`` links to the company's current identity."""
        return self._current.get(company_id, company_id)

    @cached_property
    def _identities(self) -> dict[str, frozenset[str]]:
        former: dict[str, set[str]] = defaultdict(set)
        for company_id, current in self._current.items():
            if current != company_id:
                former[current].add(company_id)
        return {k: frozenset({k, *v}) for k, v in former.items()}

    def identities(self, company_id: str) -> frozenset[str]:
        """The company's current id and every former id that was renamed to it."""
        current = self.current_id(company_id)
        found = self._identities.get(current)
        return found if found is not None else frozenset((current,))

    @cached_property
    def _name_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        # canonical names win over aliases when two companies share a folded name
        for company in self.data.companies:
            for name in (company.id, *company.all_names()):
                index.setdefault(fold_name(name), self.current_id(company.id))
        return index

    @cached_property
    def _resolved(self) -> dict[str, str | None]:
        return {}

    def resolve_company(self, name: str) -> Company | None:
        """Find a company by any id, name, Chinese name, alias or former name."""
        resolved = self._resolved
        if name not in resolved:
            keep(resolved, name, self._name_index.get(fold_name(name)))
        company_id = resolved[name]
        return self.companies.get(company_id) if company_id else None

    @cached_property
    def products(self) -> dict[tuple[str, str], ProductModel]:
        return {p.key: p for p in self.data.products}  # type: ignore[misc]

    def product(self, brand_id: str, model: str) -> ProductModel | None:
        """The brand's model by code, under the brand's current or any former id."""
        key = model_key(model)
        products = self.products
        current = self.current_id(brand_id)
        former = self._identities.get(current)
        if former is None:  # the usual brand: no former names, one look-up
            return products.get((current, key))
        for identity in former:
            found = products.get((identity, key))
            if found is not None:
                return found
        return None

    @cached_property
    def certificates(self) -> dict[str, Certificate]:
        return {c.number: c for c in self.data.certificates}

    @cached_property
    def status_changes(self) -> dict[str, tuple[StatusChange, ...]]:
        changes: dict[str, list[StatusChange]] = defaultdict(list)
        for change in self.data.certificate_status:
            changes[change.number].append(change)
        return {number: tuple(items) for number, items in changes.items()}

    def certificate_status(self, number: str, date: dt.date) -> CertificateStatus | None:
        certificate = self.certificates[number]
        return status_at(certificate, self.status_changes.get(number, ()), date)

    @cached_property
    def _certificates_by_holder(self) -> dict[str, tuple[Certificate, ...]]:
        held: dict[str, list[Certificate]] = defaultdict(list)
        for certificate in self.data.certificates:
            held[certificate.holder].append(certificate)
        return {holder: tuple(items) for holder, items in held.items()}

    def certificates_of(self, company_id: str) -> Sequence[Certificate]:
        """Certificates the company holds, including those held under a former name."""
        return [
            certificate
            for identity in sorted(self.identities(company_id))
            for certificate in self._certificates_by_holder.get(identity, ())
        ]

    @cached_property
    def sources(self) -> dict[str, Source]:
        return {source.id: source for source in self.data.sources}

    def source_records(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """The cited sources, each once, as plain values (unknown ids left out)."""
        by_id = self.sources
        return [by_id[i].canonical() for i in dict.fromkeys(ids) if i in by_id]

    @cached_property
    def cell_lots(self) -> dict[str, CellLot]:
        return {lot.lot: lot for lot in self.data.cell_lots}

    @cached_property
    def recalls(self) -> dict[str, Recall]:
        return {r.id: r for r in self.data.recalls}
