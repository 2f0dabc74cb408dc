"""Step 1: which brand and model is this unit?

A brand is found by any name, Chinese name, alias or former name; a model by its code or a
marketing name within the brand, or by a code that is unique across the registry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from cellwatch.domain.companies import Company
from cellwatch.domain.names import fold_name, model_key
from cellwatch.domain.products import ProductModel
from cellwatch.domain.registry import Registry


class MatchedBy(StrEnum):
    CODE = "code"
    NAME = "marketing_name"
    UNIQUE_CODE = "unique_code"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Identification:
    company: Company | None
    product: ProductModel | None
    matched_by: MatchedBy
    brand_given_but_unknown: bool = False
    ambiguous: tuple[ProductModel, ...] = ()


@dataclass(frozen=True)
class ModelIndex:
    """Every model by its folded code (:func:`model_key`) and marketing names
    (:func:`fold_name`), across brands; built once per snapshot."""

    by_code: dict[str, tuple[ProductModel, ...]]
    by_name: dict[str, tuple[ProductModel, ...]]


def model_index(registry: Registry) -> ModelIndex:
    by_code: dict[str, list[ProductModel]] = defaultdict(list)
    by_name: dict[str, list[ProductModel]] = defaultdict(list)
    for product in registry.data.products:
        by_code[model_key(product.model)].append(product)
        for name in product.names:
            by_name[fold_name(name)].append(product)
    return ModelIndex(
        {k: tuple(v) for k, v in by_code.items()}, {k: tuple(v) for k, v in by_name.items()}
    )


def known_nowhere(registry: Registry, model: str) -> bool:
    """Whether no model of any brand has this code or marketing name: then
    :func:`identify` finds no model for it, under any brand or none."""
    index = registry.derived(model_index)
    return model_key(model) not in index.by_code and fold_name(model) not in index.by_name


def identify(registry: Registry, brand: str | None, model: str | None) -> Identification:
    """Find the unit's brand and model; remembered per snapshot for the same words."""
    return registry.remember(
        identify, (brand, model), lambda: identified(registry, brand, model)
    )


def identified(registry: Registry, brand: str | None, model: str | None) -> Identification:
    """:func:`identify`, not remembered (for callers that remember more with it)."""
    company = registry.resolve_company(brand) if brand else None
    unknown_brand = bool(brand) and company is None
    if not model:
        return Identification(company, None, MatchedBy.NONE, unknown_brand)
    index = registry.derived(model_index)
    if company is not None:
        product = registry.product(company.id, model)
        if product is not None:
            return Identification(company, product, MatchedBy.CODE)
        identities = registry.identities(company.id)
        named = [p for p in index.by_name.get(fold_name(model), ()) if p.brand in identities]
        if len(named) == 1:
            return Identification(company, named[0], MatchedBy.NAME)
        return Identification(company, None, MatchedBy.NONE, ambiguous=tuple(named))
    # no brand, or a brand the registry does not know: a code unique across the registry
    for candidates, how in (
        (index.by_code.get(model_key(model), ()), MatchedBy.UNIQUE_CODE),
        (index.by_name.get(fold_name(model), ()), MatchedBy.NAME),
    ):
        if len(candidates) == 1:
            found = candidates[0]
            return Identification(
                registry.companies.get(registry.current_id(found.brand)), found, how, unknown_brand
            )
        if len(candidates) > 1:
            return Identification(None, None, MatchedBy.NONE, unknown_brand, tuple(candidates))
    return Identification(None, None, MatchedBy.NONE, unknown_brand)
