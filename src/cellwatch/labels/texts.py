"""From the text lines read off a label to the check's facts (pure: no OCR, no registry).

A line is cut at every key a label prints (型号, Model No., 电芯容量, Rated capacity, SN,
生产日期, …); the text after a key, up to the next key, is that key's value. A key with
nothing after it on its line takes the next line as its value. Quantities are read with
their units (``20,000mAh``, ``20000 mAh``, ``10Ah``, ``3.7Vdc``, ``3.85 V``, ``74Wh``),
and which fact a quantity is depends on its key: a capacity after 额定容量 / "Rated
capacity" (at 5 V) is ``rated_capacity_mah``, never the cell capacity; volts on an input or
output line are the USB's, never the cell's.

Every fact keeps the line it came from and a confidence in 0..1: the OCR's confidence in
the line times how sure the rule is (a keyed value more than a number found on its own).
When capacity, voltage and energy are all read and agree (mAh × V / 1000 ≈ Wh) each is
surer; when they disagree each is less sure and a note says so.

``ccc_mark`` is only ever ``present`` (the letters CCC or the words 3C / 强制性产品认证
were read); a photo never proves that a mark is absent.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cellwatch.domain.records import Text, text

Value = str | int | float

#: Every field a label can give, in the order they are shown.
FIELDS = (
    "brand", "model", "serial", "batch", "produced", "capacity_mah", "voltage_v",
    "energy_wh", "rated_capacity_mah", "ccc_mark", "ccc_certificate",
)


@dataclass(frozen=True)
class Line:
    """One line of text read off the label, with the OCR's confidence in it."""

    text: str
    confidence: float


@dataclass(frozen=True)
class Fact:
    """A value read off the label, how sure the reading is, and the text it came from."""

    value: Value
    confidence: float
    text: str

    def as_json(self) -> dict[str, Value]:
        return {"value": self.value, "confidence": round(self.confidence, 3), "text": self.text}


@dataclass(frozen=True)
class LabelFacts:
    """The facts read from a label's lines, and notes for the person reading them."""

    facts: dict[str, Fact]
    notes: tuple[Text, ...]
    maker: Fact | None = None  # 制造商 / Manufacturer: a brand candidate, not a fact


# --- keys ----------------------------------------------------------------------------

_CJK = {
    "model": ("产品型号", "规格型号", "型号"),
    "brand": ("品牌", "商标"),
    "maker": ("制造商", "生产商", "生产厂家", "制造厂", "委托方"),
    "cell_capacity": ("电芯容量", "电池容量", "典型容量", "电芯"),
    "capacity": ("容量",),
    "rated_capacity": ("额定容量", "输出容量"),
    "energy": ("额定能量", "电池能量", "能量"),
    "voltage": ("电芯电压", "标称电压", "电池电压", "额定电压"),
    "serial": ("序列号", "序号", "机身码"),
    "batch": ("生产批号", "批次号", "批次", "批号"),
    "produced": ("生产日期", "制造日期", "出厂日期", "日期"),
    "certificate": ("证书编号", "证书号"),
    "port": ("输入", "输出"),
}
_ASCII = {
    "model": (r"mode[l1I|]\s*(?:no\.?|number|#)?",),
    "brand": (r"brand", r"trademark"),
    "maker": (r"manufacturer", r"made\s*by"),
    "cell_capacity": (r"cell\s*capacity", r"battery\s*capacity", r"typical\s*capacity",
                      r"nominal\s*capacity"),
    "capacity": (r"capacity",),
    "rated_capacity": (r"rated\s*(?:output\s*)?capacity", r"output\s*capacity"),
    "energy": (r"rated\s*energy", r"energy"),
    "voltage": (r"nominal\s*voltage", r"cell\s*voltage", r"battery\s*voltage"),
    "serial": (r"serial\s*(?:no\.?|number)?", r"S\s*/\s*N", r"S\.N\.?", r"SN"),
    "batch": (r"batch\s*(?:no\.?|code|number)?", r"lot\s*(?:no\.?|number)?"),
    "produced": (r"date\s*of\s*manufacture", r"production\s*date", r"manufacture\s*date",
                 r"manufactured", r"mfg\.?\s*(?:date)?", r"MFD", r"date"),
    "certificate": (r"certificate\s*(?:no\.?|number)?", r"CCC"),
    "port": (r"input", r"output", r"USB\s*-?\s*[AC]", r"type\s*-?\s*C", r"wireless"),
}
_CASE_SENSITIVE = {r"S\s*/\s*N", r"S\.N\.?", r"SN", r"MFD", r"USB\s*-?\s*[AC]", r"CCC"}


def _key_pattern() -> re.Pattern[str]:
    alternatives: list[tuple[int, str]] = []
    for kind, words in _CJK.items():
        for i, word in enumerate(words):  # "型 号" as well as "型号"
            spaced = r"\s*".join(re.escape(ch) for ch in word)
            alternatives.append((len(word) * 2, f"(?P<{kind}_{i}>{spaced})"))
    for kind, patterns in _ASCII.items():
        for i, pattern in enumerate(patterns):
            body = pattern if pattern in _CASE_SENSITIVE else f"(?i:{pattern})"
            # a whole word on the left; on the right no lower-case letter ("Lotus" is no
            # "Lot"), but a capital may follow when the OCR lost a space ("SNEA7…")
            alternatives.append(
                (len(pattern), f"(?P<{kind}_a{i}>(?<![A-Za-z]){body}(?![a-z]))")
            )
    alternatives.sort(key=lambda item: -item[0])  # the longest key wins at one place
    return re.compile("|".join(pattern for _, pattern in alternatives))


_KEYS = _key_pattern()
_PUNCTUATION = " \t:;,/|·.-_()[]"


@dataclass(frozen=True)
class _Segment:
    kind: str | None  # None: text before the first key of the line
    value: str
    line: Line
    certainty: float  # how sure the key is for this value (1: on the same line)


def _segments(lines: Sequence[Line]) -> list[_Segment]:
    found: list[_Segment] = []
    for index, line in enumerate(lines):
        normal = normalise(line.text)
        keys = _keys(normal)
        head = normal[: keys[0].start()] if keys else normal
        if head.strip(_PUNCTUATION):
            found.append(_Segment(None, head, line, 1.0))
        for number, key in enumerate(keys):
            end = keys[number + 1].start() if number + 1 < len(keys) else len(normal)
            value = normal[key.end():end]
            kind = (key.lastgroup or "").rsplit("_", 1)[0]
            if value.strip(_PUNCTUATION):
                found.append(_Segment(kind, value.lstrip(" \t:"), line, 1.0))
            elif number + 1 == len(keys) and index + 1 < len(lines):
                # "型号:" alone: the value is the next line, unless that line has a key
                following = normalise(lines[index + 1].text)
                if not _KEYS.match(following.strip()):
                    found.append(_Segment(kind, following, lines[index + 1], 0.9))
            # else "型号/Model: X": the next key of the line carries the value
    return found


def _keys(normal: str) -> list[re.Match[str]]:
    """The keys of a line; what looks like a key right after a key and its colon is the
    start of its value ("SN: SN0JY…", "Model: Model 3")."""
    keys: list[re.Match[str]] = []
    for key in _KEYS.finditer(normal):
        if keys:
            gap = normal[keys[-1].end():key.start()]
            if ":" in gap and not gap.replace(":", "").strip():
                continue
        keys.append(key)
    return keys


def normalise(line: str) -> str:
    """Full-width forms folded (：→:, ０→0); the DC sign ⎓ and its OCR readings to a space."""
    folded = unicodedata.normalize("NFKC", line)
    return re.sub(r"[⎓═=]", " ", folded)


# --- values --------------------------------------------------------------------------

_QUANTITY = re.compile(
    r"(?<![\d.,])(?P<number>\d{1,3}(?:[,，]\d{3})+|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>mAh|Ah|Wh|Vdc|V)(?![A-Za-z])",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_./]*")
_DATE = re.compile(
    r"(?<!\d)(?P<year>20\d{2})\s*[-./年]\s*(?P<month>\d{1,2})"
    r"(?:\s*[-./月]\s*(?P<day>\d{1,2})(?!\d))?"
    r"|(?<!\d)(?P<cyear>20\d{2})(?P<cmonth>[01]\d)(?P<cday>[0-3]\d)(?!\d)"
)
_CERTIFICATE = re.compile(r"(?<!\d)(\d{4}\s?\d{2}\s?\d{4}\s?\d{6})(?!\d)")
_MARK = re.compile(r"(?<![A-Za-z])CCC(?![A-Za-z])|3C\s*认证|强制性产品认证|中国强制认证")
CELL_VOLTS = (2.5, 4.5)


@dataclass(frozen=True)
class _Quantity:
    value: float
    unit: str  # mah, wh, v


def quantities(value: str) -> list[_Quantity]:
    """Every number with a unit in ``value``, mAh and Ah as mAh, Vdc as V."""
    found = []
    for match in _QUANTITY.finditer(value):
        number, unit = match["number"], match["unit"].lower()
        if re.fullmatch(r"\d{1,3}(?:[,，]\d{3})+", number):
            amount = float(re.sub(r"[,，]", "", number))
        else:
            amount = float(number)
        if unit == "ah":
            amount, unit = amount * 1000, "mah"
        elif unit == "mah" and re.fullmatch(r"\d{1,2}\.\d{3}", number):
            amount *= 1000  # "20.000mAh": a thousands separator, not a decimal point
        elif unit == "vdc":
            unit = "v"
        found.append(_Quantity(amount, unit))
    return found


def _first(items: Iterable[_Quantity], unit: str,
           bounds: tuple[float, float]) -> float | None:
    return next((q.value for q in items if q.unit == unit and bounds[0] <= q.value <= bounds[1]),
                None)


MAH = (300.0, 200_000.0)
WH = (1.0, 2_000.0)


def _token(value: str) -> str | None:
    match = _TOKEN.search(value)
    if match is None:
        return None
    token = match.group().rstrip("./-_").upper()
    return token if len(token) >= 3 else None


def parse_date(value: str) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` from the ways labels print a date, if it is one."""
    match = _DATE.search(value)
    if match is None:
        return None
    year = int(match["year"] or match["cyear"])
    month = int(match["month"] or match["cmonth"])
    day_text = match["day"] or match["cday"]
    try:
        if day_text:
            return dt.date(year, month, int(day_text)).isoformat()
        dt.date(year, month, 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}"


def certificate_number(value: str) -> tuple[str, float] | None:
    """A 16-digit CCC certificate number and how much it looks like one (category 091x)."""
    match = _CERTIFICATE.search(value)
    if match is None:
        return None
    number = re.sub(r"\s", "", match.group(1))
    looks = 1.0 if number[6:9] == "091" and 2000 <= int(number[:4]) <= 2099 else 0.7
    return number, looks


# --- facts ---------------------------------------------------------------------------


class _Candidates:
    """The best reading of each field so far (highest confidence wins)."""

    def __init__(self) -> None:
        self.best: dict[str, Fact] = {}

    def offer(self, field: str, value: Value | None, certainty: float, line: Line) -> None:
        if value is None:
            return
        confidence = max(0.0, min(1.0, certainty * line.confidence))
        held = self.best.get(field)
        if held is None or confidence > held.confidence:
            self.best[field] = Fact(value, confidence, line.text)


def _rounded(value: float) -> int | float:
    return int(value) if value.is_integer() else round(value, 2)


def _offer_segment(c: _Candidates, segment: _Segment) -> None:
    kind, value, line, sure = segment.kind, segment.value, segment.line, segment.certainty
    found = quantities(value)
    if kind in ("cell_capacity", "capacity"):
        mah = _first(found, "mah", MAH)
        c.offer("capacity_mah", None if mah is None else int(mah),
                sure * (0.97 if kind == "cell_capacity" else 0.9), line)
        volts = _first(found, "v", CELL_VOLTS)
        c.offer("voltage_v", volts, sure * 0.9, line)
        wh = _first(found, "wh", WH)
        c.offer("energy_wh", None if wh is None else _rounded(wh), sure * 0.95, line)
    elif kind == "rated_capacity":
        mah = _first(found, "mah", MAH)
        c.offer("rated_capacity_mah", None if mah is None else int(mah), sure * 0.95, line)
    elif kind == "energy":
        wh = _first(found, "wh", WH)
        c.offer("energy_wh", None if wh is None else _rounded(wh), sure * 0.98, line)
    elif kind == "voltage":
        c.offer("voltage_v", _first(found, "v", CELL_VOLTS), sure * 0.97, line)
    elif kind in ("model", "serial", "batch"):
        c.offer(kind, _token(value), sure * 0.95, line)
    elif kind == "brand":
        name = value.strip(_PUNCTUATION).split("  ")[0][:60]
        c.offer("brand", name or None, sure * 0.9, line)
    elif kind == "produced":
        c.offer("produced", parse_date(value), sure * 0.97, line)
    elif kind == "certificate":
        number = certificate_number(value)
        if number is not None:
            c.offer("ccc_certificate", number[0], sure * 0.97 * number[1], line)
    elif kind is None:  # numbers with no key: less sure, never a rated or a USB value
        has_usb_volts = any(q.unit == "v" and q.value >= 5 for q in found)
        volts = _first(found, "v", CELL_VOLTS)
        mah = _first(found, "mah", MAH)
        if mah is not None and not (has_usb_volts and volts is None):
            c.offer("capacity_mah", int(mah), 0.8 if volts is not None else 0.6, line)
        c.offer("voltage_v", volts, 0.7, line)
        wh = _first(found, "wh", WH)
        c.offer("energy_wh", None if wh is None else _rounded(wh), 0.85, line)
        number = certificate_number(value)
        if number is not None:
            c.offer("ccc_certificate", number[0], 0.85 * number[1], line)


_DISAGREE = text(
    "The capacity, voltage and energy read do not agree (mAh × V / 1000 ≠ Wh): "
    "compare them with the label.",
    "读取的容量、电压和能量不一致（mAh × V / 1000 ≠ Wh）：请与标签核对。",
)
_RATED_ONLY = text(
    "Only the rated capacity (at 5 V) was read; it is not the cell capacity and is not used "
    "for the energy.",
    "只读到额定容量（5V 下）；它不是电芯容量，不用于计算能量。",
)


def _agreement(facts: dict[str, Fact], notes: list[Text]) -> None:
    """Capacity × voltage against the marked energy: surer when they agree."""
    mah, volts, wh = (facts.get(f) for f in ("capacity_mah", "voltage_v", "energy_wh"))
    if mah is None or volts is None or wh is None:
        return
    computed = float(mah.value) * float(volts.value) / 1000
    marked = float(wh.value)
    gap = abs(computed - marked) / marked
    for field in ("capacity_mah", "voltage_v", "energy_wh"):
        fact = facts[field]
        if gap <= 0.03:
            confidence = 1 - (1 - fact.confidence) * 0.5
        elif gap > 0.1:
            confidence = fact.confidence * 0.7
        else:
            continue
        facts[field] = Fact(fact.value, confidence, fact.text)
    if gap > 0.1:
        notes.append(_DISAGREE)


def read_facts(lines: Sequence[Line]) -> LabelFacts:
    """The facts on a label, from its lines in reading order."""
    candidates = _Candidates()
    maker: Fact | None = None
    for segment in _segments(lines):
        if segment.kind == "maker":
            name = segment.value.strip(_PUNCTUATION)[:80]
            if name and maker is None:
                maker = Fact(name, segment.line.confidence * segment.certainty,
                             segment.line.text)
            continue
        _offer_segment(candidates, segment)
    for line in lines:
        if _MARK.search(normalise(line.text)):
            candidates.offer("ccc_mark", "present", 0.95, line)
            break
    facts = candidates.best
    notes: list[Text] = []
    if "rated_capacity_mah" in facts and "capacity_mah" not in facts:
        notes.append(_RATED_ONLY)
    _agreement(facts, notes)
    ordered = {field: facts[field] for field in FIELDS if field in facts}
    return LabelFacts(ordered, tuple(notes), maker)
