"""The SQL that judges every row, as the check's Python does, step by step.

Tables, in order:

- ``raw``: the input (:mod:`.source`); ``spellings``, ``unit_facts``, ``dates``
  (:mod:`.facts`);
- ``row_keys``: every row's spelling key, the number by which its answer is joined;
- ``row_errors`` and ``bad``: values the check's input would refuse, and unreadable lines;
- ``candidates``: the rows of models with scope rows (or whose batch decides the supplier
  advisory alone); every other row's answer is its model's, joined from ``unit_facts``;
- ``keys``: the candidates' batch and serial keys and production days, as
  :meth:`~cellwatch.check.scopes.Unit.of` makes them;
- ``judged``: each candidate against each scope row of its model announced by the date,
  as :func:`~cellwatch.check.scopes.judge`;
- ``line_results``: per candidate, :func:`~cellwatch.check.recall.recall_status`;
- ``results``: every row's added columns, in input order (:func:`screened_sql` joins them
  to the input by position), as numbers (an ENUM of every text they hold) so that putting
  ten million of them in order is cheap.

Folding in SQL (:mod:`.folding`) is exact for ASCII text; other text is folded in Python
once per distinct value (``text_keys``). Whitespace is stripped as ``str.strip()`` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import duckdb

from cellwatch.screen import folding
from cellwatch.screen.facts import IDENTITY_FIELDS, MAX_LENGTH, column_sql
from cellwatch.screen.fields import ColumnMap, Field
from cellwatch.screen.selection import written_sql
from cellwatch.screen.source import literal, quote


def _column(mapping: ColumnMap, field: Field) -> str:
    column = mapping.get(field)
    return "NULL::VARCHAR" if column is None else f"r.{quote(column)}"


def create_errors(con: duckdb.DuckDBPyConnection, mapping: ColumnMap) -> None:
    """``row_errors``: every value the check would refuse, with its line and column; and
    ``bad``. Needs only ``raw``, ``row_keys`` and ``dates``, not the registry's answers."""
    parts = [  # a brand, model or certificate too long: its spelling's (row_keys)
        "SELECT cw_line, too_long AS column_name, NULL::VARCHAR AS value, "
        f"'longer than {MAX_LENGTH} characters' AS message FROM row_keys "
        "WHERE too_long IS NOT NULL"
    ]
    # the serial and batch values too long for the check: the rows that may hold one are
    # found in one pass over the input (``long``), the values' columns then one by one
    codes = list(dict.fromkeys(
        c for c in (mapping.get(Field.SERIAL), mapping.get(Field.BATCH)) if c is not None))
    ahead = ""
    if codes:
        may = " OR ".join(f"strlen({quote(c)}) > {MAX_LENGTH}" for c in codes)
        ahead = (f"WITH long AS MATERIALIZED (SELECT cw_line, {', '.join(map(quote, codes))} "
                 f"FROM raw WHERE {may}) ")
    for column in codes:
        value = quote(column)
        parts.append(
            f"SELECT cw_line, {literal(column)}, NULL, "
            f"'longer than {MAX_LENGTH} characters' FROM long "
            f"WHERE strlen({value}) > {MAX_LENGTH} "
            f"AND length({folding.stripped(value)}) > {MAX_LENGTH}"
        )
    produced = mapping.get(Field.PRODUCED)
    if produced is not None:
        parts.append(
            f"SELECT r.cw_line, {literal(produced)}, r.{quote(produced)}, d.error FROM raw r "
            "JOIN (SELECT * FROM dates WHERE error IS NOT NULL) d "
            f"ON d.produced = r.{quote(produced)}"
        )
    con.execute(f"CREATE TABLE row_errors AS {ahead}" + " UNION ALL ".join(parts))
    con.execute(
        "CREATE TABLE bad AS SELECT cw_line FROM row_errors UNION SELECT cw_line FROM bad_lines"
    )


def create_row_keys(con: duckdb.DuckDBPyConnection, mapping: ColumnMap) -> None:
    """``row_keys``: every row's spelling key (``k`` of ``spelling_keys``), and the column
    of its spelling that is too long for the check, if any, found by the hash of its
    (brand, model, certificate) as written (:func:`_spelling_salt`). It needs none of the
    registry's answers, so it is found while the check's Python gives them;
    ``candidates`` and ``results`` then join each row's answer by a number."""
    salt = _spelling_salt(con)
    written = ", ".join(column_sql(mapping.get(f)) for f in IDENTITY_FIELDS)
    con.execute(
        f"""
        CREATE TABLE row_keys AS
        SELECT r.cw_line, s.k, s.too_long
        FROM raw r
        JOIN (SELECT hash(brand, model, certificate, {salt}) AS h, k, too_long
              FROM spelling_keys) s
            ON s.h = hash({written}, {salt})
        """
    )


def create_candidates(con: duckdb.DuckDBPyConnection, mapping: ColumnMap) -> None:
    """``candidates``: the rows of models that have scope rows, or whose batch decides the
    supplier advisory alone; only these are judged row by row."""
    con.execute(
        f"""
        CREATE TABLE candidates AS
        SELECT r.cw_line, f.product, f.key_id, f.codes, f.model_codes,
               {folding.stripped(_column(mapping, Field.SERIAL))} AS serial,
               {folding.stripped(_column(mapping, Field.BATCH))} AS batch,
               {_column(mapping, Field.PRODUCED)} AS produced
        FROM raw r
        JOIN (
            SELECT rk.cw_line, f.*
            FROM row_keys rk
            JOIN (SELECT * FROM unit_facts WHERE key_id IS NOT NULL OR batch_decides) f
                ON f.k = rk.k
            WHERE rk.cw_line NOT IN (SELECT cw_line FROM bad)
        ) f ON f.cw_line = r.cw_line
        """
    )


def create_keys(con: duckdb.DuckDBPyConnection, text_keys: bool) -> None:
    """``keys``: the candidates' batch and serial keys and production days
    (:meth:`~cellwatch.check.scopes.Unit.of`)."""
    ascii_batch = folding.code_key("c.batch", folding.CODE_SEPARATORS)
    ascii_serial = folding.code_key("c.serial", folding.SERIAL_SEPARATORS)
    ascii_fold = folding.code_key("c.serial", folding.SERIAL_SEPARATORS, fold=True)
    if text_keys:
        ascii = folding.is_ascii
        batch = f"CASE WHEN {ascii('c.batch')} THEN {ascii_batch} ELSE tb.batch_key END"
        serial = f"CASE WHEN {ascii('c.serial')} THEN {ascii_serial} ELSE ts.serial_key END"
        fold = f"CASE WHEN {ascii('c.serial')} THEN {ascii_fold} ELSE ts.serial_fold END"
        joins = "LEFT JOIN text_keys tb ON tb.v = c.batch LEFT JOIN text_keys ts ON ts.v = c.serial"
    else:
        batch, serial, fold, joins = ascii_batch, ascii_serial, ascii_fold, ""
    con.execute(
        f"""
        CREATE TABLE keys AS
        SELECT c.cw_line, c.product, c.key_id, c.codes, c.model_codes,
               {batch} AS batch_key, {serial} AS serial_key, {fold} AS serial_fold,
               d.first AS p_first, d.last AS p_last
        FROM candidates c
        LEFT JOIN dates d ON d.produced = c.produced
        {joins}
        """
    )


# The three tests of scopes.judge: NULL when the row has no such constraint.
_BATCH_TEST = """
    CASE WHEN NOT s.has_batch THEN NULL
         WHEN k.batch_key IS NULL THEN 'missing'
         WHEN list_contains(s.batches, k.batch_key) THEN 'held'
         ELSE 'failed' END"""
_PRODUCED_TEST = """
    CASE WHEN NOT s.has_window THEN NULL
         WHEN k.p_first IS NULL THEN 'missing'
         WHEN list_bool_or(list_transform(s.windows, lambda w:
                (w.f IS NULL OR k.p_first >= w.f) AND (w.l IS NULL OR k.p_last <= w.l)))
              THEN 'held'
         WHEN list_bool_or(list_transform(s.windows, lambda w:
                (w.f IS NULL OR k.p_last >= w.f) AND (w.l IS NULL OR k.p_first <= w.l)))
              THEN 'imprecise'
         ELSE 'failed' END"""
_SERIAL_TEST = """
    CASE WHEN NOT s.has_serial THEN NULL
         WHEN k.serial_key IS NULL THEN 'missing'
         WHEN list_contains(s.serials, k.serial_key)
              OR coalesce(list_bool_or(list_transform(s.ranges, lambda r:
                    length(k.serial_key) = r.n AND k.serial_key BETWEEN r.lo AND r.hi)), false)
              OR coalesce(list_bool_or(list_transform(s.patterns, lambda p:
                    regexp_full_match(k.serial_key, p))), false)
              THEN 'held'
         WHEN list_contains(s.serials_folded, k.serial_fold)
              OR coalesce(list_bool_or(list_transform(s.ranges, lambda r:
                    length(k.serial_fold) = r.n AND k.serial_fold BETWEEN r.flo AND r.fhi)), false)
              OR coalesce(list_bool_or(list_transform(s.patterns_folded, lambda p:
                    regexp_full_match(k.serial_fold, p))), false)
              THEN 'folded'
         ELSE 'failed' END"""


def create_judgements(con: duckdb.DuckDBPyConnection, date: dt.date) -> None:
    """``judged``: each unit against each scope row of its model, as ``scopes.judge``."""
    con.execute(
        f"""
        CREATE TABLE judged AS
        WITH tests AS (
            SELECT k.cw_line, s.recall_id, {_BATCH_TEST} AS b, {_PRODUCED_TEST} AS p,
                   {_SERIAL_TEST} AS s
            FROM keys k JOIN scope_rows s ON s.key_id = k.key_id
            WHERE s.announced <= ?
        )
        SELECT cw_line, recall_id,
               CASE WHEN b IS NULL AND p IS NULL AND s IS NULL THEN 'matches'
                    WHEN 'failed' IN (b, p, s) THEN 'fails'
                    WHEN (b = 'held' OR p = 'held' OR s IN ('held', 'folded'))
                         AND p IS DISTINCT FROM 'imprecise' THEN 'matches'
                    ELSE 'undecided' END AS outcome,
               s IS NOT DISTINCT FROM 'folded' AS folded,
               b IS NOT DISTINCT FROM 'missing' AS needs_batch,
               s IS NOT DISTINCT FROM 'missing' AS needs_serial,
               p IN ('missing', 'imprecise') AS needs_produced
        FROM tests
        """,
        [date],
    )


def create_line_results(con: duckdb.DuckDBPyConnection) -> None:
    """``line_results``: each candidate's recall status (:func:`recall_status`) and
    advisory codes."""
    con.execute(
        """
        CREATE TABLE line_results AS
        WITH per_unit AS (
            SELECT cw_line,
                   bool_or(outcome = 'matches') AS matched,
                   bool_or(outcome = 'undecided') AS undecided,
                   list_sort(list(DISTINCT recall_id) FILTER (WHERE outcome = 'matches'))
                       AS recall_ids,
                   list_sort(list(DISTINCT recall_id) FILTER (WHERE outcome = 'undecided'))
                       AS possible_ids,
                   bool_and(folded) FILTER (WHERE outcome = 'matches') AS all_folded,
                   bool_or(needs_batch) FILTER (WHERE outcome = 'undecided') AS needs_batch,
                   bool_or(needs_serial) FILTER (WHERE outcome = 'undecided') AS needs_serial,
                   bool_or(needs_produced) FILTER (WHERE outcome = 'undecided')
                       AS needs_produced
            FROM judged WHERE outcome IN ('matches', 'undecided') GROUP BY cw_line
        )
        SELECT k.cw_line,
               CASE WHEN coalesce(p.matched, false) THEN 'recalled'
                    WHEN coalesce(p.undecided, false) THEN 'possibly_recalled'
                    ELSE 'not_recalled' END AS recall_status,
               nullif(array_to_string(p.recall_ids, ';'), '') AS recall_ids,
               nullif(array_to_string(p.possible_ids, ';'), '') AS possible_recall_ids,
               nullif(array_to_string(list_filter(['batch', 'serial', 'produced'],
                   lambda fact: NOT coalesce(p.matched, false) AND CASE fact
                       WHEN 'batch' THEN coalesce(p.needs_batch, false)
                       WHEN 'serial' THEN coalesce(p.needs_serial, false)
                       ELSE coalesce(p.needs_produced, false) END), ';'), '') AS missing_facts,
               nullif(array_to_string(list_sort(list_distinct(
                   list_filter(string_split(coalesce(k.codes, ''), ';'), lambda c: c <> '')
                   || CASE WHEN coalesce(p.matched AND p.all_folded, false)
                           THEN ['serial_matched_after_folding'] ELSE [] END
                   || CASE WHEN coalesce(bs.supplier_invalid, k.model_codes LIKE
                                         '%cell_supplier_certificate_invalid%')
                           THEN ['cell_supplier_certificate_invalid'] ELSE [] END)), ';'), '')
                   AS advisory_codes
        FROM keys k
        LEFT JOIN per_unit p ON p.cw_line = k.cw_line
        LEFT JOIN batch_supply bs ON bs.product = k.product AND bs.batch_key = k.batch_key
        """
    )


#: Each of the screen's text columns and the columns whose texts fill it: a model's in
#: ``unit_facts``, a judged row's in ``line_results``.
_FILLED_BY = {
    "resolved_brand": (("unit_facts", "resolved_brand"),),
    "resolved_model": (("unit_facts", "resolved_model"),),
    "recall_status": (("line_results", "recall_status"),),
    "recall_ids": (("line_results", "recall_ids"),),
    "possible_recall_ids": (("line_results", "possible_recall_ids"),),
    "missing_facts": (("line_results", "missing_facts"),),
    "certificate_status": (("unit_facts", "certificate_status"),),
    "advisory_codes": (("unit_facts", "model_codes"), ("line_results", "advisory_codes")),
}
#: The recall status of a row not judged: of a model the registry does not know, or not.
_UNJUDGED = ("unknown_model", "not_recalled")


def text_type(column: str) -> str:
    """The type of one of the screen's text columns in ``results``: an ENUM of every text
    the column holds, so that ``results`` is fixed-width numbers, cheap to put in order.
    One per column: with one ENUM for every column, DuckDB wrote each column's Parquet
    pages about as wide as the model names needed (``recall_status``'s 20× larger before
    compression), and the benchmark's write of them took 1.5-1.7× as long."""
    return f"screen_{column}"


def _create_text_types(con: duckdb.DuckDBPyConnection) -> None:
    for column, fills in _FILLED_BY.items():
        sources = [f"SELECT {name} FROM {table}" for table, name in fills]
        if column == "recall_status":
            sources.append(f"SELECT unnest({list(_UNJUDGED)})")
        con.execute(
            f"CREATE TYPE {text_type(column)} AS ENUM (SELECT DISTINCT v FROM ("
            f"{' UNION ALL '.join(sources)}) t(v) WHERE v IS NOT NULL AND v <> '' ORDER BY v)"
        )


def _texts(table: str) -> str:
    """The texts of ``table`` that fill the screen's columns, each of its column's type."""
    return ", ".join(f"nullif({name}, '')::{text_type(column)} AS {name}"
                     for column, fills in _FILLED_BY.items()
                     for source, name in fills if source == table)


def create_results(con: duckdb.DuckDBPyConnection) -> None:
    """``results``: one row per row of ``raw`` (of ``row_keys``), in its order, with the
    screen's columns and ``bad`` (the row is in the errors file). Narrow, so that putting
    it in order is cheap: the texts are :func:`text_type` values (numbers), cast once per
    distinct value; the output joins ``results`` to ``raw`` by position."""
    _create_text_types(con)
    con.execute(
        f"""
        CREATE TABLE results AS
        WITH f AS (
            SELECT k, {_texts("unit_facts")},
                   CASE WHEN product IS NULL THEN '{_UNJUDGED[0]}' ELSE '{_UNJUDGED[1]}'
                   END::{text_type("recall_status")} AS recall_status
            FROM unit_facts
        ), l AS (
            SELECT cw_line, {_texts("line_results")} FROM line_results
        )
        SELECT r.cw_line, b.cw_line IS NOT NULL AS bad, f.resolved_brand, f.resolved_model,
               coalesce(l.recall_status, f.recall_status) AS recall_status,
               l.recall_ids, l.possible_recall_ids, l.missing_facts, f.certificate_status,
               CASE WHEN l.cw_line IS NULL THEN f.model_codes
                    ELSE l.advisory_codes END AS advisory_codes
        FROM row_keys r
        LEFT JOIN f ON f.k = r.k
        LEFT JOIN l ON l.cw_line = r.cw_line
        LEFT JOIN bad b ON b.cw_line = r.cw_line
        ORDER BY r.cw_line
        """
    )


#: How many salts :func:`_spelling_salt` tries (each collides with odds of about 1e-8 for
#: a million spellings)
_SALTS = 8


def _spelling_salt(con: duckdb.DuckDBPyConnection) -> int:
    """A salt under which the 64-bit hashes of ``spelling_keys``' (brand, model,
    certificate) as written differ: ``row_keys`` joins each row to its spelling by that
    hash, a number, which is faster than comparing three texts (2.2 s against 2.7 s for
    the benchmark's 10M rows)."""
    for salt in range(_SALTS):
        found = con.execute(
            f"SELECT count(DISTINCT hash(brand, model, certificate, {salt})) = count(*) "
            "FROM spelling_keys"
        ).fetchone()
        if found and found[0]:
            return salt
    raise RuntimeError(f"the spellings' hashes collide under {_SALTS} salts")


def screened_sql(
    columns: list[str], lines: tuple[int, int] | None = None, source: str = "raw",
    kept: str | None = None,
) -> str:
    """Every good row of the input (``source``: ``raw``, or ``typed``, a Parquet input's
    columns with their own types) with the screen's columns, in the input's order; only
    the rows of input lines ``lo <= line < hi`` when ``lines`` is given (a part of the
    output: both sides are cut alike, so their positions still pair); only those that
    meet ``kept``, a condition on ``results s``, when it is given
    (:func:`cellwatch.screen.selection.kept_sql`).

    The columns stay :func:`text_type` values: DuckDB writes them as text to CSV and as
    UTF-8 strings to Parquet (the same values as casting them first, in less time, since
    the Parquet writer takes the column's dictionary as it is)."""
    results = "results"
    if lines is not None:
        source, results = _cut(source, lines), _cut(results, lines)
    selected = "".join(f"r.{quote(c)}, " for c in columns)
    return (f"SELECT {selected}{_added('r', ())} "
            f"FROM {source} r POSITIONAL JOIN {results} s WHERE {written_sql(kept)}")


def row_group_sql(columns: list[str], lines: tuple[int, int], optional: Collection[str]) -> str:
    """The good rows of a Parquet input's lines ``lo <= line < hi`` with their own types
    (``typed``) and the screen's columns, in order; those named in ``optional`` written as
    columns that may be missing (:func:`_optional`), the others as DuckDB knows them
    (joined by line, not by position, so that it knows which are never missing)."""
    selected = "".join(f"{_optional(f'r.{quote(c)}', c in optional)} AS {quote(c)}, "
                       for c in columns)
    return (f"SELECT {selected}{_added('r', optional)} FROM {_cut('typed', lines)} r "
            f"JOIN {_cut('results', lines)} s ON s.cw_line = r.cw_line "
            "WHERE NOT s.bad ORDER BY r.cw_line")


def added_sql(lines: tuple[int, int], optional: Collection[str] = ()) -> str:
    """The screen's columns alone, of the good rows of input lines ``lo <= line < hi``, in
    order."""
    return f"SELECT {_added('s', optional)} FROM {_cut('results', lines)} s WHERE NOT s.bad"


def input_sql(columns: list[str], rows: str, refused: bool) -> str:
    """The input's columns alone, of the good rows of ``rows`` (rows of ``raw``, in line
    order), in order, each written as a column that may be missing; leaving out the
    refused rows, when there are some among them, is a join, which DuckDB does not keep in
    order, so they are put in order again."""
    selected = ", ".join(f"{_optional(f'r.{quote(c)}', True, 'r')} AS {quote(c)}"
                         for c in columns)
    if not refused:
        return f"SELECT {selected} FROM {rows} r"
    return (f"SELECT {selected} FROM {rows} r WHERE r.cw_line NOT IN "
            "(SELECT cw_line FROM bad) ORDER BY r.cw_line")


def _cut(table: str, lines: tuple[int, int]) -> str:
    return f"(SELECT * FROM {table} WHERE cw_line >= {int(lines[0])} AND cw_line < {int(lines[1])})"


def _added(line: str, optional: Collection[str]) -> str:
    """The screen's columns of ``results s``, the input line that of ``line``."""
    values = {name: f"s.{name}" for name in ADDED if name != LINE} | {LINE: f"{line}.cw_line"}
    return ", ".join(f"{_optional(sql, name in optional)} AS {name}"
                     for name, sql in values.items())


def _optional(sql: str, optional: bool, table: str = "s") -> str:
    """``sql``, written to Parquet as an optional column when ``optional``: DuckDB writes a
    column it knows holds no missing value as a required one."""
    return f"CASE WHEN {table}.cw_line < 0 THEN NULL ELSE {sql} END" if optional else sql


LINE = "input_line"
#: The columns the screen adds to every row, in order.
ADDED = (
    "resolved_brand", "resolved_model", "recall_status", "recall_ids",
    "possible_recall_ids", "missing_facts", "certificate_status", "advisory_codes", LINE,
)
