"""Unpack an uploaded bundle archive (.zip, .tar, .tar.gz/.bz2/.xz) safely into a folder.

A bundle is a flat folder of known files; an archive may hold them at its root or inside
one top folder. Nothing in the archive decides where a byte is written:

- a member whose name is absolute, has a ``..`` part, a backslash or a drive letter is
  refused (zip slip), as are links, devices and any member that is not a regular file;
- only data files (``.csv``, ``.yaml``, ``.yml``) are written, under their bare name,
  into the given folder; other files (README, licences) are ignored;
- bytes are counted as they are decompressed, and unpacking stops as soon as the total
  passes ``max_bytes`` (a zip bomb is refused, whatever its headers claim), as it does
  past :data:`MAX_MEMBERS` members.

Every problem is returned as a :class:`~cellwatch.errors.BundleIssue`; an archive with any
problem is not read further.
"""

from __future__ import annotations

import io
import logging
import re
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from cellwatch.errors import BundleIssue

log = logging.getLogger(__name__)

MAX_MEMBERS = 256
_CHUNK = 64 * 1024
_DATA_SUFFIXES = (".csv", ".yaml", ".yml")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
ARCHIVE = "(archive)"


@dataclass(frozen=True)
class _Member:
    name: str
    regular: bool
    open: Callable[[], AbstractContextManager[IO[bytes]]]


class _Stop(Exception):
    """Unpacking cannot go on (too large, unreadable)."""


def unpack(archive: bytes, folder: Path, *, max_bytes: int) -> list[BundleIssue]:
    """Write the bundle files of ``archive`` into ``folder``; return every problem found."""
    issues: list[BundleIssue] = []
    try:
        members = list(_members(archive, max_bytes))
    except _Stop as stop:
        return [BundleIssue(ARCHIVE, "", "", str(stop))]
    files = members
    names: dict[str, str] = {}
    for member in files:
        problem = _unsafe(member)
        if problem:
            issues.append(BundleIssue(member.name, "", "", problem))
            continue
        parts = [p for p in PurePosixPath(member.name).parts if p != "."]
        if any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue  # macOS metadata, dotfiles
        names[member.name] = "/".join(parts)
    issues.extend(_layout_problems(names))
    if issues:
        return issues
    written: set[str] = set()
    total = 0
    for member in files:
        relative = names.get(member.name)
        if relative is None or not relative.endswith(_DATA_SUFFIXES):
            continue
        name = relative.rsplit("/", 1)[-1]
        if not _SAFE_NAME.match(name):
            issues.append(BundleIssue(member.name, "", "", "the file name has unsafe characters"))
            continue
        if name in written:
            issues.append(BundleIssue(member.name, "", "", f"{name} is in the archive twice"))
            continue
        written.add(name)
        try:
            total = _copy(member, folder / name, total, max_bytes)
        except _Stop as stop:
            return [BundleIssue(member.name, "", "", str(stop))]
    log.debug("unpacked %s files, %s bytes", len(written), total)
    return issues


def _unsafe(member: _Member) -> str | None:
    name = member.name
    if "\\" in name or "\0" in name:
        return "unsafe path: a backslash or NUL in the name"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "unsafe path: absolute"
    if ".." in PurePosixPath(name).parts:
        return "unsafe path: '..' leads out of the bundle"
    if not member.regular:
        return "not a regular file (a link or a device): refused"
    return None


def _layout_problems(names: dict[str, str]) -> list[BundleIssue]:
    """A flat bundle, or one top folder holding it; nothing nested deeper."""
    tops = {path.split("/")[0] for path in names.values() if "/" in path}
    flat = [path for path in names.values() if "/" not in path]
    problems = []
    nested = [path for path in names.values() if path.count("/") > 1]
    if len(tops) > 1 or (tops and flat and any(p.endswith(_DATA_SUFFIXES) for p in flat)):
        problems.append(
            BundleIssue(ARCHIVE, "", "", "the files must be at the root or in one folder")
        )
    for path in nested:
        if path.endswith(_DATA_SUFFIXES):
            problems.append(BundleIssue(path, "", "", "a bundle is flat: no folders inside it"))
    return problems


def _copy(member: _Member, target: Path, total: int, max_bytes: int) -> int:
    try:
        with member.open() as source, target.open("wb") as out:
            while chunk := source.read(_CHUNK):
                total += len(chunk)
                if total > max_bytes:
                    raise _Stop(f"the archive unpacks to more than {max_bytes:,} bytes: refused")
                out.write(chunk)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error) as error:
        raise _Stop(f"cannot be read: {error}") from None
    return total


def _members(archive: bytes, max_bytes: int) -> Iterator[_Member]:
    if archive[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        yield from _zip_members(archive)
        return
    try:
        tar = tarfile.open(fileobj=io.BytesIO(archive), mode="r:*")  # noqa: SIM115 (in memory)
    except (tarfile.TarError, EOFError, OSError):
        raise _Stop("not a .zip or .tar(.gz, .bz2, .xz) archive") from None
    count = 0
    try:
        for info in tar:
            count += 1
            if count > MAX_MEMBERS:
                raise _Stop(f"the archive has more than {MAX_MEMBERS} members: refused")
            if info.offset_data > max_bytes:
                raise _Stop(f"the archive unpacks to more than {max_bytes:,} bytes: refused")
            if info.isdir():
                continue
            yield _Member(info.name, info.isreg(), _tar_opener(tar, info))
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise _Stop(f"the archive is damaged: {error}") from None


def _tar_opener(
    tar: tarfile.TarFile, info: tarfile.TarInfo
) -> Callable[[], AbstractContextManager[IO[bytes]]]:
    def opener() -> AbstractContextManager[IO[bytes]]:
        handle = tar.extractfile(info)
        if handle is None:
            raise _Stop(f"{info.name}: cannot be read")
        return handle

    return opener


def _zip_members(archive: bytes) -> Iterator[_Member]:
    try:
        zipped = zipfile.ZipFile(io.BytesIO(archive))
        infos = zipped.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _Stop(f"the zip archive is damaged: {error}") from None
    if len(infos) > MAX_MEMBERS:
        raise _Stop(f"the archive has more than {MAX_MEMBERS} members: refused")
    for info in infos:
        if info.is_dir():
            continue
        mode = info.external_attr >> 16
        regular = stat.S_IFMT(mode) in (0, stat.S_IFREG)  # 0: no Unix type recorded
        yield _Member(info.filename, regular, _zip_opener(zipped, info))


def _zip_opener(
    zipped: zipfile.ZipFile, info: zipfile.ZipInfo
) -> Callable[[], AbstractContextManager[IO[bytes]]]:
    def opener() -> AbstractContextManager[IO[bytes]]:
        try:
            return zipped.open(info)
        except (RuntimeError, NotImplementedError, zipfile.BadZipFile) as error:
            raise _Stop(f"{info.filename}: cannot be read ({error})") from None

    return opener
