"""``screen()``: an inventory file and a registry snapshot → an output file, an errors file
and a :class:`~cellwatch.screen.summary.Summary`.

Stages (each reported to the ``progress`` callback): read the input, map its columns,
compute the per-value facts with the check's own functions, judge every row in SQL, write
the output (CSV or Parquet, by extension, via DuckDB ``COPY``) and the errors file (CSV:
``line``, ``column``, ``value``, ``message``; written even when empty).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from cellwatch.domain.registry import Registry
from cellwatch.errors import InputError
from cellwatch.folders import check_folder, make_folder
from cellwatch.screen import facts, judge, parquet, selection
from cellwatch.screen.fields import ColumnMap, Field, map_columns
from cellwatch.screen.flatten import load_scopes
from cellwatch.screen.output import (
    InputColumns,
    output_kind,
    scalar,
    write,
    write_beside,
    write_beside_input_columns,
    write_input_columns,
)
from cellwatch.screen.source import Kind, Loaded, kind_of, literal, load
from cellwatch.screen.summary import Summary, tally

log = logging.getLogger(__name__)

#: ``progress(stage, step, steps)``: called as each stage starts, and with step == steps at
#: the end.
Progress = Callable[[str, int, int], None]

STAGES = ("read", "map columns", "registry facts", "judge", "write", "summarise")


@dataclass(frozen=True)
class ScreenOptions:
    """How to screen: the date, explicit column mapping, where to write, DuckDB's means."""

    date: dt.date = field(default_factory=dt.date.today)
    overrides: Mapping[str, Field] = field(default_factory=dict)
    output: Path | None = None
    errors: Path | None = None
    #: A workbook's worksheet, by name or number (1 for the first); ``None``: the first
    sheet: str | None = None
    #: Codes of :mod:`.selection`: the output keeps only the rows whose recall status,
    #: certificate status or an advisory code is one of them; empty: every good row
    only: tuple[str, ...] = ()
    threads: int | None = None
    #: DuckDB's memory for the screen (it spills to a temporary folder beyond it); the
    #: registry snapshot lives outside it, in Python
    memory_limit: str | None = "2GB"
    #: The output is written in parts on every core, each of at least this many rows,
    #: then joined (:mod:`.parquet`): DuckDB writes one part on one core only.
    part_rows: int = 1_000_000


def default_output(path: Path) -> Path:
    """Next to the input: ``stock.csv`` → ``stock.screened.csv`` (Parquet stays Parquet)."""
    suffix = ".parquet" if kind_of(path) is Kind.PARQUET else ".csv"
    return path.with_name(f"{path.stem}.screened{suffix}")


def errors_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.errors.csv")


#: DuckDB checkpoints an in-memory database too once 16 MiB have been written since the
#: last one, compressing every table written meanwhile, and the statement that commits
#: next waits for it. A screen's tables live for one screen: the benchmark's screen spent
#: 0.3-0.5 s so (a 101k-row insert took 0.37 s rather than 0.04 s), for nothing.
NO_CHECKPOINT = "1TB"


def _connect(workdir: Path, options: ScreenOptions) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool | int | float | list[str]] = {
        "temp_directory": str(workdir / "spill"), "checkpoint_threshold": NO_CHECKPOINT,
    }
    if options.threads:
        config["threads"] = options.threads
    if options.memory_limit:
        config["memory_limit"] = options.memory_limit
    try:
        return duckdb.connect(":memory:", config=config)
    except duckdb.Error as error:
        raise InputError(f"DuckDB refused the settings {config}: {error}") from None


def screen(
    path: Path, registry: Registry, options: ScreenOptions | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Screen every row of ``path`` against ``registry``; raise :class:`InputError` on bad
    input before anything is written."""
    options = options or ScreenOptions()
    output = options.output or default_output(path)
    kind = output_kind(output)
    errors = options.errors or errors_path(output)
    only = selection.parse_only(options.only)
    if output.resolve() == path.resolve() or errors.resolve() == path.resolve():
        raise InputError(f"the output would overwrite the input {path.name}")
    for written in (output, errors):
        check_folder(written.parent)
    report = progress or (lambda stage, step, steps: None)
    marks: list[tuple[str, float]] = []
    started = time.perf_counter()

    def stage(name: str) -> None:
        marks.append((name, time.perf_counter()))
        report(name, STAGES.index(name), len(STAGES))

    with tempfile.TemporaryDirectory(prefix="cellwatch-screen-") as temporary:
        workdir = Path(temporary)
        con = _connect(workdir, options)
        try:
            stage("read")
            loaded = load(con, path, workdir, options.sheet)
            stage("map columns")
            usable = [c for c in loaded.columns if c not in judge.ADDED]
            mapping = map_columns(usable, options.overrides, loaded.others())
            con.execute(
                "CREATE TABLE bad_lines AS SELECT unnest(?::BIGINT[]) AS cw_line, "
                "unnest(?::VARCHAR[]) AS message",
                [[b.line for b in loaded.bad], [b.message for b in loaded.bad]],
            )
            stage("registry facts")
            keys = load_scopes(con, registry)
            facts.load_dates(con, mapping.get(Field.PRODUCED), dt.date.today())
            facts.load_spellings(con, mapping)
            brands = facts.load_spelling_keys(con, registry)
            # the refused values and each row's spelling key need no answer of the
            # registry's: found on the core the check's Python leaves idle; then, for a
            # Parquet output, the columns of an input not read from a Parquet file (Excel,
            # or CSV with lines to count in), written while the rows are judged
            ahead = (kind == "parquet" and loaded.lines is not None and loaded.parquet is None
                     and not only)
            with _beside(
                con, (_refused_and_row_keys, mapping),
                (_input_columns, usable if ahead else None, loaded.lines, workdir),
            ) as (rows, early):
                with _beside_python(con):
                    facts.load_unit_facts(con, registry, keys, brands, options.date)
                rows.result()
                stage("judge")
                judge.create_candidates(con, mapping)
                judge.create_keys(con, facts.load_text_keys(con))
                judge.create_judgements(con, options.date)
                judge.create_line_results(con)
                judge.create_results(con)
                written = early.result()
            stage("write")
            kept = selection.kept_sql(only)
            with _finished(output, errors) as (output_part, errors_part), _beside(
                con, (_write_errors_and_tally, errors_part)
            ) as (counting,):
                _write(con, loaded, usable, output_part, kind, workdir, options.part_rows,
                       written, kept)
            stage("summarise")
            counted = counting.result()
            bad = scalar(con, "SELECT count(*) FROM bad")
            output_rows = scalar(
                con, f"SELECT count(*) FROM results s WHERE {selection.written_sql(kept)}")
        finally:
            con.close()
    ended = time.perf_counter()
    stages = {
        name: (marks[i + 1][1] if i + 1 < len(marks) else ended) - at
        for i, (name, at) in enumerate(marks)
    }
    screened = sum(counted["statuses"].values())
    log.info("screened %s rows of %s (%s bad) in %.1f s", screened, path.name, bad,
             ended - started)
    report("done", len(STAGES), len(STAGES))
    return Summary(
        input=str(path), kind=loaded.kind.value, encoding=loaded.encoding,
        sheet=loaded.sheet.name if loaded.sheet else None,
        columns=mapping.as_dict(), date=options.date, registry_version=registry.version,
        rows=screened + bad, screened=screened, bad_rows=bad, output=str(output),
        errors=str(errors), seconds=ended - started, stages=stages,
        only=list(only), output_rows=output_rows, **counted,
    )


@contextmanager
def _finished(*paths: Path) -> Iterator[tuple[Path, ...]]:
    """Part files to write ``paths`` under (``stock.screened.csv.part``), each moved to its
    name once the body is done, and all removed if it fails: a reader never finds a
    half-written output, nor an errors file without its output."""
    parts = tuple(path.with_name(f"{path.name}.part") for path in paths)
    for path in paths:
        make_folder(path.parent)
    try:
        yield parts
        for part, path in zip(parts, paths, strict=True):
            part.replace(path)
    except BaseException:
        for part in parts:
            part.unlink(missing_ok=True)
        raise


#: Python's switch interval while the check's Python runs beside DuckDB (its default is
#: 5 ms): see :func:`_beside_python`.
SWITCH_SECONDS = 0.0002


class _PythonPhase:
    """While any screen of the process is in :func:`_beside_python`: Python's switch
    interval at :data:`SWITCH_SECONDS`, and its cyclic garbage collector paused; once none
    is, both as they were (screens may run on several threads of one process: the last to
    leave puts them back).

    The collector: the check's Python makes several hundred thousand objects that live
    until the screen ends (each answer, remembered), and a snapshot's objects are frozen
    out of the collector's sight (:mod:`cellwatch.snapshot`), so it counted them as most
    of what it watched and looked through them all again and again: a process's second
    and third screens of the benchmark spent 0.9-1.3 s in 5-11 full collections, its
    first 0.13 s. They hold no cycles worth collecting meanwhile; what does is collected
    once the collector runs again."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0
        self.saved = 0.0
        self.collecting = True

    @contextmanager
    def entered(self) -> Iterator[None]:
        with self.lock:
            if self.users == 0:
                self.saved, self.collecting = sys.getswitchinterval(), gc.isenabled()
                sys.setswitchinterval(SWITCH_SECONDS)
                gc.disable()
            self.users += 1
        try:
            yield
        finally:
            with self.lock:
                self.users -= 1
                if self.users == 0:
                    sys.setswitchinterval(self.saved)
                    if self.collecting:
                        gc.enable()


_PYTHON = _PythonPhase()


@contextmanager
def _beside_python(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The body is the check's Python, with SQL running beside it on another cursor:
    DuckDB is held to one thread, so that the SQL takes the core the Python leaves idle
    rather than a share of the Python's (what is left of it afterwards has every thread
    again: a CSV input's columns written ahead took 2 s longer on one thread throughout);
    and Python hands the GIL over sooner (:class:`_PythonPhase`), since DuckDB's
    Python client takes it back between the tasks of a query (to look for an interrupt):
    at the default 5 ms the benchmark's SQL beside the Python took twice as long
    (``row_keys`` 2.4-2.5 s against 1.3 s, ``row_errors`` 1.5 s against 0.7-0.8 s)."""
    [(threads,)] = con.execute("SELECT current_setting('threads')").fetchall()
    con.execute("SET threads = 1")
    try:
        with _PYTHON.entered():
            yield
    finally:
        con.execute(f"SET threads = {int(threads)}")


@contextmanager
def _beside(
    con: duckdb.DuckDBPyConnection, *works: tuple[Any, ...]
) -> Iterator[tuple[Future[Any], ...]]:
    """Each ``(work, *args)`` of ``works``, in turn, as ``work(cursor, *args)`` on a second
    cursor of ``con``, on a thread, while the body runs; their futures, each done (or
    its error raised) when the body is left. A work that fails cancels those after it
    (they may need what it makes), and so does a body that fails: what is running then
    finishes, what is not does not start.

    DuckDB lets go of the GIL while it works, so SQL that needs none of the body's tables
    uses the core that the body's Python, or a single-threaded ``COPY``, leaves idle."""
    futures: tuple[Future[Any], ...] = tuple(Future() for _ in works)

    def in_turn() -> None:
        for (work, *args), future in zip(works, futures, strict=True):
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(work(cursor, *args))
            except BaseException as error:
                future.set_exception(error)
                for later in futures:
                    later.cancel()  # only those not started

    cursor = con.cursor()
    thread = threading.Thread(target=in_turn, name="screen-beside")
    thread.start()
    try:
        yield futures
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    finally:
        thread.join()  # what is running finishes before its cursor closes
        cursor.close()
    for future in futures:
        future.result()


def _refused_and_row_keys(con: duckdb.DuckDBPyConnection, mapping: ColumnMap) -> None:
    """``row_keys``, ``row_errors`` and ``bad``: they need only the input and the
    spellings."""
    judge.create_row_keys(con, mapping)
    judge.create_errors(con, mapping)


def _input_columns(
    con: duckdb.DuckDBPyConnection, columns: list[str] | None, lines: str | None,
    workdir: Path,
) -> InputColumns | None:
    """The input's ``columns``, when given, written ahead of the screen's
    (:func:`write_input_columns`; it leaves out the rows in ``bad``)."""
    if columns is None or lines is None:
        return None
    return write_input_columns(con, columns, lines, workdir)


def _write(
    con: duckdb.DuckDBPyConnection, loaded: Loaded, columns: list[str], path: Path,
    kind: str, workdir: Path, part_rows: int, written: InputColumns | None,
    kept: str | None,
) -> None:
    """The output (:mod:`.output`): a Parquet output beside the column chunks of the
    Parquet file the input was read from (a Parquet input, a CSV input's records) or
    beside its columns written ahead (an Excel input) where it can be, else in parts;
    in parts too when only the rows that meet ``kept`` are written (:mod:`.selection`)."""
    typed = loaded.parquet is not None and kind == "parquet"
    if kept:
        write(con, columns, path, kind, workdir, part_rows, "typed" if typed else "raw", kept)
        return
    try:
        if typed and loaded.parquet and columns == loaded.columns:
            # no input column is named as one we add
            write_beside(con, loaded.parquet, columns, path, workdir)
            return
        if written is not None:
            write_beside_input_columns(con, written, path, workdir)
            return
    except parquet.NotJoinable as reason:
        log.info("the output cannot be written beside the input's columns (%s): "
                 "writing it in parts", reason)
    write(con, columns, path, kind, workdir, part_rows, "typed" if typed else "raw")


def _write_errors_and_tally(con: duckdb.DuckDBPyConnection, errors: Path) -> dict[str, Any]:
    """The errors file, and the summary's counts (:func:`tally`): they need ``results``,
    not the output file, so they run beside its ``COPY``."""
    _write_errors(con, errors)
    return tally(con)


def _write_errors(con: duckdb.DuckDBPyConnection, errors: Path) -> None:
    con.execute(
        "COPY (SELECT cw_line AS line, column_name AS \"column\", value, message FROM ("
        "SELECT cw_line, NULL::VARCHAR AS column_name, NULL::VARCHAR AS value, message "
        "FROM bad_lines UNION ALL SELECT * FROM row_errors) ORDER BY cw_line, column_name) "
        f"TO {literal(str(errors))} (FORMAT csv, HEADER)"
    )
