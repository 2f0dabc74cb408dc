"""Which brand and model of the registry a label names, from what was read.

The brand is looked for in this order: after a 品牌 / Brand key; in the 制造商 /
Manufacturer line; as a brand's name, Chinese name or alias anywhere on the label (the
top lines first); as the brand of a model code the registry knows once. A model code read
with OCR's usual confusions (O/0, I/L/1, Z/2) is taken as the registry's code when exactly
one model matches after folding them.

A brand comes out as the registry's company id (``romoss``), which every command and the
check accept; what was read stays in the fact's ``text``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from cellwatch.check.identify import identify
from cellwatch.domain.companies import Company, Role
from cellwatch.domain.names import fold_name, fold_serial, model_key
from cellwatch.domain.products import ProductModel
from cellwatch.domain.registry import Registry
from cellwatch.labels.texts import FIELDS, Fact, Line


@dataclass(frozen=True)
class _Names:
    """Brand names to look for in free text: long (substring) and short (whole word)."""

    long: tuple[tuple[str, str], ...]  # (folded name, company id), longest first
    short: tuple[tuple[re.Pattern[str], str], ...]
    models: dict[str, tuple[ProductModel, ...]]  # folded code → models


def _names(registry: Registry) -> _Names:
    long: dict[str, str] = {}
    short: dict[str, str] = {}
    for company in registry.data.companies:
        if Role.BRAND not in company.roles:
            continue
        current = registry.current_id(company.id)
        for name in company.all_names():
            folded = fold_name(name)
            cjk = any("\u3400" <= ch <= "\u9fff" for ch in folded)
            if (cjk and len(folded) >= 2) or len(folded) >= 5:
                long.setdefault(folded, current)
            elif len(folded) >= 2:
                short.setdefault(name.strip(), current)
    models: dict[str, list[ProductModel]] = defaultdict(list)
    for product in registry.data.products:
        models[fold_serial(model_key(product.model))].append(product)
    return _Names(
        tuple(sorted(long.items(), key=lambda item: -len(item[0]))),
        tuple(
            (re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![a-z])", re.IGNORECASE), company)
            for name, company in short.items()
        ),
        {key: tuple(found) for key, found in models.items()},
    )


def _company_in(registry: Registry, words: str) -> Company | None:
    """The brand ``words`` name: the whole of them, or a brand name inside them."""
    company = registry.resolve_company(words)
    if company is not None:
        return company
    names = registry.derived(_names)
    folded = fold_name(words)
    for name, company_id in names.long:
        if name in folded:
            return registry.companies.get(company_id)
    for pattern, company_id in names.short:
        if pattern.search(words):
            return registry.companies.get(company_id)
    return None


def resolve(
    facts: dict[str, Fact], maker: Fact | None, lines: Sequence[Line], registry: Registry
) -> dict[str, Fact]:
    """``facts`` with the brand and model as the registry knows them, when it does."""
    resolved = dict(facts)
    model = resolved.get("model")
    if model is not None:
        product = _product(registry, str(model.value))
        if product is not None:
            resolved["model"] = Fact(product.model, model.confidence, model.text)
    brand = _brand(registry, resolved, maker, lines)
    if brand is not None:
        resolved["brand"] = brand
    return {field: resolved[field] for field in FIELDS if field in resolved}


def _product(registry: Registry, code: str) -> ProductModel | None:
    found = identify(registry, None, code).product
    if found is not None:
        return found
    candidates = registry.derived(_names).models.get(fold_serial(model_key(code)), ())
    return candidates[0] if len(candidates) == 1 else None


def _brand(
    registry: Registry, facts: dict[str, Fact], maker: Fact | None, lines: Sequence[Line]
) -> Fact | None:
    keyed = facts.get("brand")
    if keyed is not None:
        company = _company_in(registry, str(keyed.value))
        if company is not None:
            return Fact(company.id, keyed.confidence, keyed.text)
    if maker is not None:
        company = _company_in(registry, str(maker.value))
        if company is not None:
            return Fact(company.id, maker.confidence * 0.9, maker.text)
    for position, line in enumerate(lines):
        company = _company_in(registry, line.text)
        if company is not None:
            sure = 0.85 if position < 3 else 0.7
            return Fact(company.id, line.confidence * sure, line.text)
    model = facts.get("model")
    if model is not None:
        product = identify(registry, None, str(model.value)).product
        if product is not None:
            company_id = registry.current_id(product.brand)
            return Fact(company_id, model.confidence * 0.75, model.text)
    return keyed
