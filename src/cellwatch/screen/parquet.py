"""Joining Parquet files of one schema into one file, their row groups as they are.

The screen writes a large output in parts, one per core (each part's ``COPY`` runs on one
thread), and joins them here: the first part keeps its row groups, the others' row
groups are appended byte for byte after them, and one footer lists them all. Nothing
is decoded or compressed again, so joining costs about as much as copying the bytes.

A Parquet file is ``PAR1``, the column chunks (and, as DuckDB writes them, each column's
Bloom filter), the footer (a Thrift ``FileMetaData`` in the compact protocol), the
footer's length in four bytes and ``PAR1``. The footer is read here as a tree of numbered
fields (:class:`Struct`) without a schema, so that every field, including fields newer
than this code, is written back exactly as it was; only the fields that hold a byte
offset into the file, the row count and the row groups' ordinals are changed.

Parts that this cannot join safely are refused with :class:`NotJoinable` (the caller
then writes the output whole): encrypted files, columns kept in other files, and page
indexes (``OffsetIndex`` holds byte offsets of its own, which DuckDB does not write).
"""

from __future__ import annotations

import errno
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

MAGIC = b"PAR1"
_CHUNK = 16 * 1024 * 1024
#: copy_file_range cannot copy here (another file system, an old kernel): copy in chunks
_NO_KERNEL_COPY = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM}

# Thrift compact protocol types
_TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(
    1, 13
)
_INTEGERS = (_I16, _I32, _I64)

# parquet.thrift field ids
_META_SCHEMA, _META_ROWS, _META_ROW_GROUPS, _META_COLUMN_ORDERS = 2, 3, 4, 7
_META_ENCRYPTION, _META_SIGNING_KEY = 8, 9
_GROUP_COLUMNS, _GROUP_FILE_OFFSET, _GROUP_ORDINAL = 1, 5, 7
_CHUNK_PATH, _CHUNK_FILE_OFFSET, _CHUNK_META = 1, 2, 3
_CHUNK_OFFSET_INDEX, _CHUNK_COLUMN_INDEX, _CHUNK_CRYPTO, _CHUNK_ENCRYPTED = 4, 6, 8, 9
#: ColumnMetaData: data_page_offset, index_page_offset, dictionary_page_offset,
#: bloom_filter_offset
_COLUMN_OFFSETS = (9, 10, 11, 14)


class NotJoinable(ValueError):
    """The parts cannot be joined by appending row groups (see the module docstring)."""


@dataclass
class Field:
    id: int
    type: int
    value: Any


@dataclass
class Struct:
    """A Thrift struct as read: its fields in order, each with its id, type and value
    (an int, a bool, bytes, a :class:`Struct`, or a :class:`Sequence`)."""

    fields: list[Field]

    def get(self, field_id: int) -> Field | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def has(self, field_id: int) -> bool:
        return self.get(field_id) is not None


@dataclass
class Sequence:
    """A Thrift list or set (``type``), of elements of ``element`` type."""

    type: int
    element: int
    items: list[Any]


@dataclass
class Mapping:
    key: int
    value: int
    items: list[tuple[Any, Any]]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def byte(self) -> int:
        value = self.data[self.at]
        self.at += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            byte = self.byte()
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def take(self, size: int) -> bytes:
        if self.at + size > len(self.data):
            raise NotJoinable("the Parquet footer ends early")
        value = self.data[self.at:self.at + size]
        self.at += size
        return value

    def value(self, kind: int) -> Any:
        if kind in (_TRUE, _FALSE):  # inside a list: one byte
            return self.byte()
        if kind == _BYTE:
            return self.byte()
        if kind in _INTEGERS:
            return self.zigzag()
        if kind == _DOUBLE:
            return self.take(8)
        if kind == _BINARY:
            return self.take(self.varint())
        if kind in (_LIST, _SET):
            header = self.byte()
            size, element = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return Sequence(kind, element, [self.value(element) for _ in range(size)])
        if kind == _MAP:
            size = self.varint()
            if size == 0:
                return Mapping(0, 0, [])
            types = self.byte()
            key, value = types >> 4, types & 0x0F
            return Mapping(key, value, [(self.value(key), self.value(value)) for _ in range(size)])
        if kind == _STRUCT:
            return self.struct()
        raise NotJoinable(f"the Parquet footer holds an unknown Thrift type {kind}")

    def struct(self) -> Struct:
        fields: list[Field] = []
        last = 0
        while True:
            header = self.byte()
            if header == 0:
                return Struct(fields)
            delta, kind = header >> 4, header & 0x0F
            field_id = last + delta if delta else self.zigzag()
            if kind in (_TRUE, _FALSE):
                fields.append(Field(field_id, kind, kind == _TRUE))
            else:
                fields.append(Field(field_id, kind, self.value(kind)))
            last = field_id


class _Writer:
    def __init__(self) -> None:
        self.out = bytearray()

    def varint(self, n: int) -> None:
        while n >= 0x80:
            self.out.append((n & 0x7F) | 0x80)
            n >>= 7
        self.out.append(n)

    def zigzag(self, n: int) -> None:
        self.varint((n << 1) ^ (n >> 63))

    def value(self, kind: int, value: Any) -> None:
        if kind in (_TRUE, _FALSE, _BYTE):
            self.out.append(value)
        elif kind in _INTEGERS:
            self.zigzag(value)
        elif kind == _DOUBLE:
            self.out += value
        elif kind == _BINARY:
            self.varint(len(value))
            self.out += value
        elif kind in (_LIST, _SET):
            size = len(value.items)
            if size < 15:
                self.out.append(size << 4 | value.element)
            else:
                self.out.append(0xF0 | value.element)
                self.varint(size)
            for item in value.items:
                self.value(value.element, item)
        elif kind == _MAP:
            self.varint(len(value.items))
            if value.items:
                self.out.append(value.key << 4 | value.value)
                for key, item in value.items:
                    self.value(value.key, key)
                    self.value(value.value, item)
        else:
            self.struct(value)

    def struct(self, value: Struct) -> None:
        last = 0
        for f in value.fields:
            kind = (_TRUE if f.value else _FALSE) if f.type in (_TRUE, _FALSE) else f.type
            delta = f.id - last
            if 0 < delta <= 15:
                self.out.append(delta << 4 | kind)
            else:
                self.out.append(kind)
                self.zigzag(f.id)
            if f.type not in (_TRUE, _FALSE):
                self.value(f.type, f.value)
            last = f.id
        self.out.append(0)


def decode(data: bytes) -> Struct:
    """A Thrift struct in the compact protocol, as a tree of numbered fields."""
    try:
        return _Reader(data).struct()
    except IndexError:
        raise NotJoinable("the Parquet footer ends early") from None


def encode(value: Struct) -> bytes:
    writer = _Writer()
    writer.struct(value)
    return bytes(writer.out)


@dataclass
class Footer:
    """A Parquet file's ``FileMetaData`` and where it starts."""

    metadata: Struct
    start: int


def read_footer(path: Path) -> Footer:
    with path.open("rb") as stream:
        size = stream.seek(0, 2)
        if size < 12:
            raise NotJoinable(f"{path.name} is too short for a Parquet file")
        stream.seek(0)
        head = stream.read(4)
        stream.seek(size - 8)
        tail = stream.read(8)
        length = struct.unpack("<I", tail[:4])[0]
        start = size - 8 - length
        if head != MAGIC or tail[4:] != MAGIC or start < 4:
            raise NotJoinable(f"{path.name} is not a Parquet file")
        stream.seek(start)
        return Footer(decode(stream.read(length)), start)


def _field(value: Struct, field_id: int) -> Any:
    found = value.get(field_id)
    if found is None:
        raise NotJoinable(f"the Parquet footer has no field {field_id}")
    return found.value


def _shift(value: Struct, field_ids: tuple[int, ...], by: int) -> None:
    for f in value.fields:
        if f.id in field_ids and f.type in _INTEGERS and f.value >= len(MAGIC):
            f.value += by  # 0 is "not set" (DuckDB writes ColumnChunk.file_offset so)


def _row_groups(metadata: Struct, by: int, first_ordinal: int) -> list[Struct]:
    """The file's row groups with every byte offset moved ``by`` bytes, numbered on from
    ``first_ordinal``."""
    groups: list[Struct] = _field(metadata, _META_ROW_GROUPS).items
    for number, group in enumerate(groups, start=first_ordinal):
        _shift(group, (_GROUP_FILE_OFFSET,), by)
        ordinal = group.get(_GROUP_ORDINAL)
        if ordinal is not None:
            if number > 0x7FFF:
                raise NotJoinable("too many row groups to number")
            ordinal.value = number
        for chunk in _field(group, _GROUP_COLUMNS).items:
            if any(chunk.has(i) for i in (_CHUNK_PATH, _CHUNK_OFFSET_INDEX, _CHUNK_COLUMN_INDEX,
                                          _CHUNK_CRYPTO, _CHUNK_ENCRYPTED)):
                raise NotJoinable("a column chunk has a page index, an external file or a key")
            _shift(chunk, (_CHUNK_FILE_OFFSET,), by)
            _shift(_field(chunk, _CHUNK_META), _COLUMN_OFFSETS, by)
    return groups


def _shape(metadata: Struct) -> bytes:
    """The schema and column orders, as written: what parts must share."""
    return encode(Struct([f for f in metadata.fields
                          if f.id in (_META_SCHEMA, _META_COLUMN_ORDERS)]))


def join(first: Path, others: list[Path]) -> None:
    """Append the row groups of ``others``, in order, to ``first``: afterwards ``first``
    holds every row of them all, in order. Raise :class:`NotJoinable`, before ``first``
    is changed, when they do not share one schema or cannot be joined safely."""
    footer = read_footer(first)
    metadata = footer.metadata
    footers = [read_footer(path) for path in others]
    for path, found in zip((first, *others), (footer, *footers), strict=True):
        if found.metadata.has(_META_ENCRYPTION) or found.metadata.has(_META_SIGNING_KEY):
            raise NotJoinable(f"{path.name} is encrypted")
    if any(_shape(other.metadata) != _shape(metadata) for other in footers):
        raise NotJoinable("the parts do not share one schema")
    groups = _row_groups(metadata, 0, 0)  # the first's own list: extended in place
    rows = metadata.get(_META_ROWS)
    if rows is None:
        raise NotJoinable(f"{first.name} has no row count")
    end = footer.start
    for other in footers:
        groups += _row_groups(other.metadata, end - len(MAGIC), len(groups))
        rows.value += _field(other.metadata, _META_ROWS)
        end += other.start - len(MAGIC)
    encoded = encode(metadata)
    with first.open("r+b") as out:
        out.truncate(footer.start)
        out.seek(footer.start)
        for path, other in zip(others, footers, strict=True):
            _transfer(path, len(MAGIC), other.start - len(MAGIC), out)
        out.write(encoded)
        out.write(struct.pack("<I", len(encoded)))
        out.write(MAGIC)


def _transfer(path: Path, offset: int, size: int, out: BinaryIO) -> None:
    """Append ``size`` bytes of ``path`` from ``offset`` to ``out``: copied by the kernel
    where it can (``copy_file_range``), else read and written in chunks."""
    out.seek(0, os.SEEK_END)  # flushed: the kernel writes at the descriptor's position
    kernel_copy = getattr(os, "copy_file_range", None)  # Linux only
    with path.open("rb") as part:
        done = 0
        try:
            while kernel_copy is not None and done < size:
                moved = kernel_copy(part.fileno(), out.fileno(), size - done, offset + done)
                if not moved:
                    break
                done += moved
        except OSError as error:
            if error.errno not in _NO_KERNEL_COPY:
                raise
        out.seek(0, os.SEEK_END)
        part.seek(offset + done)
        while done < size:
            chunk = part.read(min(size - done, _CHUNK))
            if not chunk:
                raise NotJoinable(f"{path.name} ended early")
            out.write(chunk)
            done += len(chunk)


def append(first: Path, others: list[Path]) -> None:
    """Append the bytes of ``others``, in order, to ``first`` (CSV parts written without
    a header)."""
    with first.open("r+b") as out:
        for path in others:
            _transfer(path, 0, path.stat().st_size, out)
