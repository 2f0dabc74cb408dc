"""What does not depend on the row: computed once per distinct value with the check's own code.

An inventory of millions of units names far fewer distinct brands, models, dates and
certificate numbers. For each distinct value the check's functions give the answer, and
the answers are joined to the rows in SQL:

- ``unit_facts``: per *key* of the distinct (brand, model, certificate number) as written
  in the input (``spellings``) that the check cannot tell apart (``spelling_keys``: the
  company the brand resolves to, and the model and certificate number folded as
  :mod:`.folding` says; ``key_answers``, ``answers``): the identification
  (:func:`~cellwatch.check.identify.identify`), the certificate status at the date
  (:func:`~cellwatch.check.certificate.certificate_status`), the advisories that do not
  depend on the recall (:func:`~cellwatch.check.advice.advisories`), whether the cells of
  the model's batches come from a supplier whose cell certificates are suspended or
  revoked (:mod:`~cellwatch.check.supply`), and the number of the model's scope rows
  (a key whose every spelling is too long for the check has none: its rows are refused);
- ``batch_supply``: a batch of a model whose own supplier answer differs from the model's;
- ``dates``: per distinct production date, the days it covers or why it is not a date
  (:class:`~cellwatch.domain.dates.PartialDate`, as the check's input validates it);
- ``text_keys``: batch and serial keys of values that are not plain ASCII
  (:func:`~cellwatch.domain.names.model_key`, :func:`serial_key`, :func:`fold_serial`;
  ASCII values are folded in SQL, see :mod:`cellwatch.screen.folding`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import duckdb
import numpy

from cellwatch.check.advice import advisories
from cellwatch.check.certificate import CertificateFinding, certificate_status, of_model
from cellwatch.check.energy import EnergyFinding, energy
from cellwatch.check.identify import Identification, MatchedBy, identified, known_nowhere
from cellwatch.check.recall import RecallFinding
from cellwatch.check.supply import ModelSourcing, invalid_cell_certificates, model_sourcing
from cellwatch.domain.dates import PartialDate
from cellwatch.domain.names import fold_serial, model_key, serial_key
from cellwatch.domain.products import ProductModel
from cellwatch.domain.registry import Registry
from cellwatch.rules.facts import RecallStatus
from cellwatch.screen import folding
from cellwatch.screen.fields import ColumnMap, Field
from cellwatch.screen.flatten import ScopeKeys, model_codes
from cellwatch.screen.source import literal, quote

_NOT_RECALLED = RecallFinding(RecallStatus.NOT_RECALLED)
#: How far ahead a production date may lie (as :class:`~cellwatch.check.inputs.Device`).
FUTURE_DAYS = 366
#: Longest text the check accepts for a fact (:class:`~cellwatch.check.inputs.Device`).
MAX_LENGTH = 100
IDENTITY_FIELDS = (Field.BRAND, Field.MODEL, Field.CERTIFICATE)
SUPPLY_CODE = "cell_supplier_certificate_invalid"


def column_sql(column: str | None) -> str:
    """An input column of ``raw``, or NULL when the input has none for the fact."""
    return "NULL::VARCHAR" if column is None else quote(column)


def strip(value: str | None) -> str | None:
    """A fact as the check's input holds it: stripped of whitespace, empty as missing."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _insert(con: duckdb.DuckDBPyConnection, table: str, types: dict[str, str],
            columns: list[list[Any]]) -> None:
    """Create ``table`` with these columns of these types. DuckDB reads Python values from
    NumPy arrays of objects (``None`` as missing) in C: the benchmark's 101k answers take
    0.07 s so, against 0.29 s as lists and 0.32 s through a CSV file."""
    view = f"{table}_values"
    con.register(view, {name: numpy.array(column, dtype=object)
                        for name, column in zip(types, columns, strict=True)})
    try:
        casts = ", ".join(f"{name}::{kind} AS {name}" for name, kind in types.items())
        con.execute(f"CREATE TABLE {table} AS SELECT {casts} FROM {view}")
    finally:
        con.unregister(view)


def _append(columns: list[list[Any]], *values: Any) -> None:
    """Add one row of ``values`` to the tables' ``columns`` (:func:`_insert`)."""
    for column, value in zip(columns, values, strict=True):
        column.append(value)


def _mixed(sourcing: ModelSourcing, invalid: list[bool]) -> bool:
    """Whether a batch of the model may answer otherwise than the model: not when no maker
    of its cells is invalid (most models), nor when every maker is and every batch names
    one (then every batch answers as the model), so its batches need no look."""
    if not any(invalid):
        return False
    named = sum(len(batches) for _, batches in sourcing.makers)
    return not all(invalid) or named != len(sourcing.batches)


class _Facts:
    """The per-(brand, model, certificate) answers, each computed once.

    ``identify`` reads the brand only through :meth:`Registry.resolve_company` (and
    whether one was given), so brand words that resolve alike share one identification;
    what follows the identification reads only the company, the model, whether the brand
    was unknown and the certificate number, so spellings identified alike share the rest.
    """

    def __init__(self, registry: Registry, keys: ScopeKeys, date: dt.date) -> None:
        self.registry, self.keys, self.date = registry, keys, date
        self.products: dict[tuple[str, ...], tuple[int, bool, bool]] = {}
        self.invalid: dict[str | None, bool] = {None: False}
        self.supply_rows: list[list[Any]] = [[], [], []]
        self.findings: dict[tuple[Any, ...], tuple[CertificateFinding, EnergyFinding]] = {}
        self.answers: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def maker_invalid(self, maker: str | None) -> bool:
        if maker not in self.invalid:
            assert maker is not None
            self.invalid[maker] = bool(invalid_cell_certificates(self.registry, maker, self.date))
        return self.invalid[maker]

    def product(self, product: ProductModel) -> tuple[int, bool, bool]:
        """Its number; whether the supplier advisory fires for a unit of it with no (or an
        unknown) batch; whether some batch of it answers otherwise, alone."""
        found = self.products.get(product.key)
        if found is None:
            # supply.supplier_findings: the makers of the unit's own batch when it is one of
            # the model's, else of every batch of the model
            sourcing = model_sourcing(self.registry, product)
            number = len(self.products)
            if sourcing is None:
                found = (number, False, False)
            else:
                invalid = [self.maker_invalid(maker) for maker, _ in sourcing.makers]
                whole = any(invalid)
                found = (number, whole, whole and _mixed(sourcing, invalid)
                         and self.split(number, sourcing, whole))
            self.products[product.key] = found
        return found

    def split(self, number: int, sourcing: ModelSourcing, whole: bool) -> bool:
        """Add to ``supply_rows`` each batch of product ``number`` whose own answer differs
        from the model's (``whole``); whether there is one."""
        by_batch: dict[str, bool] = defaultdict(bool)
        for batch in sourcing.batches:
            by_batch[batch.batch_key] |= self.maker_invalid(batch.cell_maker)
        differs = False
        for batch_key, invalid in by_batch.items():
            if invalid != whole:
                differs = True
                _append(self.supply_rows, number, batch_key, invalid)
        return differs

    def per_product(
        self, product: ProductModel | None, number: str | None
    ) -> tuple[CertificateFinding, EnergyFinding]:
        """The certificate and energy findings: the same for every brand word of a model."""
        key = (product.key if product else None, number)
        found = self.findings.get(key)
        if found is None:
            # a model's own finding as certificate_status gives it, but not remembered in the
            # snapshot: a screen's 100k models would push out what the checks remember
            certificate = (of_model(self.registry, product, self.date)
                           if product is not None and not number
                           else certificate_status(self.registry, product, number, self.date))
            found = self.findings[key] = (certificate, energy(None, None, None, product))
        return found

    def identification(self, brand: str | None, model: str | None) -> Identification:
        """``identify``, not remembered in the snapshot (each key comes once, and a screen's
        keys would push out what the checks remember). Only for keys not identified in
        SQL (:func:`_identified_in_sql`): a model the registry knows nowhere is not one."""
        return identified(self.registry, brand, model)

    def answer(self, brand: str | None, model: str | None, number: str | None) -> tuple[Any, ...]:
        return self.answer_of(self.identification(brand, model), number)

    def answer_of(self, found: Identification, number: str | None) -> tuple[Any, ...]:
        """The answer for a unit so identified with this certificate number: it reads of
        the identification only the company, the model and whether the brand was unknown
        (the advisories' codes, not the models an unknown one was confused with)."""
        key = (found.company.id if found.company else None,
               found.product.key if found.product else None,
               found.brand_given_but_unknown, number)
        answer = self.answers.get(key)
        if answer is None:
            answer = self.answers[key] = self._answer(found, number)
        return answer

    def _answer(self, found: Identification, number: str | None) -> tuple[Any, ...]:
        registry = self.registry
        product = found.product
        certificate, power = self.per_product(product, number)
        notes = advisories(registry, found, _NOT_RECALLED, certificate, power, ())
        codes = sorted(note.code for note in notes) if notes else []
        company = found.company.id if found.company else None
        if product is None:
            text = ";".join(codes)
            return (None, company, None, None, certificate.state.value, text, text, False)
        number_of, whole, differs = self.product(product)
        with_supply = sorted({*codes, SUPPLY_CODE}) if whole else codes
        return (
            number_of, company, product.model,
            self.keys.of(registry, product.brand, product.key[1]), certificate.state.value,
            ";".join(codes), ";".join(with_supply), differs,
        )


#: A brand the registry does not know, as a brand key (no company id is written so).
_UNKNOWN_BRAND = "?unknown"


def _brand_keys(con: duckdb.DuckDBPyConnection, registry: Registry) -> dict[str, str]:
    """``brand_keys``: each distinct stripped brand of ``spellings`` and the company it
    resolves to (:meth:`Registry.resolve_company`, as ``identify`` resolves it), or
    :data:`_UNKNOWN_BRAND`; return one brand as written for each key."""
    brands = con.execute(
        f"SELECT DISTINCT b FROM spellings WHERE b IS NOT NULL AND length(b) <= {MAX_LENGTH}"
    ).fetchall()
    columns: list[list[Any]] = [[], []]
    representative: dict[str, str] = {}
    for (brand,) in brands:
        company = registry.resolve_company(brand)
        key = company.id if company is not None else _UNKNOWN_BRAND
        representative.setdefault(key, brand)
        _append(columns, brand, key)
    _insert(con, "brand_keys", {"b": "VARCHAR", "brand_key": "VARCHAR"}, columns)
    return representative


def load_spellings(con: duckdb.DuckDBPyConnection, mapping: ColumnMap) -> None:
    """``spellings``: each distinct (brand, model, certificate) of ``raw`` as written, its
    stripped values and the column of the first one longer than the check accepts."""
    triple = ", ".join(f"{column_sql(mapping.get(f))} AS {f.value}" for f in IDENTITY_FIELDS)
    stripped = {Field.BRAND: "b", Field.MODEL: "m", Field.CERTIFICATE: "c"}
    too_long = " ".join(  # the first fact longer than the check accepts: its column
        f"WHEN length({stripped[f]}) > {MAX_LENGTH} THEN {literal(name)}"
        for f in IDENTITY_FIELDS if (name := mapping.get(f)) is not None
    )
    too_long_sql = f"CASE {too_long} END" if too_long else "NULL::VARCHAR"
    con.execute(
        f"""
        CREATE TABLE spellings AS
        SELECT *, {too_long_sql} AS too_long FROM (
            SELECT brand, model, certificate, {folding.stripped("brand")} AS b,
                   {folding.stripped("model")} AS m, {folding.stripped("certificate")} AS c
            FROM (SELECT DISTINCT {triple} FROM raw)
        )
        """
    )


#: ``answers``: each distinct answer of :meth:`_Facts.answer`, numbered (``a``).
_ANSWER_TYPES = {
    "a": "INTEGER", "product": "INTEGER", "resolved_brand": "VARCHAR",
    "resolved_model": "VARCHAR", "key_id": "INTEGER", "certificate_status": "VARCHAR",
    "codes": "VARCHAR", "model_codes": "VARCHAR", "batch_decides": "BOOLEAN",
}


def _answer_columns(answers: list[tuple[Any, ...]]) -> list[list[Any]]:
    """The columns of ``answers``: the number of each answer, then its values."""
    values = ([list(column) for column in zip(*answers, strict=True)] if answers
              else [[] for _ in range(len(_ANSWER_TYPES) - 1)])
    return [list(range(len(answers))), *values]


def load_spelling_keys(con: duckdb.DuckDBPyConnection, registry: Registry) -> dict[str, str]:
    """``spelling_keys``: the distinct spellings (:func:`load_spellings`) grouped in SQL
    under keys the check cannot tell apart (the brand's company,
    :func:`folding.model_spelling`, :func:`folding.certificate_spelling`); and
    ``key_groups``: per key of spellings the check accepts, its brand key, one model and
    certificate as written, and the model's code (``model_key``) where it is ASCII.
    Return one brand as written for each brand key."""
    brands = _brand_keys(con, registry)
    # each key numbered as it is grouped, then given to its spellings: numbering them in
    # the keys' order (dense_rank) sorts the spellings' texts (the benchmark's 550k: this
    # step took 0.56-0.58 s so, 0.44-0.50 s now)
    same = " AND ".join(f"g.{c} IS NOT DISTINCT FROM s.{c}" for c in ("brand_key", "mk", "ck"))
    con.execute(
        f"""
        CREATE TABLE spelling_keys AS
        WITH s AS MATERIALIZED (
            SELECT s.*, k.brand_key, {folding.model_spelling("s.m")} AS mk,
                   {folding.certificate_spelling("s.c")} AS ck
            FROM spellings s LEFT JOIN brand_keys k ON k.b = s.b
        ), g AS (
            SELECT brand_key, mk, ck, row_number() OVER () AS k
            FROM (SELECT DISTINCT brand_key, mk, ck FROM s)
        )
        SELECT s.* EXCLUDE (mk, ck), g.k FROM s JOIN g ON {same}
        """
    )
    # every spelling of a key has the same code: the key is the code with its words apart
    code = folding.code_key("m", folding.CODE_SEPARATORS)
    con.execute(
        f"""
        CREATE TABLE key_groups AS
        SELECT *, CASE WHEN {folding.is_ascii("m")} THEN {code} END AS code
        FROM (SELECT k, any_value(brand_key) AS brand_key, min(m) AS m, min(c) AS c
              FROM spelling_keys WHERE too_long IS NULL GROUP BY k)
        """
    )
    return brands


def _identified_in_sql(
    con: duckdb.DuckDBPyConnection, registry: Registry, memo: _Facts,
    numbers: dict[tuple[Any, ...], int],
) -> None:
    """``identified_answers``: the keys identified in SQL, each with its answer's number.

    - A key that names a model by its code (:func:`~cellwatch.screen.flatten.model_codes`):
      under a brand the registry knows, by the brand's code; with no brand, or one the
      registry does not know, by a code only one model has.
    - A key whose model the registry knows nowhere (:func:`known_nowhere`, asked once per
      model as written): no model, under any brand or none.

    Each distinct (company, model, brand unknown, certificate) gets its answer from the
    check's functions once (``numbers``): an answer reads no more of the identification
    than these (:meth:`_Facts.answer_of`)."""
    codes = registry.derived(model_codes)
    _insert(con, "model_codes", {"brand": "VARCHAR", "code": "VARCHAR", "product": "INTEGER"},
            list(codes.by_brand))
    _insert(con, "unique_codes",
            {"code": "VARCHAR", "product": "INTEGER", "company": "VARCHAR"}, list(codes.unique))
    unknown = f"g.brand_key IS NOT DISTINCT FROM '{_UNKNOWN_BRAND}'"
    con.execute(
        f"""
        CREATE TABLE coded AS
        SELECT g.*, coalesce(b.product, u.product) AS product,
               CASE WHEN b.product IS NOT NULL THEN g.brand_key
                    WHEN u.product IS NOT NULL THEN u.company
                    WHEN NOT {unknown} THEN g.brand_key END AS company,
               {unknown} AS unknown
        FROM key_groups g
        LEFT JOIN model_codes b ON b.brand = g.brand_key AND b.code = g.code
        LEFT JOIN unique_codes u ON u.code = g.code AND (g.brand_key IS NULL OR {unknown})
        """
    )
    models = con.execute(
        "SELECT DISTINCT m FROM coded WHERE product IS NULL AND m IS NOT NULL").fetchall()
    _insert(con, "unheard", {"m": "VARCHAR"},
            [[model for (model,) in models if known_nowhere(registry, model)]])
    con.execute(
        "CREATE TABLE identified AS SELECT k, c, product, company, unknown FROM coded "
        "WHERE product IS NOT NULL OR m IN (SELECT m FROM unheard)"
    )
    found = con.execute(
        "SELECT DISTINCT company, product, unknown, c FROM identified").fetchall()
    columns: list[list[Any]] = [[], [], [], [], []]
    companies = registry.companies
    for company, product, unknown_brand, number in found:
        how = (MatchedBy.NONE if product is None else
               MatchedBy.UNIQUE_CODE if unknown_brand or company is None else MatchedBy.CODE)
        answer = memo.answer_of(Identification(
            companies.get(company) if company else None,
            None if product is None else codes.products[product], how, unknown_brand), number)
        _append(columns, company, product, unknown_brand, number,
                numbers.setdefault(answer, len(numbers)))
    _insert(con, "identified_numbers", {"company": "VARCHAR", "product": "INTEGER",
                                        "unknown": "BOOLEAN", "c": "VARCHAR", "a": "INTEGER"},
            columns)
    same = " AND ".join(f"n.{c} IS NOT DISTINCT FROM d.{c}"
                        for c in ("company", "product", "unknown", "c"))
    con.execute(f"CREATE TABLE identified_answers AS SELECT d.k, n.a FROM identified d "
                f"JOIN identified_numbers n ON {same}")


def load_unit_facts(
    con: duckdb.DuckDBPyConnection, registry: Registry, keys: ScopeKeys,
    brands: dict[str, str], date: dt.date,
) -> None:
    """``unit_facts`` per spelling key (``k`` of :func:`load_spelling_keys`), and
    ``batch_supply``.

    The keys that name a model by its code, or a model the registry knows nowhere, are
    identified in SQL (:func:`_identified_in_sql`); the check's functions answer once per
    other key, for one spelling of it. Many keys share an answer (every spelling of a
    model's code with the same certificate finding): each distinct answer goes to DuckDB
    once (``answers``), each key as its number (``key_answers``, ``identified_answers``).
    """
    memo = _Facts(registry, keys, date)
    numbers: dict[tuple[Any, ...], int] = {}  # each distinct answer, numbered from 0
    _identified_in_sql(con, registry, memo, numbers)
    others = con.execute(
        "SELECT k, brand_key, m, c FROM key_groups "
        "WHERE k NOT IN (SELECT k FROM identified_answers)"
    ).fetchall()
    key_answers: list[list[Any]] = [[], []]
    for k, brand_key, model, number in others:
        found = memo.answer(None if brand_key is None else brands[brand_key], model, number)
        _append(key_answers, k, numbers.setdefault(found, len(numbers)))
    _insert(con, "key_answers", {"k": "BIGINT", "a": "INTEGER"}, key_answers)
    _insert(con, "answers", _ANSWER_TYPES, _answer_columns(list(numbers)))
    con.execute(
        """
        CREATE TABLE unit_facts AS
        SELECT ka.k, f.product, f.resolved_brand, f.resolved_model, f.key_id,
               f.certificate_status, f.codes, f.model_codes, f.batch_decides
        FROM (SELECT * FROM key_answers UNION ALL SELECT * FROM identified_answers) ka
        JOIN answers f ON f.a = ka.a
        """
    )
    _insert(con, "batch_supply",
            {"product": "INTEGER", "batch_key": "VARCHAR", "supplier_invalid": "BOOLEAN"},
            memo.supply_rows)


def load_dates(con: duckdb.DuckDBPyConnection, column: str | None, today: dt.date) -> None:
    """``dates``: every distinct production date of ``raw`` as written, parsed as the
    check parses it."""
    latest = today + dt.timedelta(days=FUTURE_DAYS)
    columns: list[list[Any]] = [[], [], [], []]
    values = [] if column is None else con.execute(
        f"SELECT DISTINCT {quote(column)} FROM raw WHERE {quote(column)} IS NOT NULL"
    ).fetchall()
    for (value,) in values:
        first = last = error = None
        text = strip(value)
        if text is not None:
            try:
                date = PartialDate.parse(text)
                if date.first_day() > latest:
                    error = "the production date is in the future"
                else:
                    first, last = date.first_day(), date.last_day()
            except ValueError as problem:
                error = str(problem)
        _append(columns, value, first, last, error)
    _insert(con, "dates",
            {"produced": "VARCHAR", "first": "DATE", "last": "DATE", "error": "VARCHAR"},
            columns)


def load_text_keys(con: duckdb.DuckDBPyConnection) -> bool:
    """``text_keys`` for the batch and serial values of ``candidates`` beyond ASCII."""
    values = con.execute(
        "SELECT DISTINCT v FROM (SELECT batch AS v FROM candidates WHERE strlen(batch) <> "
        "length(batch) UNION ALL SELECT serial FROM candidates WHERE strlen(serial) <> "
        "length(serial))"
    ).fetchall()
    columns: list[list[Any]] = [[], [], [], []]
    for (value,) in values:
        _append(columns, value, model_key(value), serial_key(value), fold_serial(value))
    _insert(con, "text_keys", {
        "v": "VARCHAR", "batch_key": "VARCHAR", "serial_key": "VARCHAR", "serial_fold": "VARCHAR",
    }, columns)
    return bool(values)
