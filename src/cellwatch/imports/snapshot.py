"""Certificate snapshots: what a certification body's list says, against the registry.

For each row of a snapshot (:mod:`cellwatch.imports.snapshot_csv`):

- a number the registry does not know → a new certificate record, and a status change at
  the status date when the status there is not what the record alone implies (a new
  certificate listed as 暂停 gets ``suspended`` from that date);
- a known number → a status change dated the status date, only when the registry's status
  at that date differs (re-importing the same snapshot therefore changes nothing);
- the holder (and factory) are resolved by alias resolution; an unknown holder of a *new*
  certificate is an error unless companies may be created; for a known certificate the
  registry already knows the holder, so a differing or unknown name is only noted;
- models a new power-bank certificate lists that the registry lacks are created.

Every record cites one source for the file: id ``certificate-snapshot-<file>-<date>`` (the
latest status date), title "Certificate snapshot FILE", URL ``file:FILE`` unless one is
given. Pure: a snapshot and a registry in, an :class:`SnapshotPlan` out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cellwatch.domain.certificates import Certificate, StatusChange, status_at
from cellwatch.domain.companies import Role
from cellwatch.domain.products import ProductKind, ProductModel
from cellwatch.domain.records import Text
from cellwatch.domain.registry import Registry, RegistryData
from cellwatch.domain.sources import Source
from cellwatch.errors import BundleIssue
from cellwatch.imports.companies import Companies, slug_for
from cellwatch.imports.snapshot_csv import SnapshotFile, SnapshotRow


class Action(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class DiffRow:
    line: int
    number: str
    holder: str  # company id
    action: Action
    status: str  # as the snapshot lists it
    status_date: str
    registry_status: str | None  # the registry's status at that date (None: not known)
    notes: tuple[Text, ...] = ()


@dataclass(frozen=True)
class SnapshotPlan:
    origin: str
    encoding: str
    data: RegistryData
    issues: tuple[BundleIssue, ...]
    rows: tuple[DiffRow, ...] = ()
    source: str | None = None
    companies_created: tuple[str, ...] = ()
    models_created: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action is action)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.origin, "encoding": self.encoding, "source": self.source,
            "counts": {a.value: self.count(a) for a in Action},
            "companies_created": list(self.companies_created),
            "models_created": list(self.models_created),
            "ignored_columns": list(self.ignored_columns),
            "rows": [
                {"line": r.line, "number": r.number, "holder": r.holder,
                 "action": r.action.value, "status": r.status, "status_date": r.status_date,
                 "registry_status": r.registry_status,
                 "notes": [n.model_dump() for n in r.notes]}
                for r in self.rows
            ],
        }


def source_for(name: str, date: str, url: str | None) -> Source:
    return Source(
        id=f"certificate-snapshot-{slug_for(Path(name).stem, 'file')}-{date}",
        title=f"Certificate snapshot {name}", url=url or f"file:{name}",
        published=date,
    )


def plan_snapshot(
    registry: Registry, snapshot: SnapshotFile, *, create_companies: bool = False,
    source_url: str | None = None,
) -> SnapshotPlan:
    """Compare every row with the registry; the records to write and every problem."""
    issues = list(snapshot.issues)
    if not snapshot.rows:
        if not issues:
            issues.append(BundleIssue(snapshot.name, "", "", "lists no certificate"))
        return SnapshotPlan(snapshot.name, snapshot.encoding, RegistryData(), tuple(issues))
    latest = max(row.status_date.sort_key() for row in snapshot.rows)[0]
    source = source_for(snapshot.name, latest.isoformat(), source_url)
    work = _Planner(registry, snapshot.name, source, create_companies)
    seen: dict[str, int] = {}
    for row in snapshot.rows:
        if row.number in seen:
            work.problem(row, "number", f"{row.number} is listed on line {seen[row.number]} too")
            continue
        seen[row.number] = row.line
        work.row(row)
    issues.extend(work.issues)
    cited = bool(work.certificates or work.changes)
    data = RegistryData(
        sources=(source,) if cited else (),
        companies=tuple(work.companies.created), products=tuple(work.products),
        certificates=tuple(work.certificates), certificate_status=tuple(work.changes),
    )
    return SnapshotPlan(
        snapshot.name, snapshot.encoding, data, tuple(issues), tuple(work.rows),
        source.id if cited else None, tuple(c.id for c in work.companies.created),
        tuple(f"{p.brand}/{p.model}" for p in work.products), snapshot.ignored_columns,
    )


class _Planner:
    def __init__(self, registry: Registry, name: str, source: Source, create: bool) -> None:
        self.registry, self.name, self.source, self.create = registry, name, source, create
        self.companies = Companies(registry, source.id)
        self.certificates: list[Certificate] = []
        self.changes: list[StatusChange] = []
        self.products: list[ProductModel] = []
        self.rows: list[DiffRow] = []
        self.issues: list[BundleIssue] = []

    def problem(self, row: SnapshotRow, field: str, message: str) -> None:
        self.issues.append(BundleIssue(self.name, f"line {row.line}", field, message))

    def _company(self, row: SnapshotRow, field: str, name: str, role: Role) -> str | None:
        found = self.companies.resolve(name)
        if found is None and self.create:
            found = self.companies.create(name, role=role)
        if found is None:
            self.problem(row, field, f"no company {name!r} in the registry "
                         "(add it first, or import with --create-companies)")
        return found

    def row(self, row: SnapshotRow) -> None:
        existing = self.registry.certificates.get(row.number)
        if existing is not None:
            self._known(row, existing)
            return
        cells = row.product_kind is ProductKind.CELL
        holder = self._company(row, "holder", row.holder,
                               Role.CELL_MAKER if cells else Role.BRAND)
        factory = self._company(
            row, "factory", row.factory, Role.CELL_FACTORY if cells else Role.PACK_MAKER
        ) if row.factory else None
        if holder is None or (row.factory and factory is None):
            return
        try:
            certificate = Certificate.model_validate({
                "number": row.number, "scheme": row.scheme, "holder": holder,
                "factory": factory, "product_kind": row.product_kind,
                "models": row.models, "issued": row.issued, "expires": row.expires,
                "sources": [self.source.id],
            })
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                field = ".".join(str(part) for part in detail["loc"]) or "number"
                self.problem(row, field, detail["msg"].removeprefix("Value error, "))
            return
        self.certificates.append(certificate)
        if not cells:
            self._models(holder, row.models)
        implied = status_at(certificate, (), row.status_date.last_day())
        change = self._change(row) if implied is not row.status else None
        self.rows.append(DiffRow(row.line, row.number, holder, Action.NEW, row.status.value,
                                 row.status_date.isoformat(), None,
                                 (_NEW_WITH_STATUS,) if change else ()))

    def _known(self, row: SnapshotRow, existing: Certificate) -> None:
        notes: list[Text] = []
        holder = self.registry.current_id(existing.holder)
        named = self.registry.resolve_company(row.holder)
        if named is None or named.id != holder:
            notes.append(Text(
                en=f"the snapshot names the holder {row.holder!r}; the registry has {holder} "
                "(not changed)",
                zh=f"快照中的持证人为“{row.holder}”，登记库中为 {holder}（未修改）",
            ))
        changes = self.registry.status_changes.get(row.number, ())
        current = status_at(existing, changes, row.status_date.last_day())
        action = Action.UNCHANGED
        if current is not row.status:
            self._change(row)
            action = Action.CHANGED
        self.rows.append(DiffRow(
            row.line, row.number, holder, action, row.status.value, row.status_date.isoformat(),
            current.value if current else None, tuple(notes),
        ))

    def _change(self, row: SnapshotRow) -> StatusChange:
        change = StatusChange.model_validate({
            "number": row.number, "status": row.status, "date": row.status_date,
            "reason": f"Status listed in the certificate snapshot {self.name}.",
            "reason_zh": f"证书快照 {self.name} 中列出的状态。",
            "sources": [self.source.id],
        })
        self.changes.append(change)
        return change

    def _models(self, brand: str, models: tuple[str, ...]) -> None:
        made = {p.key for p in self.products}
        for model in models:
            product = ProductModel(brand=brand, model=model, kind=ProductKind.POWER_BANK,
                                   sources=(self.source.id,))
            if self.registry.product(brand, model) is None and product.key not in made:
                self.products.append(product)
                made.add(product.key)


_NEW_WITH_STATUS = Text(
    en="new certificate, recorded with the snapshot's status from its status date",
    zh="新证书，按快照中的状态自状态日期起记录",
)
