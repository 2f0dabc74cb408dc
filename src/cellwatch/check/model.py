"""What the check knows of one model at one date, gathered once per snapshot.

Everything the check reads about a model that does not depend on the unit's own facts
(its identification and how the result shows it, the recall scope rows announced by the
date, its certificate status, where its batches' cells come from and which of those
makers' certificates are invalid, its energy from the registry) is the same for every unit
of that model checked for that date. It is gathered once into a :class:`ModelView` and
remembered per snapshot: by the words the unit was written with (brand and model as
given, and the date), and by the model itself, so every spelling of one model shares one
set of facts. Both memories are bounded; a result never depends on what was checked
before (a test checks this).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cellwatch.check.certificate import CertificateFinding, of_model
from cellwatch.check.energy import EnergyFinding, energy
from cellwatch.check.identify import Identification, identified
from cellwatch.check.outputs import certificate_out, device_out, energy_out
from cellwatch.check.recall import announced_rows
from cellwatch.check.result import CertificateOut, DeviceOut, EnergyOut
from cellwatch.check.scopes import ScopeRow
from cellwatch.check.supply import (
    ModelSourcing,
    SupplierFinding,
    model_sourcing,
    of_batch,
    of_makers,
)
from cellwatch.domain.products import ProductModel
from cellwatch.domain.registry import Registry
from cellwatch.memo import keep


@dataclass(slots=True)
class ModelFacts:
    """One model at one date: what does not depend on how it was written."""

    date: dt.date
    rows: tuple[ScopeRow, ...]  # its recall scope rows announced by the date
    certificate: CertificateFinding  # from the certificates covering it
    certificate_out: CertificateOut
    sourcing: ModelSourcing | None
    energy: EnergyFinding  # the registry's figure
    energy_out: EnergyOut
    _any_batch: tuple[SupplierFinding, ...] | None = None  # found when first needed

    def suppliers(self, registry: Registry, batch: str | None) -> tuple[SupplierFinding, ...]:
        """The supply-chain findings for a unit of this model whose batch code, folded by
        :func:`~cellwatch.domain.names.model_key`, is ``batch``."""
        sourcing = self.sourcing
        if sourcing is None:
            return ()
        found = of_batch(registry, sourcing, batch, self.date)
        if found is None:
            found = self._any_batch
            if found is None:
                found = self._any_batch = of_makers(
                    registry, sourcing.makers, self.date, own=False
                )
        return found


@dataclass(frozen=True, slots=True)
class ModelView:
    """One model (or none) as written on a unit, at one date."""

    found: Identification
    device: DeviceOut
    facts: ModelFacts | None  # None: the registry does not know the model


def model_view(
    registry: Registry, brand: str | None, model: str | None, date: dt.date
) -> ModelView:
    """The unit's model as identified from its words, with its facts at ``date``."""
    memo = registry.memory(model_view)
    key = (brand, model, date)
    view: ModelView | None = memo.get(key)
    if view is None:
        found = identified(registry, brand, model)  # remembered here, with its facts
        product = found.product
        view = keep(memo, key, ModelView(
            found, device_out(found),
            None if product is None else model_facts(registry, product, date),
        ))
    return view


def model_facts(registry: Registry, product: ProductModel, date: dt.date) -> ModelFacts:
    """The model's facts at ``date``, shared by every spelling of it."""
    # keyed by the product object's id; the entry holds the product, so the id is not
    # reused while it lives, and a hit is checked to be the same object
    memo = registry.memory(model_facts)
    key = (id(product), date)
    held = memo.get(key)
    if held is not None and held[0] is product:
        found: ModelFacts = held[1]
        return found
    certificate = of_model(registry, product, date)
    power = energy(None, None, None, product)
    facts = ModelFacts(
        date=date,
        rows=announced_rows(registry, product, date),
        certificate=certificate,
        certificate_out=certificate_out(certificate),
        sourcing=model_sourcing(registry, product),
        energy=power,
        energy_out=energy_out(power),
    )
    keep(memo, key, (product, facts))
    return facts
