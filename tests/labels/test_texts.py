"""The parser on label texts as OCR gives them (no OCR here): lines → facts."""

from __future__ import annotations

from typing import Any

import pytest

from cellwatch.labels.texts import Line, certificate_number, parse_date, quantities, read_facts


def facts_of(*lines: str, confidence: float = 1.0) -> dict[str, Any]:
    read = read_facts([Line(line, confidence) for line in lines])
    return {field: fact.value for field, fact in read.facts.items()}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # rated (at 5 V) and cell capacity both printed: the cell's is the capacity
        (["电芯容量/Cell capacity: 20000mAh 3.7V", "额定容量/Rated capacity: 12000mAh (5V⎓2.4A)",
          "额定能量/Rated energy: 74Wh"],
         {"capacity_mah": 20000, "voltage_v": 3.7, "energy_wh": 74,
          "rated_capacity_mah": 12000}),
        # the rated capacity printed first, then the cell's
        (["额定容量：6000mAh(5V⎓3A)", "电池容量：10000mAh", "电芯电压：3.7Vdc"],
         {"capacity_mah": 10000, "voltage_v": 3.7, "rated_capacity_mah": 6000}),
        # Wh missing; "20,000mAh" with a thousands separator
        (["Capacity: 20,000mAh 3.6V", "Rated Capacity: 12,000mAh 5V⎓3A"],
         {"capacity_mah": 20000, "voltage_v": 3.6, "rated_capacity_mah": 12000}),
        # "20000 mAh" with a space; voltage as "3.7Vdc"
        (["电芯容量: 20000 mAh", "标称电压: 3.7Vdc"], {"capacity_mah": 20000, "voltage_v": 3.7}),
        # "3.85 V" with a space, Wh with decimals
        (["Cell capacity 10000mAh", "Nominal voltage 3.85 V", "Rated energy 38.5 Wh"],
         {"capacity_mah": 10000, "voltage_v": 3.85, "energy_wh": 38.5}),
        # Ah, and the OCR lost every space
        (["Capacity:10Ah3.7V37Wh"], {"capacity_mah": 10000, "voltage_v": 3.7, "energy_wh": 37}),
        # full-width colon and digits
        (["型号：ＰＢ２０３０ＭＩ", "电芯容量：２００００ｍＡｈ"],
         {"model": "PB2030MI", "capacity_mah": 20000}),
        # a key alone on its line: the value is on the next
        (["型号:", "PAC20-272", "电芯容量:", "20000mAh"],
         {"model": "PAC20-272", "capacity_mah": 20000}),
        # a key printed with spaces between its characters
        (["型 号 ： PAC20-272", "额 定 容 量：6000mAh"],
         {"model": "PAC20-272", "rated_capacity_mah": 6000}),
        # bilingual keys next to each other, OCR reading "Model" as "ModeI"
        (["型号/ModeI No.: A1263"], {"model": "A1263"}),
        # several facts on one line of a small label
        (["批次M14-P2SNWW4ZJZMNVD8B", "生产日期 2024-06-19"],
         {"batch": "M14-P2", "serial": "WW4ZJZMNVD8B", "produced": "2024-06-19"}),
        # a value that starts like a key
        (["SN: SN0JYFZ2MG9Q"], {"serial": "SN0JYFZ2MG9Q"}),
        (["Lot No.: C14-P6", "S/N: 57V12345678901", "Date of manufacture: 2024.03"],
         {"batch": "C14-P6", "serial": "57V12345678901", "produced": "2024-03"}),
        (["生产日期：2023年5月4日", "序列号：571QG8B14A5U"],
         {"produced": "2023-05-04", "serial": "571QG8B14A5U"}),
        # the CCC mark's letters and the certificate number after them
        (["CCC 2024010914567712"],
         {"ccc_mark": "present", "ccc_certificate": "2024010914567712"}),
        (["证书编号：2021 01 0914 123456"], {"ccc_certificate": "2021010914123456"}),
        # the brand after its key
        (["品牌：ROMOSS", "型号：PLT20A-152"], {"brand": "ROMOSS", "model": "PLT20A-152"}),
        # USB input and output volts are never the cell's, nor their mAh its capacity
        (["输入：5V⎓2A 9V⎓2A", "输出：5V⎓3A 12V⎓1.5A", "Output 20000mAh 5V"], {}),
        # a capacity and a cell voltage with no key: still read (less sure)
        (["PowerCore 10000", "10000mAh 3.6V 36Wh"],
         {"capacity_mah": 10000, "voltage_v": 3.6, "energy_wh": 36}),
        # a key inside a word is no key
        (["Lotus Pilot Update 2024-03-01", "PRESSURE"], {}),
        # nothing that looks like a fact
        (["SYNTHETIC TEST LABEL", "Made in China"], {}),
    ],
)
def test_label_texts(lines: list[str], expected: dict[str, Any]) -> None:
    assert facts_of(*lines) == expected


def test_rated_capacity_alone_is_never_the_cell_capacity() -> None:
    read = read_facts([Line("额定容量/Rated capacity: 12000mAh (5V⎓2.4A)", 0.99)])
    assert "capacity_mah" not in read.facts
    assert read.facts["rated_capacity_mah"].value == 12000
    assert any("rated capacity" in note.en and note.zh for note in read.notes)


def test_no_mark_read_leaves_the_mark_out_never_absent() -> None:
    read = read_facts([Line("Model: A1263", 0.99), Line("Capacity: 10000mAh", 0.99)])
    assert "ccc_mark" not in read.facts
    assert all(fact.value != "absent" for fact in read.facts.values())


def test_each_fact_keeps_its_text_and_a_confidence() -> None:
    read = read_facts([Line("型号/Model: PB2030MI", 0.9), Line("SN: ABC123456", 0.5)])
    model, serial = read.facts["model"], read.facts["serial"]
    assert model.text == "型号/Model: PB2030MI" and serial.text == "SN: ABC123456"
    assert 0 < serial.confidence < model.confidence <= 0.9
    assert model.as_json() == {"value": "PB2030MI", "confidence": model.confidence.__round__(3),
                               "text": "型号/Model: PB2030MI"}


def test_capacity_voltage_and_energy_that_agree_are_surer_and_that_disagree_less() -> None:
    lines = ["Cell capacity: 10000mAh", "Nominal voltage: 3.7V"]
    agree = read_facts([Line(text, 0.8) for text in [*lines, "Rated energy: 37Wh"]])
    disagree = read_facts([Line(text, 0.8) for text in [*lines, "Rated energy: 74Wh"]])
    alone = read_facts([Line(text, 0.8) for text in lines])
    base = alone.facts["capacity_mah"].confidence
    assert agree.facts["capacity_mah"].confidence > base > disagree.facts["capacity_mah"].confidence
    assert not agree.notes
    assert any("do not agree" in note.en for note in disagree.notes)


def test_a_keyed_value_beats_a_loose_one() -> None:
    read = read_facts([Line("20000mAh 3.7V", 1.0), Line("电芯容量: 10000mAh", 1.0)])
    assert read.facts["capacity_mah"].value == 10000


def test_maker_line_is_a_brand_candidate_not_a_fact() -> None:
    read = read_facts([Line("制造商：深圳罗马仕科技有限公司", 0.97)])
    assert "brand" not in read.facts
    assert read.maker is not None and read.maker.value == "深圳罗马仕科技有限公司"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20,000mAh", [(20000.0, "mah")]), ("20000 mAh", [(20000.0, "mah")]),
     ("20.000mAh", [(20000.0, "mah")]), ("10Ah", [(10000.0, "mah")]),
     ("3.7Vdc", [(3.7, "v")]), ("3.85 V", [(3.85, "v")]), ("74Wh", [(74.0, "wh")]),
     ("5V⎓3A", [(5.0, "v")]), ("12 volts", []), ("v1.2", [])],
)
def test_quantities(text: str, expected: list[tuple[float, str]]) -> None:
    from cellwatch.labels.texts import normalise

    assert [(q.value, q.unit) for q in quantities(normalise(text))] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-03-15", "2024-03-15"), ("2024.3.5", "2024-03-05"), ("2024/03", "2024-03"),
     ("2024年3月", "2024-03"), ("20240315", "2024-03-15"), ("2024-13-01", None),
     ("2024-02-30", None), ("no date", None)],
)
def test_dates(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_certificate_numbers() -> None:
    assert certificate_number("2024010914567712") == ("2024010914567712", 1.0)
    found = certificate_number("1234567890123456")
    assert found is not None and found[1] < 1
    assert certificate_number("12345678901234567") is None  # 17 digits: not one
