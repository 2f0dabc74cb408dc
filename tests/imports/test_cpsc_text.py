"""Reading CPSC prose: units, counts, models, firms, power banks, serial and batch rules."""

from __future__ import annotations

import pytest

from cellwatch.domain.recalls import Remedy
from cellwatch.imports import cpsc_text
from cellwatch.imports.cpsc_scope import read_rules


@pytest.mark.parametrize(("text", "units", "approximate"), [
    ("About 1,158,000", 1_158_000, True),
    ("About 42,000 (In addition, about 619 were sold in Canada)", 42_000, True),
    ("About 4,000 (in addition, about 62 in Canada)", 4_000, True),
    ("55,380", 55_380, False),
    ("Approximately 3,300", 3_300, True),
    ("More than 2,100", 2_100, True),
    ("About 1.2 million", 1_200_000, True),
    ("Unknown", None, False),
    ("", None, False),
    (None, None, False),
])
def test_units(text: str | None, units: int | None, approximate: bool) -> None:
    assert cpsc_text.parse_units(text) == (units, approximate)


@pytest.mark.parametrize(("text", "incidents", "injuries"), [
    ("Anker has received 19 reports of fires and explosions, resulting in two minor burn "
     "injuries and 11 reports of property damage.", 19, 2),
    ("The firm has received 171 reports of the power banks overheating, including 13 burn "
     "injuries.", 171, 13),
    ("Belkin has received one report of a device catching fire. No injuries have been "
     "reported.", 1, 0),
    ("No incidents or injuries have been reported.", 0, 0),
    ("", None, None),
])
def test_incidents_and_injuries(text: str, incidents: int | None, injuries: int | None) -> None:
    assert (cpsc_text.parse_incidents(text), cpsc_text.parse_injuries(text)) == (
        incidents, injuries)


@pytest.mark.parametrize(("field", "models"), [
    ("A1263", ("A1263",)),
    ("MXB008, DBL6000M, and DBL6000P", ("MXB008", "DBL6000M", "DBL6000P")),
    ("PPCXM06 and PPCXW06", ("PPCXM06", "PPCXW06")),
    ("Model: BPD005", ("BPD005",)),
    ("PowerCore 10000 (A1263)", ()),  # parentheses: not a plain code, left alone
    ("PowerCore 10000 A1263", ("A1263",)),
    ("10000", ()),
    ("", ()),
])
def test_models_from_the_model_field(field: str, models: tuple[str, ...]) -> None:
    assert cpsc_text.parse_models(field) == models


def test_models_in_prose_only_after_model_number() -> None:
    text = ("This recall involves Anker power banks with model numbers A1647, A1652, A1257, "
            "A1681 and A1689. The 20W units have a USB-C port. The model number is printed "
            "on the back.")
    assert cpsc_text.models_in_text(text) == ("A1647", "A1652", "A1257", "A1681", "A1689")


@pytest.mark.parametrize(("firm", "name", "aliases"), [
    ("Anker Innovations Limited, of China", "Anker Innovations Limited", ()),
    ("Shenzhen Topmore Technology Co., Ltd., d/b/a INIU, of Shenzhen, China",
     "Shenzhen Topmore Technology Co., Ltd.", ("INIU",)),
    ("Belkin International Inc., of El Segundo, California", "Belkin International Inc.", ()),
    ("VC Group LLC (dba Velvet Caviar), of New York", "VC Group LLC", ("Velvet Caviar",)),
])
def test_firms(firm: str, name: str, aliases: tuple[str, ...]) -> None:
    assert cpsc_text.parse_firm(firm) == cpsc_text.Firm(name, aliases)


@pytest.mark.parametrize(("texts", "kept"), [
    (("Anker Power Banks Recalled Due to Fire and Burn Hazards",), True),
    (("Belkin Recalls Portable Wireless Battery Chargers for Smart Watches",), True),
    (("Casely Recalls Power Pods",  "Portable chargers"), True),
    (("E-Bike Battery Packs Recalled Due to Fire Hazard",), False),
    (("Portable Power Stations Recalled", "Portable battery"), False),
    (("Children's Hooded Sweatshirts Recalled",), False),
])
def test_power_bank_or_not(texts: tuple[str, ...], kept: bool) -> None:
    assert cpsc_text.is_power_bank(*texts) is kept


def test_remedies_sold_title_country() -> None:
    assert cpsc_text.parse_remedies(["Refund", "Replace"]) == (Remedy.REFUND, Remedy.REPLACEMENT)
    assert cpsc_text.parse_sold("Sold at Amazon from June 2016 through December 2022") == (
        "2016-06", "2022-12")
    assert cpsc_text.title_firm("Belkin Recalls Portable Chargers") == "Belkin"
    assert cpsc_text.title_firm("Anker Power Banks Recalled") is None
    assert cpsc_text.country_code(["China"]) == "CN"
    assert cpsc_text.country_code(["China", "Vietnam"]) is None


@pytest.mark.parametrize(("description", "patterns"), [
    ("The recalled power banks have serial numbers containing 000G21, 000H21, 000I21 or 000L21.",
     ("*000G21*", "*000H21*", "*000I21*", "*000L21*")),
    ("The recall includes units with serial numbers beginning with 57V.", ("57V*",)),
    ("The serial number is 14 characters long and begins with 57V.", ("57V???????????",)),
    ("Only power banks with serial numbers that end in D or a number 0-9 are included.",
     ("*[0-9D]",)),
    ("Only units with serial numbers ending in the letter D are included.", ("*D",)),
    ("Only power banks with 16-character serial numbers are included in the recall.",
     ("????????????????",)),
    ("Serial numbers starting with GK or GL are included.", ("GK*", "GL*")),
])
def test_serial_rules(description: str, patterns: tuple[str, ...]) -> None:
    reading = read_rules(description, ("M1",))
    assert [rule.patterns for rule in reading.rules] == [patterns]


def test_ranges_batches_caveats_and_prose_left_alone() -> None:
    reading = read_rules(
        "Serial numbers GK2301000 through GK2309999 of model MXB008 are included. "
        "The recalled units have batch codes 2403A, 2404B and 2405C. "
        "Serial numbers ending in \"A\" are not included. "
        "The model and serial number are printed on the back. "
        "Consumers can check the serial number on the firm's website.",
        ("MXB008", "DBL6000M"),
    )
    assert [(r.models, r.ranges, r.batches) for r in reading.rules] == [
        (("MXB008",), (("GK2301000", "GK2309999"),), ()),
        ((), (), ("2403A", "2404B", "2405C")),
    ]
    assert reading.caveats == ('Serial numbers ending in "A" are not included.',)
    assert reading.unread == ("Consumers can check the serial number on the firm's website.",)
