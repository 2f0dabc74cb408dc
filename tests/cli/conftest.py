"""Run the real ``cellwatch`` entry point in-process against the test database."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cellwatch.cli import output
from cellwatch.cli.app import main


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        try:
            return json.loads(self.out)
        except json.JSONDecodeError:
            raise AssertionError(f"not JSON (exit {self.code}): {self.out!r} {self.err!r}") from None


Cli = Callable[..., Outcome]


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Cli:
    monkeypatch.setenv("CELLWATCH_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> Outcome:
        monkeypatch.setattr(sys, "argv", ["cellwatch", *args])
        # Rich reads COLUMNS once, as a console is made, when it is set then (pytest-xdist
        # sets it in its workers): the width a test asks for, whenever it asks
        width = int(os.environ["COLUMNS"])
        monkeypatch.setattr(output.console, "width", width)
        monkeypatch.setattr(output.errors, "width", width)
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run
