"""The check's compiled scope rows, flattened into DuckDB: one definition of matching.

:func:`cellwatch.check.scopes.scope_index` compiles every scope entry of every recall once
per snapshot into a :class:`~cellwatch.check.scopes.ScopeRow` keyed by (current brand id,
model key). The single check judges a unit against those rows in Python; the screen
loads the *same* rows, value for value, into the table ``scope_rows`` and judges every
unit of an inventory against them in SQL (:mod:`cellwatch.screen.judge`):

==================  =====================================================================
column              from the :class:`ScopeRow`
==================  =====================================================================
``key_id``          its (brand, model key), numbered (:class:`ScopeKeys`)
``recall_id``       ``row.recall.id``
``announced``       ``row.recall.announced.first_day()`` (``announced_by``)
``batches``         ``row.batches`` (folded by ``model_key``)
``windows``         ``row.windows`` as ``{f: start.first_day(), l: end.last_day()}``
``serials``         ``row.serials`` and ``row.serials_folded``
``ranges``          ``row.ranges`` as ``{lo, hi, flo, fhi, n}`` (folded ends, length)
``patterns``        ``row.patterns`` and ``row.patterns_folded``: the compiled regular
                    expressions' text (RE2 reads what :func:`compile_glob` writes)
==================  =====================================================================

The model index's codes are flattened alike (:func:`model_codes`, once per snapshot;
loaded by :mod:`cellwatch.screen.facts`): what :func:`~cellwatch.check.identify.identify`
finds for a model code, by brand (``model_codes``) and across the registry
(``unique_codes``), so that the screen identifies the spellings that name a model by its
code in SQL and runs ``identify`` only for the others (marketing names, codes no model
has, text beyond ASCII).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from cellwatch.check.identify import model_index
from cellwatch.check.scopes import ScopeRow, scope_index
from cellwatch.domain.names import fold_serial
from cellwatch.domain.products import ProductModel
from cellwatch.domain.registry import Registry


@dataclass(frozen=True)
class ScopeKeys:
    """The (brand id, model key) pairs that have scope rows, numbered from 0."""

    ids: dict[tuple[str, str], int]

    def of(self, registry: Registry, brand: str, key: str) -> int | None:
        """The number of a model's rows, looked up as :func:`rows_for` looks them up."""
        return self.ids.get((registry.current_id(brand), key))


def _columns(rows: list[tuple[int, ScopeRow]]) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {name: [] for name in (
        "key_id", "recall_id", "ordinal", "announced", "batches", "windows_f", "windows_l",
        "serials", "serials_folded", "lo", "hi", "flo", "fhi", "n", "patterns",
        "patterns_folded",
    )}
    for key_id, row in rows:
        columns["key_id"].append(key_id)
        columns["recall_id"].append(row.recall.id)
        columns["ordinal"].append(row.position)
        columns["announced"].append(row.recall.announced.first_day())
        columns["batches"].append(sorted(row.batches))
        columns["windows_f"].append([s.first_day() if s else None for s, _ in row.windows])
        columns["windows_l"].append([e.last_day() if e else None for _, e in row.windows])
        columns["serials"].append(sorted(row.serials))
        columns["serials_folded"].append(sorted(row.serials_folded))
        columns["lo"].append([lo for lo, _ in row.ranges])
        columns["hi"].append([hi for _, hi in row.ranges])
        columns["flo"].append([fold_serial(lo) for lo, _ in row.ranges])
        columns["fhi"].append([fold_serial(hi) for _, hi in row.ranges])
        columns["n"].append([len(lo) for lo, _ in row.ranges])
        columns["patterns"].append([p.pattern for p in row.patterns])
        columns["patterns_folded"].append([p.pattern for p in row.patterns_folded])
    return columns


def load_scopes(con: duckdb.DuckDBPyConnection, registry: Registry) -> ScopeKeys:
    """Create ``scope_rows`` from the registry's compiled scope index; return its keys."""
    index = registry.derived(scope_index)
    ids = {key: number for number, key in enumerate(sorted(index))}
    rows = [(ids[key], row) for key in sorted(index) for row in index[key]]
    columns = _columns(rows)
    con.execute(
        """
        CREATE TABLE scope_rows AS
        SELECT key_id, recall_id, ordinal, announced, batches,
               list_transform(list_zip(windows_f, windows_l), lambda w: {'f': w[1], 'l': w[2]})
                   AS windows,
               serials, serials_folded,
               list_transform(list_zip(lo, hi, flo, fhi, n),
                   lambda r: {'lo': r[1], 'hi': r[2], 'flo': r[3], 'fhi': r[4], 'n': r[5]})
                   AS ranges,
               patterns, patterns_folded,
               len(batches) > 0 AS has_batch,
               len(windows_f) > 0 AS has_window,
               len(serials) + len(lo) + len(patterns) > 0 AS has_serial
        FROM (
            SELECT unnest(?::INTEGER[]) AS key_id, unnest(?::VARCHAR[]) AS recall_id,
                   unnest(?::INTEGER[]) AS ordinal, unnest(?::DATE[]) AS announced,
                   unnest(?::VARCHAR[][]) AS batches, unnest(?::DATE[][]) AS windows_f,
                   unnest(?::DATE[][]) AS windows_l, unnest(?::VARCHAR[][]) AS serials,
                   unnest(?::VARCHAR[][]) AS serials_folded, unnest(?::VARCHAR[][]) AS lo,
                   unnest(?::VARCHAR[][]) AS hi, unnest(?::VARCHAR[][]) AS flo,
                   unnest(?::VARCHAR[][]) AS fhi, unnest(?::INTEGER[][]) AS n,
                   unnest(?::VARCHAR[][]) AS patterns, unnest(?::VARCHAR[][]) AS patterns_folded
        )
        """,
        list(columns.values()),
    )
    return ScopeKeys(ids)


@dataclass(frozen=True)
class ModelCodes:
    """What ``identify`` finds for a model code, as rows; the models numbered by their
    place in ``products``.

    - ``by_brand``: (current brand id, model key, model): the model
      :meth:`Registry.product` finds for that brand and code (``identify`` with a brand
      the registry knows), for every code a model of the brand (or of a former name of
      it) has;
    - ``unique``: (model key, model, its brand's current company id or None): each code
      exactly one model of any brand has (``identify`` with no brand, or one the registry
      does not know).
    """

    products: tuple[ProductModel, ...]
    by_brand: tuple[list[str], list[str], list[int]]
    unique: tuple[list[str], list[int], list[str | None]]


def model_codes(registry: Registry) -> ModelCodes:
    """:class:`ModelCodes` of the snapshot (``registry.derived(model_codes)``): each
    answer is the registry's own (:meth:`Registry.product`, the model index)."""
    products = tuple(registry.data.products)
    number = {id(product): n for n, product in enumerate(products)}
    by_brand: dict[tuple[str, str], int] = {}
    for product in products:
        brand, code = registry.current_id(product.brand), product.key[1]
        if (brand, code) not in by_brand:
            found = registry.product(brand, product.model)
            assert found is not None  # the product itself has this code under this brand
            by_brand[(brand, code)] = number[id(found)]
    unique: tuple[list[str], list[int], list[str | None]] = ([], [], [])
    for code, models in registry.derived(model_index).by_code.items():
        if len(models) == 1:
            company = registry.companies.get(registry.current_id(models[0].brand))
            unique[0].append(code)
            unique[1].append(number[id(models[0])])
            unique[2].append(company.id if company else None)
    return ModelCodes(
        products,
        ([b for b, _ in by_brand], [c for _, c in by_brand], list(by_brand.values())),
        unique,
    )

