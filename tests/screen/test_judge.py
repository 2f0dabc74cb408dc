"""The judging SQL's own pieces: joining rows to their spelling's facts by hash."""

from __future__ import annotations

import duckdb
import pytest

from cellwatch.screen import judge


def _spellings(rows: list[tuple[str | None, str | None, str | None]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE spelling_keys (brand VARCHAR, model VARCHAR, certificate VARCHAR)")
    con.executemany("INSERT INTO spelling_keys VALUES (?, ?, ?)", rows)
    return con


def test_spellings_that_differ_hash_apart() -> None:
    """Missing values and texts that run together alike are still told apart."""
    con = _spellings([("acme", "PB-100", None), ("acme", None, "PB-100"),
                       (None, "acmePB-100", None), ("acmePB", "-100", None), ("", "", "")])
    assert judge._spelling_salt(con) == 0


def test_a_salt_that_collides_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where two spellings' hashes collide the next salt is tried; where every salt
    collides (the same spelling twice, which ``spelling_keys`` never holds) the screen
    stops rather than join rows to another spelling's facts."""
    con = _spellings([("acme", "PB-100", None), ("acme", "PB-200", None)])
    real = con.execute
    salts: list[str] = []

    class Colliding:
        """Salt 0 collides: its count of distinct hashes is short by one."""

        def execute(self, sql: str) -> duckdb.DuckDBPyConnection:
            salts.append(sql)
            if ", 0)" in sql:
                return real("SELECT false")
            return real(sql)

    assert judge._spelling_salt(Colliding()) == 1  # type: ignore[arg-type]
    assert len(salts) == 2
    twice = _spellings([("acme", "PB-100", None)] * 2)
    with pytest.raises(RuntimeError, match="collide under 8 salts"):
        judge._spelling_salt(twice)


def test_each_text_column_has_a_type_of_its_own_texts() -> None:
    """One ENUM per column of the screen's texts, of that column's values only (empty
    texts left out): with one ENUM for all of them, DuckDB wrote each column's Parquet
    pages as wide as the model names needed."""
    con = duckdb.connect()
    con.execute("CREATE TABLE unit_facts AS SELECT * FROM (VALUES "
                "('acme', 'PB-100', 'valid', 'a_code'), ('acme', 'PB-200', 'revoked', ''), "
                "(NULL, NULL, 'none', NULL)) "
                "t(resolved_brand, resolved_model, certificate_status, model_codes)")
    con.execute("CREATE TABLE line_results AS SELECT * FROM (VALUES "
                "('recalled', 'R1;R2', NULL, NULL, 'b_code'), "
                "('possibly_recalled', NULL, 'R3', 'serial', 'a_code;b_code')) "
                "t(recall_status, recall_ids, possible_recall_ids, missing_facts, "
                "advisory_codes)")
    judge._create_text_types(con)
    found = {column: con.execute(f"SELECT enum_range(NULL::{judge.text_type(column)})")
             .fetchone()[0] for column in judge.ADDED if column != judge.LINE}  # type: ignore[index]
    assert found == {
        "resolved_brand": ["acme"],
        "resolved_model": ["PB-100", "PB-200"],
        "recall_status": ["not_recalled", "possibly_recalled", "recalled", "unknown_model"],
        "recall_ids": ["R1;R2"],
        "possible_recall_ids": ["R3"],
        "missing_facts": ["serial"],
        "certificate_status": ["none", "revoked", "valid"],
        "advisory_codes": ["a_code", "a_code;b_code", "b_code"],
    }
