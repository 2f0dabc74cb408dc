"""Reading the prose of CPSC recall notices, conservatively.

Small pure functions, each for one kind of fact: is it a power bank, how many units, which
model numbers, which firm, which serial rule. Each returns nothing rather than guess: an
unreadable unit count stays unknown, a serial rule that is not stated plainly stays in the
description (and the scope says it is model-wide).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cellwatch.domain.recalls import Remedy

_POWER_BANK = re.compile(r"power[\s-]*banks?|充电宝|移动电源", re.I)
_CHARGER = re.compile(
    r"portable (?:[\w-]+ ){0,3}(?:chargers?|batter(?:y|ies))|external batter(?:y|ies)"
    r"|battery packs?|battery chargers?", re.I)
_NOT_A_POWER_BANK = re.compile(
    r"e-?bikes?|bicycles?|scooters?|hoverboards?|vehicles?|\bev\b|drills?|\btools?\b|mowers?"
    r"|vacuums?|power stations?|wheelchairs?|golf|toys?|vapes?|cigarettes?|flashlights?"
    r"|laptops?|cameras?|drones?|lanterns?|jump starters?", re.I)

_APPROXIMATE = re.compile(
    r"\b(?:about|approximately|approx|around|nearly|roughly|more than|over|an estimated)\b",
    re.I)
_AMOUNT = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(million|thousand))?", re.I)
_NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                 "fourteen fifteen sixteen seventeen eighteen nineteen twenty")
_WORDS = {w: i for i, w in enumerate(_NUMBER_WORDS.split())}
_COUNT = r"(\d[\d,]*|" + "|".join(_WORDS) + r")"
_INCIDENTS = re.compile(r"received\s+" + _COUNT + r"\s+(?:\w+\s+){0,2}(?:reports?|incidents?)",
                        re.I)
_INJURIES = re.compile(_COUNT + r"\s+(?:[\w-]+\s+){0,2}injur(?:y|ies)", re.I)
_NO_INJURIES = re.compile(r"\bno\s+(?:\w+\s+){0,2}injur", re.I)
_NO_INCIDENTS = re.compile(r"\bno\s+(?:incidents|reports)\b", re.I)
_MONTH_NAMES = ("january february march april may june july august september october "
                "november december")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES.split(), start=1)}
_MONTH = r"(" + "|".join(_MONTHS) + r")\s+(\d{4})"
_SOLD = re.compile(r"from\s+" + _MONTH + r"\s+(?:through|to|until)\s+" + _MONTH, re.I)

_CODE = r"(?-i:[A-Z0-9][A-Z0-9\-]*[0-9][A-Z0-9\-]*|[A-Z][A-Z0-9\-]*[0-9])"
_LIST = _CODE + r"(?:\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|/)\s*" + _CODE + r")*"
_MODELS_IN_TEXT = re.compile(
    r"\bmodels?(?:\s+(?:numbers?|nos?\.?|#))?\s*:?\s*(?:is\s+|are\s+|includes?\s+)?(" + _LIST
    + r")", re.I)
_MODEL_PREFIX = re.compile(r"^(?:model|item)s?(?:\s+(?:numbers?|nos?\.?|#))?\s*:?\s*", re.I)
_MODEL_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|;|&|\s+and\s+|\s+or\s+)\s*", re.I)
_MODEL_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_.]{1,29}$")

_FIRM_COUNTRY = re.compile(r",\s*of\s+[^,]+(?:,\s*[^,]+)?$")
_FIRM_DBA = re.compile(r"\s*,?\s*\(?\b(?:d/b/a|dba|doing business as)\s+([^,()]+)\)?", re.I)
_TITLE_FIRM = re.compile(r"^(.+?)\s+Recalls\b")
COUNTRIES = {
    "china": "CN", "people's republic of china": "CN", "hong kong": "HK", "taiwan": "TW",
    "vietnam": "VN", "viet nam": "VN", "united states": "US", "usa": "US", "japan": "JP",
    "south korea": "KR", "korea": "KR", "india": "IN", "malaysia": "MY", "thailand": "TH",
    "mexico": "MX", "indonesia": "ID", "philippines": "PH", "germany": "DE", "canada": "CA",
}
_REMEDIES = (
    ("refund", Remedy.REFUND), ("replace", Remedy.REPLACEMENT), ("repair", Remedy.REPAIR),
    ("gift card", Remedy.GIFT_CARD), ("voucher", Remedy.VOUCHER), ("dispos", Remedy.DISPOSE),
)


def is_power_bank(*texts: str) -> bool:
    """A power bank or portable charger, and not a vehicle, tool or power station battery."""
    text = " ".join(texts)
    if _POWER_BANK.search(text):
        return True
    return bool(_CHARGER.search(text)) and not _NOT_A_POWER_BANK.search(text)


def parse_units(text: str | None) -> tuple[int | None, bool]:
    """``"About 42,000 (In addition, about 619 were sold in Canada)"`` → ``(42000, True)``.

    The first amount outside parentheses counts (what follows is usually another market).
    """
    main = (text or "").split("(")[0]
    found = _AMOUNT.search(main)
    if not found:
        return None, False
    value = float(found.group(1).replace(",", ""))
    scale = {"million": 1_000_000, "thousand": 1_000}.get((found.group(2) or "").lower(), 1)
    return round(value * scale), bool(_APPROXIMATE.search(main))


def _number(word: str) -> int:
    return _WORDS[word.lower()] if word.lower() in _WORDS else int(word.replace(",", ""))


def parse_incidents(text: str) -> int | None:
    if found := _INCIDENTS.search(text):
        return _number(found.group(1))
    return 0 if _NO_INCIDENTS.search(text) else None


def parse_injuries(text: str) -> int | None:
    if _NO_INJURIES.search(text):
        return 0
    found = _INJURIES.search(text)
    return _number(found.group(1)) if found else None


def parse_sold(text: str) -> tuple[str, str] | None:
    """``from June 2016 through December 2022`` → ``("2016-06", "2022-12")``."""
    found = _SOLD.search(text)
    if not found:
        return None
    m1, y1, m2, y2 = found.groups()
    return f"{y1}-{_MONTHS[m1.lower()]:02d}", f"{y2}-{_MONTHS[m2.lower()]:02d}"


def parse_remedies(options: list[str]) -> tuple[Remedy, ...]:
    found = [remedy for option in options for word, remedy in _REMEDIES
             if word in option.lower()]
    return tuple(dict.fromkeys(found))


def _looks_like_code(token: str) -> bool:
    """A model code mixes letters and digits (``A1263``, ``ZHX-PB21``); ``10000`` does not."""
    return (bool(_MODEL_CODE.match(token)) and any(c.isdigit() for c in token)
            and any(c.isalpha() for c in token))


def parse_models(field: str | None) -> tuple[str, ...]:
    """Model numbers in a Products[].Model field: ``"MXB008, DBL6000M, and DBL6000P"``.

    A token with spaces gives only its words that mix letters and digits.
    """
    found: list[str] = []
    for token in _MODEL_SPLIT.split(_MODEL_PREFIX.sub("", (field or "").strip())):
        words = [token.strip(" .")] if " " not in token.strip() else token.split()
        found.extend(w.strip(" .") for w in words if _looks_like_code(w.strip(" .")))
    return tuple(dict.fromkeys(found))


def models_in_text(text: str) -> tuple[str, ...]:
    """Codes following "model number(s)" in prose; nothing else is taken for a model."""
    found: list[str] = []
    for match in _MODELS_IN_TEXT.finditer(text):
        found.extend(c for c in re.split(r"[\s,/]+", match.group(1))
                     if c and c.lower() not in ("and", "or") and _looks_like_code(c))
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class Firm:
    name: str
    aliases: tuple[str, ...] = ()


def parse_firm(text: str) -> Firm:
    """``"Shenzhen X Co., Ltd., d/b/a INIU, of China"`` → name and the d/b/a alias."""
    aliases = tuple(a.strip() for a in _FIRM_DBA.findall(text) if a.strip())
    name = _FIRM_DBA.sub("", text)
    name = _FIRM_COUNTRY.sub("", name).strip(" ,")
    return Firm(name or text.strip(), aliases)


def title_firm(title: str) -> str | None:
    """The firm a title names as recalling: ``"Belkin Recalls …"`` → ``"Belkin"``."""
    found = _TITLE_FIRM.match(title.strip())
    return found.group(1).strip() if found else None


def country_code(names: list[str]) -> str | None:
    """An ISO code when every listed country is the same known one."""
    codes = {COUNTRIES.get(n.strip().lower()) for n in names if n.strip()}
    return codes.pop() if len(codes) == 1 and None not in codes else None
