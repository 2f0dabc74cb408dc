"""Which column holds which fact: automatic for obvious headers, ``--map`` otherwise."""

from __future__ import annotations

import pytest

from cellwatch.errors import InputError
from cellwatch.screen.fields import Field, map_columns, parse_overrides


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Brand", "Model", "SN", "Batch No.", "Production Date"],
         {"brand": "Brand", "model": "Model", "serial": "SN", "batch": "Batch No.",
          "produced": "Production Date"}),
        (["品牌", "型号", "序列号", "批次", "生产日期", "证书编号"],
         {"brand": "品牌", "model": "型号", "serial": "序列号", "batch": "批次",
          "produced": "生产日期", "certificate": "证书编号"}),
        (["品牌名称", "产品型号", "S/N", "批号", "3C证书编号", "库存"],
         {"brand": "品牌名称", "model": "产品型号", "serial": "S/N", "batch": "批号",
          "certificate": "3C证书编号"}),
        (["MODEL_NO", "serial-number", "lot"],
         {"model": "MODEL_NO", "serial": "serial-number", "batch": "lot"}),
        (["ＭＯＤＥＬ", " Brand "], {"model": "ＭＯＤＥＬ", "brand": " Brand "}),
    ],
)
def test_obvious_headers_are_mapped(headers: list[str], expected: dict[str, str]) -> None:
    assert map_columns(headers).as_dict() == expected


def test_map_names_a_column_for_a_field_and_wins() -> None:
    mapping = map_columns(["Artikel", "Marke", "Model"], parse_overrides(["Artikel=model",
                                                                         "Marke=brand"]))
    assert mapping.as_dict() == {"brand": "Marke", "model": "Artikel"}


def test_map_resolves_two_columns_that_look_alike() -> None:
    with pytest.raises(InputError, match="two columns look like the serial: 'SN' and 'Serial'"):
        map_columns(["Model", "SN", "Serial"])
    mapping = map_columns(["Model", "SN", "Serial"], parse_overrides(["Serial=serial"]))
    assert mapping.get(Field.SERIAL) == "Serial"


@pytest.mark.parametrize(
    ("headers", "overrides", "message"),
    [
        (["brand", "serial"], [], "no column for model among: 'brand', 'serial'; "
                                  "name it with --map COLUMN=model"),
        (["brand", "model"], ["Typ=model"], "--map names column(s) the input does not have: Typ"),
        (["a", "b"], ["a=model", "b=model"], "--map gives model twice: 'a' and 'b'"),
    ],
)
def test_unusable_columns_are_clear_errors(
    headers: list[str], overrides: list[str], message: str
) -> None:
    with pytest.raises(InputError) as caught:
        map_columns(headers, parse_overrides(overrides))
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("item", "message"),
    [("model", "write it as column=field"), ("a=colour", "unknown field 'colour'"),
     ("=model", "write it as column=field")],
)
def test_bad_map_items(item: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_overrides([item])


def test_a_column_name_with_an_equals_sign() -> None:
    assert parse_overrides(["a=b=serial"]) == {"a=b": Field.SERIAL}
