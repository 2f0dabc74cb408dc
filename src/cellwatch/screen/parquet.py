"""Joining Parquet files into one, their column chunks as they are: one after another
(:func:`join`), or side by side (:func:`stitch`).

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

Side by side: when the input is Parquet, the output's row groups are the input's, each
with the screen's columns beside the input's: the input's column chunks are copied as
they are, and only the screen's columns are written (:mod:`.output`).

Parts that this cannot join safely are refused with :class:`NotJoinable` (the caller
then writes the output whole): encrypted files and columns kept in other files. Page
indexes (``OffsetIndex`` holds byte offsets of its own, which DuckDB does not write) are
refused by :func:`join`, and left out by :func:`stitch` (they only speed up reading).
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
_META_VERSION, _META_CREATED_BY = 1, 6
_META_ENCRYPTION, _META_SIGNING_KEY = 8, 9
_SCHEMA_REPETITION, _SCHEMA_NAME, _SCHEMA_CHILDREN, _OPTIONAL = 3, 4, 5, 1
_GROUP_COLUMNS, _GROUP_BYTES, _GROUP_ROWS, _GROUP_SORTING = 1, 2, 3, 4
_GROUP_FILE_OFFSET, _GROUP_COMPRESSED, _GROUP_ORDINAL = 5, 6, 7
_CHUNK_PATH, _CHUNK_FILE_OFFSET, _CHUNK_META = 1, 2, 3
_CHUNK_OFFSET_INDEX, _CHUNK_COLUMN_INDEX, _CHUNK_CRYPTO, _CHUNK_ENCRYPTED = 4, 6, 8, 9
#: ColumnChunk: offset_index_offset and _length, column_index_offset and _length
_CHUNK_PAGE_INDEX = (4, 5, 6, 7)
#: ColumnMetaData: data_page_offset, index_page_offset, dictionary_page_offset,
#: bloom_filter_offset
_COLUMN_OFFSETS = (9, 10, 11, 14)
_COLUMN_COMPRESSED, _COLUMN_DATA, _COLUMN_INDEX_PAGE, _COLUMN_DICTIONARY = 7, 9, 10, 11
_COLUMN_BLOOM, _COLUMN_BLOOM_LENGTH = 14, 15


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


def _encrypted(path: Path, metadata: Struct) -> None:
    if metadata.has(_META_ENCRYPTION) or metadata.has(_META_SIGNING_KEY):
        raise NotJoinable(f"{path.name} is encrypted")


def join(first: Path, others: list[Path]) -> None:
    """Append the row groups of ``others``, in order, to ``first``: afterwards ``first``
    holds every row of them all, in order. Raise :class:`NotJoinable`, before ``first``
    is changed, when they do not share one schema or cannot be joined safely."""
    footer = read_footer(first)
    metadata = footer.metadata
    footers = [read_footer(path) for path in others]
    for path, found in zip((first, *others), (footer, *footers), strict=True):
        _encrypted(path, found.metadata)
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


# -- side by side -----------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """Row group ``group`` of the Parquet file at ``path`` (its footer read)."""

    path: Path
    footer: Footer
    group: int

    def row_group(self) -> Struct:
        groups: list[Struct] = _field(self.footer.metadata, _META_ROW_GROUPS).items
        return groups[self.group]


def row_counts(footer: Footer) -> list[int]:
    """The rows of each of the file's row groups, in order."""
    return [_field(g, _GROUP_ROWS) for g in _field(footer.metadata, _META_ROW_GROUPS).items]


def optional_columns(footer: Footer) -> set[str]:
    """The names of the file's top-level columns that are optional (may be missing)."""
    elements: list[Struct] = _field(footer.metadata, _META_SCHEMA).items
    found: set[str] = set()
    at = 1
    for _ in range(_field(elements[0], _SCHEMA_CHILDREN)):
        element = elements[at]
        if element.get(_SCHEMA_REPETITION) and _field(element, _SCHEMA_REPETITION) == _OPTIONAL:
            found.add(_field(element, _SCHEMA_NAME).decode("utf-8", "replace"))
        at = _after(elements, at)
    return found


def _after(elements: list[Struct], at: int) -> int:
    """The index of the element after element ``at`` and all its descendants."""
    children = elements[at].get(_SCHEMA_CHILDREN)
    at += 1
    for _ in range(children.value if children else 0):
        at = _after(elements, at)
    return at


def _children(footers: list[Footer]) -> list[Struct]:
    """The schema elements under the root of each file, one after another."""
    return [e for f in footers for e in _field(f.metadata, _META_SCHEMA).items[1:]]


#: SchemaElement: type, type_length, repetition_type, name, num_children, scale, precision
#: (field_id is the schema's own); the converted and the logical type
_LAYOUT, _CONVERTED, _LOGICAL = (1, 2, 3, 4, 5, 7, 8), 6, 10
#: (type, converted type) that say no more than the type: INT32 as INT_32, INT64 as INT_64
_PLAIN = {(1, 17), (2, 18)}


def _converted(element: Struct) -> int | None:
    kind, converted = element.get(1), element.get(_CONVERTED)
    if converted is None or (kind and (kind.value, converted.value) in _PLAIN):
        return None
    return int(converted.value)


def _fits(element: Struct, wanted: Struct) -> bool:
    """Whether a column written under schema element ``element`` reads right under
    ``wanted``: the same physical layout and annotations, except that a logical type may
    be missing on one side where the converted type says the same (DuckDB writes strings
    as UTF8 only, Arrow adds the String logical type), and that a 64-bit integer may or
    may not say it is one (DuckDB does, Arrow does not)."""
    if any(element.get(i) != wanted.get(i) for i in _LAYOUT):
        return False
    if _converted(element) != _converted(wanted):
        return False
    mine, theirs = element.get(_LOGICAL), wanted.get(_LOGICAL)
    if mine is not None and theirs is not None:
        return bool(mine.value == theirs.value)
    return mine == theirs or _converted(element) is not None


def stitch(output: Path, schema: list[Footer], groups: list[list[Side]]) -> None:
    """Write ``output``: row group *n* holds the column chunks of ``groups[n]``'s sides, in
    order (each side one row group of a file, all with as many rows), copied as they are.

    The schema is that of the files of ``schema``, one after another under the first's
    root; every entry of ``groups`` must fit it (:func:`_fits`). Raise
    :class:`NotJoinable` when one does not, when the rows of one entry's sides differ, or
    a file is encrypted or names another file; ``output`` is then half written, and the
    caller writes it another way.

    The footer is new: the row groups list the copied chunks at their new places (each
    with its Bloom filter, without page indexes); the version is the newest of the
    files'; ``created_by`` is the first file's, whose writer wrote most of the chunks (a
    reader that distrusts an old writer's statistics then distrusts them all, which is
    safe); key-value metadata (an Arrow schema, say, which would no longer describe the
    file) is left out."""
    if not groups:
        raise NotJoinable("there are no row groups to stitch")
    shape = _children(schema)
    for sides in groups:
        found = _children([side.footer for side in sides])
        if len(found) != len(shape) or not all(map(_fits, found, shape)):
            raise NotJoinable("the row groups do not share one schema")
    files = {side.path: side.footer.metadata for sides in groups for side in sides}
    for path, metadata in files.items():
        _encrypted(path, metadata)
    root = _field(schema[0].metadata, _META_SCHEMA).items[0]
    top = sum(_field(_field(f.metadata, _META_SCHEMA).items[0], _SCHEMA_CHILDREN)
              for f in schema)  # columns, not their nested fields
    root = Struct([Field(f.id, f.type, top if f.id == _SCHEMA_CHILDREN else f.value)
                   for f in root.fields])
    row_groups: list[Struct] = []
    with output.open("wb") as out:
        out.write(MAGIC)
        for ordinal, sides in enumerate(groups):
            row_groups.append(_stitched(out, sides, ordinal))
        versions = [_field(m, _META_VERSION) for m in (*files.values(),
                                                        *(f.metadata for f in schema))]
        fields = [
            Field(_META_VERSION, _I32, max(versions)),
            Field(_META_SCHEMA, _LIST, Sequence(_LIST, _STRUCT, [root, *shape])),
            Field(_META_ROWS, _I64, sum(_field(g, _GROUP_ROWS) for g in row_groups)),
            Field(_META_ROW_GROUPS, _LIST, Sequence(_LIST, _STRUCT, row_groups)),
        ]
        created_by = schema[0].metadata.get(_META_CREATED_BY)
        if created_by is not None:
            fields.append(created_by)
        orders = [f.metadata.get(_META_COLUMN_ORDERS) for f in schema]
        if all(orders):
            fields.append(Field(_META_COLUMN_ORDERS, _LIST, Sequence(_LIST, _STRUCT, [
                order for found in orders if found for order in found.value.items])))
        encoded = encode(Struct(fields))
        out.write(encoded)
        out.write(struct.pack("<I", len(encoded)))
        out.write(MAGIC)


def _stitched(out: BinaryIO, sides: list[Side], ordinal: int) -> Struct:
    """Copy the column chunks of ``sides`` to the end of ``out``; their row group there."""
    columns: list[Struct] = []
    rows = set()
    total = compressed = 0
    start = out.seek(0, os.SEEK_END)
    for side in sides:
        group = side.row_group()
        rows.add(_field(group, _GROUP_ROWS))
        total += _field(group, _GROUP_BYTES)
        for chunk in _field(group, _GROUP_COLUMNS).items:
            moved, size = _move(out, side.path, chunk)
            columns.append(moved)
            compressed += size
    if len(rows) != 1:
        raise NotJoinable(f"row group {ordinal}'s sides hold different numbers of rows")
    fields = [
        Field(_GROUP_COLUMNS, _LIST, Sequence(_LIST, _STRUCT, columns)),
        Field(_GROUP_BYTES, _I64, total),
        Field(_GROUP_ROWS, _I64, rows.pop()),
    ]
    sorting = sides[0].row_group().get(_GROUP_SORTING)  # indexes of the first side's columns
    if sorting is not None:
        fields.append(sorting)
    return Struct([*fields, Field(_GROUP_FILE_OFFSET, _I64, start),
                   Field(_GROUP_COMPRESSED, _I64, compressed),
                   Field(_GROUP_ORDINAL, _I16, min(ordinal, 0x7FFF))])


def _move(out: BinaryIO, path: Path, chunk: Struct) -> tuple[Struct, int]:
    """Copy a column chunk's pages (and its Bloom filter) from ``path`` to the end of
    ``out``; the chunk's metadata with its offsets moved, and its pages' size."""
    if chunk.has(_CHUNK_PATH) or chunk.has(_CHUNK_CRYPTO) or chunk.has(_CHUNK_ENCRYPTED):
        raise NotJoinable("a column chunk is kept in another file, or encrypted")
    meta: Struct = _field(chunk, _CHUNK_META)
    size = _field(meta, _COLUMN_COMPRESSED)
    offsets = [f.value for f in meta.fields
               if f.id in (_COLUMN_DATA, _COLUMN_DICTIONARY) and f.value >= len(MAGIC)]
    if not offsets:
        raise NotJoinable("a column chunk has no data page")
    begin = min(offsets)
    index_page = meta.get(_COLUMN_INDEX_PAGE)
    if index_page is not None and not begin <= index_page.value < begin + size:
        raise NotJoinable("a column chunk's index page lies outside it")
    at = out.seek(0, os.SEEK_END)
    _transfer(path, begin, size, out)
    by = at - begin
    moved = {_COLUMN_DATA, _COLUMN_INDEX_PAGE, _COLUMN_DICTIONARY}
    fields = [Field(f.id, f.type, f.value + by) if f.id in moved and f.value >= len(MAGIC)
              else f for f in meta.fields]
    bloom, length = meta.get(_COLUMN_BLOOM), meta.get(_COLUMN_BLOOM_LENGTH)
    if bloom is not None and length is not None:  # after the pages
        _transfer(path, bloom.value, length.value, out)
        fields = [Field(f.id, f.type, at + size) if f.id == _COLUMN_BLOOM else f
                  for f in fields]
    elif bloom is not None:  # of unknown length: it cannot be copied without reading it
        fields = [f for f in fields if f.id != _COLUMN_BLOOM]
    return Struct([
        Field(f.id, f.type, Struct(fields)) if f.id == _CHUNK_META
        else Field(f.id, f.type, f.value + by)
        if f.id == _CHUNK_FILE_OFFSET and f.value >= len(MAGIC) else f
        for f in chunk.fields if f.id not in _CHUNK_PAGE_INDEX
    ]), size
