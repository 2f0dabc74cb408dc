"""How the CLI prints: Rich for people, JSON for scripts, one-line errors."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape

console = Console(soft_wrap=False)
errors = Console(stderr=True)


def print_json(value: Any) -> None:
    """Write ``value`` as JSON on stdout (UTF-8, no Rich markup)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


def fail(message: str) -> None:
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)


def page_meta(total: int, limit: int, skip: int, version: int) -> dict[str, Any]:
    return {"total": total, "limit": limit, "skip": skip, "registry_version": version}
