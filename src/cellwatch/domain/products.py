"""Product models, their production batches, and the cell lots the batches used."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import cached_property
from typing import Any, ClassVar

from pydantic import Field, model_validator

from cellwatch.domain.dates import PartialDate
from cellwatch.domain.names import model_key, serial_key
from cellwatch.domain.records import NonBlank, Slug, Sourced


class ProductKind(StrEnum):
    POWER_BANK = "power_bank"
    CELL = "cell"


def _check_window(start: PartialDate | None, end: PartialDate | None, what: str) -> None:
    if start is not None and end is not None and end.last_day() < start.first_day():
        raise ValueError(f"{what}: the window ends ({end}) before it starts ({start})")


class ProductModel(Sourced):
    kind_name: ClassVar[str] = "product"

    brand: Slug
    model: NonBlank
    names: tuple[NonBlank, ...] = ()
    kind: ProductKind
    capacity_mah: int | None = Field(default=None, gt=0, le=10_000_000)
    voltage_v: float | None = Field(default=None, gt=0, le=1000)
    energy_wh: float | None = Field(default=None, gt=0, le=100_000)
    output_w: float | None = Field(default=None, gt=0, le=100_000)
    certificates: tuple[NonBlank, ...] = ()

    @cached_property
    def key(self) -> tuple[str, ...]:
        """Brand and folded code, folded once per model: the check and the screen ask it
        several times per model, and a registry's 100k codes are more than
        :func:`model_key` remembers."""
        return (self.brand, model_key(self.model))

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> ProductModel:
        """A copy, with its key folded again from its own fields when asked."""
        copied = super().model_copy(update=update, deep=deep)
        copied.__dict__.pop("key", None)
        return copied


class CellLot(Sourced):
    kind_name: ClassVar[str] = "cell_lot"

    lot: NonBlank
    cell_maker: Slug
    factory: Slug | None = None
    cell_model: str | None = None
    produced_from: PartialDate | None = None
    produced_to: PartialDate | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _window(self) -> CellLot:
        _check_window(self.produced_from, self.produced_to, "produced")
        return self

    @property
    def key(self) -> tuple[str, ...]:
        return (self.lot,)


class Batch(Sourced):
    kind_name: ClassVar[str] = "batch"

    brand: Slug
    model: NonBlank
    batch: NonBlank
    produced_from: PartialDate | None = None
    produced_to: PartialDate | None = None
    serial_from: str | None = None
    serial_to: str | None = None
    units: int | None = Field(default=None, ge=0)
    cell_maker: Slug | None = None
    cell_lot: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _ranges(self) -> Batch:
        _check_window(self.produced_from, self.produced_to, "produced")
        if (self.serial_from is None) != (self.serial_to is None):
            raise ValueError("serial_from and serial_to go together")
        if self.serial_from is not None and self.serial_to is not None:
            low, high = serial_key(self.serial_from), serial_key(self.serial_to)
            if len(low) != len(high) or low > high:
                raise ValueError("serial range: from and to must have one length and from <= to")
        return self

    @property
    def key(self) -> tuple[str, ...]:
        return (self.brand, model_key(self.model), model_key(self.batch))
