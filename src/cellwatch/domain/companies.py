"""Companies: brands, pack makers, cell makers and factories, with their names and links."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cellwatch.domain.dates import PartialDate
from cellwatch.domain.records import NonBlank, Slug, Sourced


class Role(StrEnum):
    BRAND = "brand"
    PACK_MAKER = "pack_maker"
    CELL_MAKER = "cell_maker"
    CELL_FACTORY = "cell_factory"
    RETAILER = "retailer"
    DISTRIBUTOR = "distributor"
    HOLDING = "holding"


class LinkType(StrEnum):
    RENAMED_TO = "renamed_to"
    SUBSIDIARY_OF = "subsidiary_of"
    CONTRACT_MANUFACTURER_FOR = "contract_manufacturer_for"


class CompanyLink(BaseModel):
    """A dated relation from one company to another."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    type: LinkType
    to: Slug
    since: PartialDate | None = None
    note: str | None = None


class Company(Sourced):
    kind_name: ClassVar[str] = "company"

    id: Slug
    name: NonBlank
    names: dict[str, NonBlank] = Field(default_factory=dict)
    aliases: tuple[NonBlank, ...] = ()
    roles: tuple[Role, ...] = ()
    country: str | None = None
    identifiers: dict[str, NonBlank] = Field(default_factory=dict)
    links: tuple[CompanyLink, ...] = ()
    note: str | None = None
    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is not None and (len(value) != 2 or not value.isalpha()):
            raise ValueError("country must be an ISO 3166 alpha-2 code such as CN or US")
        return value.upper() if value else value

    @property
    def key(self) -> tuple[str, ...]:
        return (self.id,)

    def all_names(self) -> list[str]:
        """Every name the company is known by: canonical, per language, aliases."""
        return [self.name, *self.names.values(), *self.aliases]
