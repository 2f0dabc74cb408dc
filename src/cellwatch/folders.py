"""Folders cellwatch writes files into: checked before the work starts, made when missing,
or an :class:`InputError` that says why not (a file in the way, no permission)."""

from __future__ import annotations

import os
from pathlib import Path

from cellwatch.errors import InputError


def check_folder(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` is a folder that can be written into, or
    could be made: its nearest existing ancestor is a folder that can be written into.
    Nothing is made."""
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"{existing}: is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{existing}: cannot write into this folder")


def make_folder(path: Path) -> Path:
    """``path`` as a folder to write into, made with its parents when missing."""
    check_folder(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{path}: cannot make the folder ({error.strerror})") from None
    return path
