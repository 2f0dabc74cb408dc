"""Each part of cellwatch imports on its own, first in a fresh interpreter (no import
cycle hidden by the order in which the app happens to import things)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import cellwatch

PARTS = [
    *sorted(
        f"cellwatch.{module.name}"
        for module in pkgutil.iter_modules(cellwatch.__path__)
        if module.name != "__main__"  # runs the CLI
    ),
    "cellwatch.web.messages",
    "cellwatch.api.schemas",
]


@pytest.mark.parametrize("module", PARTS)
def test_imports_first(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
