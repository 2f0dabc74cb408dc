"""The judging SQL's own pieces: joining rows to their spelling's facts by hash."""

from __future__ import annotations

import duckdb
import pytest

from cellwatch.screen import judge


def _unit_facts(rows: list[tuple[str | None, str | None, str | None]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE unit_facts (brand VARCHAR, model VARCHAR, certificate VARCHAR)")
    con.executemany("INSERT INTO unit_facts VALUES (?, ?, ?)", rows)
    return con


def test_spellings_that_differ_hash_apart() -> None:
    """Missing values and texts that run together alike are still told apart."""
    con = _unit_facts([("acme", "PB-100", None), ("acme", None, "PB-100"),
                       (None, "acmePB-100", None), ("acmePB", "-100", None), ("", "", "")])
    assert judge._spelling_salt(con) == 0


def test_a_salt_that_collides_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where two spellings' hashes collide the next salt is tried; where every salt
    collides (the same spelling twice, which ``unit_facts`` never holds) the screen
    stops rather than join rows to another spelling's facts."""
    con = _unit_facts([("acme", "PB-100", None), ("acme", "PB-200", None)])
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
    twice = _unit_facts([("acme", "PB-100", None)] * 2)
    with pytest.raises(RuntimeError, match="collide under 8 salts"):
        judge._spelling_salt(twice)
