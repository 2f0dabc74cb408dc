"""Who an incident is about, and how many units stand behind a model, a batch, a maker.

An incident is *attributed* to the brand, model and batch it names, resolved against the
registry as the check resolves a unit (any name, alias or former name of the brand; the
model by code or marketing name). Its cell maker is the maker of the batch's cells (the
batch's ``cell_maker``, or its cell lot's); without a batch, the maker of the model's
batches when they all name one maker.

The *exposure* of a model, a batch or a maker is a count of units from the registry, and
says which count it is (the rate's denominator):

- ``batch_units``: the sum of the ``units`` of the batches (of the model, or that used the
  maker's cells);
- ``recall_scope_units``: the ``units`` of a recall's scope entry for the model;
- ``recall_units``: the ``units`` of a recall whose whole scope is the model.

A model takes the largest of these counts (recalls of one model in several markets may
overlap, so the largest single published count is a lower bound of the units made, and the
rate an upper bound). A maker takes, per model using its cells, the batch units when every
such batch has a count, else the model's exposure when every batch of the model used the
maker's cells; models with neither are left out and named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cellwatch.check.identify import identify
from cellwatch.check.scopes import rows_for
from cellwatch.domain.incidents import Incident
from cellwatch.domain.names import model_key
from cellwatch.domain.products import Batch, ProductModel
from cellwatch.domain.records import Text
from cellwatch.domain.registry import Registry


class Basis(StrEnum):
    """Which count of units a rate was divided by."""

    BATCH_UNITS = "batch_units"
    RECALL_SCOPE_UNITS = "recall_scope_units"
    RECALL_UNITS = "recall_units"
    MIXED = "mixed"  # a maker: batch units of some models, model exposure of others
    NONE = "none"


BASIS_TEXT: dict[Basis, Text] = {
    Basis.BATCH_UNITS: Text(en="units of the batches", zh="批次数量"),
    Basis.RECALL_SCOPE_UNITS: Text(en="units in the recall's scope entry", zh="召回范围条目数量"),
    Basis.RECALL_UNITS: Text(en="units of the recall", zh="召回总数量"),
    Basis.MIXED: Text(en="units of batches and models", zh="批次及型号数量"),
    Basis.NONE: Text(en="no unit count in the registry", zh="登记库中无数量"),
}


@dataclass(frozen=True)
class Units:
    """A count of units, which count it is, and where it comes from."""

    count: int | None
    basis: Basis
    origin: tuple[str, ...] = ()  # recall ids, batch codes, model keys it was taken from
    left_out: tuple[str, ...] = ()  # models of a maker without any count

    def per_million(self, incidents: int) -> float | None:
        if not self.count:
            return None
        return incidents * 1_000_000 / self.count


NO_UNITS = Units(None, Basis.NONE)


@dataclass(frozen=True)
class Attribution:
    """What an incident is counted under; ``None`` where the report does not say."""

    incident: Incident
    brand: str | None = None
    product: ProductModel | None = None
    batch: Batch | None = None
    cell_maker: str | None = None

    @property
    def model_id(self) -> str | None:
        return None if self.product is None else f"{self.product.brand}/{self.product.model}"

    @property
    def batch_id(self) -> str | None:
        if self.batch is None:
            return None
        return f"{self.batch.brand}/{self.batch.model}/{self.batch.batch}"

    def explain(self) -> Text:
        if self.product is not None:
            what_en = f"counted under {self.product.brand} {self.product.model}"
            what_zh = f"计入 {self.product.brand} {self.product.model}"
            if self.batch is not None:
                what_en += f", batch {self.batch.batch}"
                what_zh += f"，批次 {self.batch.batch}"
            if self.cell_maker is not None:
                what_en += f"; cells by {self.cell_maker}"
                what_zh += f"；电芯厂 {self.cell_maker}"
            return Text(en=what_en, zh=what_zh)
        if self.brand is not None:
            return Text(
                en=f"counted under the brand {self.brand} only: the model was not reported",
                zh=f"仅计入品牌 {self.brand}：报告未写明型号",
            )
        return Text(
            en="counted in the totals only: the report names no brand or model",
            zh="仅计入总数：报告未写明品牌或型号",
        )


@dataclass(frozen=True)
class _Index:
    batches: dict[tuple[str, str, str], Batch]
    by_model: dict[tuple[str, str], tuple[Batch, ...]]
    by_maker: dict[str, tuple[Batch, ...]]
    models_of_brand: dict[str, tuple[ProductModel, ...]]


def batch_maker(registry: Registry, batch: Batch) -> str | None:
    """The maker of a batch's cells: its own ``cell_maker``, else its cell lot's."""
    if batch.cell_maker is not None:
        return registry.current_id(batch.cell_maker)
    if batch.cell_lot is not None and batch.cell_lot in registry.cell_lots:
        return registry.current_id(registry.cell_lots[batch.cell_lot].cell_maker)
    return None


def _index(registry: Registry) -> _Index:
    by_model: dict[tuple[str, str], list[Batch]] = defaultdict(list)
    by_maker: dict[str, list[Batch]] = defaultdict(list)
    brands: dict[str, list[ProductModel]] = defaultdict(list)
    batches: dict[tuple[str, str, str], Batch] = {}
    for batch in registry.data.batches:
        brand = registry.current_id(batch.brand)
        key = model_key(batch.model)
        batches[(brand, key, model_key(batch.batch))] = batch
        by_model[(brand, key)].append(batch)
        maker = batch_maker(registry, batch)
        if maker is not None:
            by_maker[maker].append(batch)
    for product in registry.data.products:
        brands[registry.current_id(product.brand)].append(product)
    return _Index(
        batches,
        {k: tuple(v) for k, v in by_model.items()},
        {k: tuple(v) for k, v in by_maker.items()},
        {k: tuple(v) for k, v in brands.items()},
    )


def index(registry: Registry) -> _Index:
    return registry.derived(_index)


def model_batches(registry: Registry, product: ProductModel) -> tuple[Batch, ...]:
    return index(registry).by_model.get((registry.current_id(product.brand), product.key[1]), ())


def maker_batches(registry: Registry, maker: str) -> tuple[Batch, ...]:
    return index(registry).by_maker.get(registry.current_id(maker), ())


def brand_models(registry: Registry, brand: str) -> tuple[ProductModel, ...]:
    return index(registry).models_of_brand.get(registry.current_id(brand), ())


def attribute(registry: Registry, incident: Incident) -> Attribution:
    """Resolve the brand, model, batch and cell maker an incident names."""
    if incident.brand is None and incident.model is None:
        return Attribution(incident)
    found = identify(registry, incident.brand, incident.model)
    brand = found.company.id if found.company is not None else None
    product = found.product
    if product is None:
        return Attribution(incident, brand=brand)
    brand = registry.current_id(product.brand)
    batch = None
    if incident.batch is not None:
        batch = index(registry).batches.get((brand, product.key[1], model_key(incident.batch)))
    maker = batch_maker(registry, batch) if batch is not None else None
    if batch is None:
        makers = {batch_maker(registry, b) for b in model_batches(registry, product)}
        makers.discard(None)
        if len(makers) == 1:
            maker = makers.pop()
    return Attribution(incident, brand, product, batch, maker)


def batch_units(batches: Iterable[Batch]) -> Units:
    counted = [b for b in batches if b.units is not None]
    if not counted:
        return NO_UNITS
    return Units(
        sum(b.units or 0 for b in counted), Basis.BATCH_UNITS, tuple(b.batch for b in counted)
    )


def model_units(registry: Registry, product: ProductModel) -> Units:
    """The largest published count of the model's units (see the module's docstring)."""

    def remember() -> Units:
        candidates = [batch_units(model_batches(registry, product))]
        for row in rows_for(registry, product.brand, product.key[1]):
            if row.entry.units is not None:
                candidates.append(
                    Units(row.entry.units, Basis.RECALL_SCOPE_UNITS, (row.recall.id,))
                )
            recall = row.recall
            whole = all(model_key(e.model) == product.key[1] for e in recall.scope)
            if whole and recall.units is not None:
                candidates.append(Units(recall.units, Basis.RECALL_UNITS, (recall.id,)))
        counted = [c for c in candidates if c.count]
        if not counted:
            return NO_UNITS
        return max(counted, key=lambda c: (c.count or 0, c.basis is Basis.BATCH_UNITS))

    return registry.remember(model_units, product.key, remember)


def maker_units(registry: Registry, maker: str) -> Units:
    """Units made with the maker's cells, summed over the models that used them."""
    used = maker_batches(registry, maker)
    per_model: dict[tuple[str, str], list[Batch]] = defaultdict(list)
    for batch in used:
        per_model[(registry.current_id(batch.brand), model_key(batch.model))].append(batch)
    total = 0
    bases: set[Basis] = set()
    origin: list[str] = []
    left_out: list[str] = []
    for (brand, key), batches in sorted(per_model.items()):
        label = f"{brand}/{batches[0].model}"
        if all(b.units is not None for b in batches):
            total += sum(b.units or 0 for b in batches)
            bases.add(Basis.BATCH_UNITS)
            origin.append(label)
            continue
        product = registry.product(brand, key)
        all_batches = index(registry).by_model.get((brand, key), ())
        if product is not None and len(all_batches) == len(batches):
            units = model_units(registry, product)
            if units.count:
                total += units.count
                bases.add(units.basis)
                origin.append(label)
                continue
        left_out.append(label)
    if not origin:
        return Units(None, Basis.NONE, left_out=tuple(left_out))
    basis = bases.pop() if len(bases) == 1 else Basis.MIXED
    return Units(total, basis, tuple(origin), tuple(left_out))


def brand_units(registry: Registry, brand: str) -> Units:
    """The sum of the exposure of the brand's models that have one."""
    total = 0
    origin: list[str] = []
    bases: set[Basis] = set()
    for product in brand_models(registry, brand):
        units = model_units(registry, product)
        if units.count:
            total += units.count
            bases.add(units.basis)
            origin.append(product.model)
    if not origin:
        return NO_UNITS
    basis = bases.pop() if len(bases) == 1 else Basis.MIXED
    return Units(total, basis, tuple(origin))
