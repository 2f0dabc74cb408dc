"""Which input column holds which fact of a unit: automatic for obvious headers, else ``--map``.

The facts are those of the single check's :class:`~cellwatch.check.inputs.Device` that a
list of units carries: brand, model, serial, batch, production date and the 3C certificate
number. Headers are compared after folding case, spaces, ``-``, ``_`` and ``.``; English
and Chinese names are known (``品牌``, ``型号``, ``序列号``/``SN``, ``批次``/``批号``,
``生产日期``, ``证书编号``…). ``model`` is required; the others are optional.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from cellwatch.errors import InputError


class Field(StrEnum):
    BRAND = "brand"
    MODEL = "model"
    SERIAL = "serial"
    BATCH = "batch"
    PRODUCED = "produced"
    CERTIFICATE = "certificate"


REQUIRED = (Field.MODEL,)

#: Header names recognised without ``--map``, folded by :func:`fold_header`.
ALIASES: dict[Field, tuple[str, ...]] = {
    Field.BRAND: (
        "brand", "brandname", "brand name", "make", "manufacturer", "vendor",
        "品牌", "品牌名称", "品牌名", "厂商", "厂家", "牌子",
    ),
    Field.MODEL: (
        "model", "modelno", "model no", "model number", "model code", "modelcode", "product model",
        "型号", "产品型号", "规格型号", "型号规格",
    ),
    Field.SERIAL: (
        "serial", "sn", "s/n", "serial no", "serial number", "serialnumber",
        "序列号", "产品序列号", "编号", "sn码", "机身编号",
    ),
    Field.BATCH: (
        "batch", "batch no", "batch code", "batch number", "lot", "lot no", "lot number",
        "批次", "批号", "批次号", "生产批次", "生产批号",
    ),
    Field.PRODUCED: (
        "produced", "production date", "manufacture date", "manufactured", "date of manufacture",
        "mfg date", "mfd", "生产日期", "制造日期", "出厂日期",
    ),
    Field.CERTIFICATE: (
        "certificate", "ccc", "ccc certificate", "ccc certificate number", "3c", "3c certificate",
        "certificate number", "证书编号", "3c证书编号", "ccc证书编号", "认证证书编号", "证书号",
    ),
}

_SEPARATORS = re.compile(r"[\s\-_.:：()（）]+")


def fold_header(name: str) -> str:
    """A header as compared: width, case, spaces and ``- _ . : ( )`` ignored."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", name)).casefold()


_KNOWN: dict[str, Field] = {
    fold_header(alias): field for field, names in ALIASES.items() for alias in names
}


@dataclass(frozen=True)
class ColumnMap:
    """Each fact and the input column it is read from (facts the input lacks are absent)."""

    columns: Mapping[Field, str]

    def get(self, field: Field) -> str | None:
        return self.columns.get(field)

    def as_dict(self) -> dict[str, str]:
        return {field.value: column for field, column in self.columns.items()}


def parse_overrides(items: Iterable[str]) -> dict[str, Field]:
    """``column=field`` items (``--map``) as a mapping of column to field."""
    found: dict[str, Field] = {}
    known = ", ".join(f.value for f in Field)
    for item in items:
        column, sep, field = item.rpartition("=")
        column, field = column.strip(), field.strip().lower()
        if not sep or not column or not field:
            raise InputError(f"--map {item!r}: write it as column=field (field one of {known})")
        try:
            found[column] = Field(field)
        except ValueError:
            raise InputError(f"--map {item!r}: unknown field {field!r} (one of {known})") from None
    return found


#: The name under which the screen's SQL keeps each input row's line: no input column may
#: have it (DuckDB compares names without case)
LINE_COLUMN = "cw_line"


def map_columns(
    headers: Sequence[str], overrides: Mapping[str, Field] | None = None, about: str = ""
) -> ColumnMap:
    """Decide which column holds which fact; raise :class:`InputError` naming the problem,
    and ``about`` the input (a workbook's other sheets, say).

    Explicit ``overrides`` (column → field) win; the other fields are found by header name.
    A column named in an override must exist; two columns may not hold the same fact; no
    column may be named :data:`LINE_COLUMN`.
    """
    try:
        return _mapped(headers, dict(overrides or {}))
    except InputError as error:
        if not about:
            raise
        raise InputError(f"{error}{about}") from None


def _mapped(headers: Sequence[str], overrides: dict[str, Field]) -> ColumnMap:
    taken = [column for column in headers if column.lower() == LINE_COLUMN]
    if taken:
        raise InputError(f"the input has a column named {taken[0]!r}, the name the screen "
                         "gives each row's line number: rename that column")
    present = set(headers)
    missing = [column for column in overrides if column not in present]
    if missing:
        raise InputError(
            f"--map names column(s) the input does not have: {', '.join(missing)}; "
            f"its columns are: {_listing(headers)}"
        )
    chosen: dict[Field, str] = {}
    for column, given in overrides.items():
        if given in chosen:
            raise InputError(
                f"--map gives {given.value} twice: {chosen[given]!r} and {column!r}"
            )
        chosen[given] = column
    for column in headers:
        if column in overrides:
            continue
        field = _KNOWN.get(fold_header(column))
        if field is None:
            continue
        if field in chosen:
            if field in overrides.values():
                continue  # --map chose another column for it
            raise InputError(
                f"two columns look like the {field.value}: {chosen[field]!r} and "
                f"{column!r}; choose one with --map {column}={field.value} "
                f"(or --map {chosen[field]}={field.value})"
            )
        chosen[field] = column
    absent = [field.value for field in REQUIRED if field not in chosen]
    if absent:
        raise InputError(
            f"no column for {', '.join(absent)} among: {_listing(headers)}; "
            f"name it with --map COLUMN={absent[0]}"
        )
    return ColumnMap({field: chosen[field] for field in Field if field in chosen})


def _listing(headers: Sequence[str]) -> str:
    shown = ", ".join(repr(h) for h in headers[:20])
    return shown + (f" (and {len(headers) - 20} more)" if len(headers) > 20 else "")
