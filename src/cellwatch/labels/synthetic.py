"""Synthetic power-bank labels, rendered with Pillow, with the facts they carry.

SYNTHETIC: every label drawn here is made up. The brands and model codes are those of the
demo registry and the wording is that of real labels (型号 / Model, 电芯容量 / Cell
capacity, 额定容量 / Rated capacity at 5 V, 额定能量 / Rated energy, 生产日期, 批次, SN,
CCC), but the combinations, serials, dates and certificate numbers are invented, and
deterministic by seed. Tests and ``benchmarks/labels.py`` use them to measure how well a
photo is read; nothing here is registry data.

Each label comes in one of several layouts and with the defects of a phone photo: a small
rotation, blur, noise, perspective, low contrast, small letters, a shadow, a lamp's
glare. It lies on a table; half of the photos are saved as JPEG, half of those turned
sideways with an EXIF orientation.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_BOLD = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")

#: (brand as printed, Chinese brand, model code) from the demo registry's products.csv.
PRODUCTS: tuple[tuple[str, str, str], ...] = (
    ("ROMOSS", "罗马仕", "PAC20-272"),
    ("ROMOSS", "罗马仕", "PAC20-392"),
    ("ROMOSS", "罗马仕", "PLT20A-152"),
    ("Anker", "安克", "A1263"),
    ("Anker", "安克", "A1366"),
    ("Anker", "安克", "A1642"),
    ("Xiaomi", "小米", "PB2030MI"),
    ("Xiaomi", "小米", "PB2022ZM"),
    ("Baseus", "倍思", "BS-30KP365"),
    ("Baseus", "倍思", "PPCXM06"),
)

#: (cell capacity mAh, nominal voltage V) pairs printed on real power banks.
CELLS: tuple[tuple[int, float], ...] = (
    (5000, 3.7), (10000, 3.7), (10000, 3.6), (10000, 3.85), (20000, 3.7),
    (20000, 3.6), (20000, 3.87), (25600, 3.7), (30000, 3.7), (26800, 3.6),
)

LAYOUTS = ("bilingual", "chinese", "english", "compact")
DEFECTS = (
    "rotation", "blur", "noise", "perspective", "low_contrast", "small", "shadow", "glare",
)


@dataclass(frozen=True)
class SyntheticLabel:
    """One rendered label: the image (PNG or JPEG bytes), the facts printed on it, how it
    was made."""

    name: str
    image: bytes
    facts: dict[str, Any]
    layout: str
    defects: tuple[str, ...] = field(default=())


def label_facts(rng: random.Random) -> dict[str, Any]:
    """The facts of one made-up unit (check field names)."""
    brand, brand_zh, model = rng.choice(PRODUCTS)
    mah, volts = rng.choice(CELLS)
    year, month, day = rng.choice((2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28)
    facts: dict[str, Any] = {
        "brand": brand,
        "brand_zh": brand_zh,
        "model": model,
        "capacity_mah": mah,
        "voltage_v": volts,
        "rated_capacity_mah": round(mah * rng.choice((0.58, 0.6, 0.62, 0.65)) / 100) * 100,
        "serial": "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ0123456789") for _ in range(12)),
        "batch": f"{rng.choice('CM')}{rng.choice((13, 14, 20, 22))}-{rng.choice('PQ')}"
        f"{rng.randint(1, 9)}",
        "produced": f"{year}-{month:02d}-{day:02d}" if rng.random() < 0.6
        else f"{year}-{month:02d}",
        "ccc_certificate": f"{rng.randint(2019, 2025)}010914{rng.randint(0, 999999):06d}",
        "ccc_mark": "present" if rng.random() < 0.75 else "unknown",
    }
    if rng.random() < 0.85:  # some labels print no Wh at all
        facts["energy_wh"] = round(mah * volts / 1000, 1 if rng.random() < 0.5 else 2)
    return facts


def _number(value: int, rng: random.Random) -> str:
    return f"{value:,}" if value >= 10000 and rng.random() < 0.3 else str(value)


def _wh(value: float) -> str:
    return f"{value:g}"


def label_lines(facts: dict[str, Any], layout: str, rng: random.Random) -> list[str]:
    """The text of the label, line by line, in ``layout``."""
    mah = _number(facts["capacity_mah"], rng)
    volts = f"{facts['voltage_v']:g}"
    rated = _number(facts["rated_capacity_mah"], rng)
    space = rng.choice(("", " "))
    wh = facts.get("energy_wh")
    produced = facts["produced"]
    if rng.random() < 0.4:
        parts = produced.split("-")
        day = f"{int(parts[2])}日" if len(parts) > 2 else ""
        produced = f"{parts[0]}年{int(parts[1])}月{day}"
    lines: list[str]
    if layout == "bilingual":
        lines = [
            f"{facts['brand_zh']} {facts['brand']}  移动电源 Power Bank",
            f"型号/Model: {facts['model']}",
            f"电芯容量/Cell capacity: {mah}{space}mAh {volts}V",
            f"额定容量/Rated capacity: {rated}mAh (5V⎓2.4A)",
        ]
        if wh is not None:
            lines.append(f"额定能量/Rated energy: {_wh(wh)}Wh")
        lines += [
            "输入/Input: 5V⎓2A 9V⎓2A",
            "输出/Output: 5V⎓3A 9V⎓2.22A 12V⎓1.5A",
            f"生产日期/Date: {produced}",
            f"批次/Batch: {facts['batch']}",
            f"SN: {facts['serial']}",
        ]
    elif layout == "chinese":
        lines = [
            f"{facts['brand_zh']}移动电源",
            f"产品型号：{facts['model']}",
            f"电池容量：{mah}{space}mAh",
            f"电芯电压：{volts}{rng.choice(('V', 'Vdc', ' V'))}",
        ]
        if wh is not None:
            lines.append(f"额定能量：{_wh(wh)}Wh")
        lines += [
            f"额定容量：{rated}mAh(5V⎓3A)",
            "输入：5V⎓2A",
            f"生产批号：{facts['batch']}",
            f"生产日期：{produced}",
            f"序列号：{facts['serial']}",
            f"制造商：{facts['brand_zh']}科技有限公司",
        ]
    elif layout == "english":
        capacity = f"{mah}mAh {volts}V" + (f" {_wh(wh)}Wh" if wh is not None else "")
        lines = [
            f"{facts['brand']} Power Bank",
            f"Model No.: {facts['model']}",
            f"Capacity: {capacity}",
            f"Rated Capacity: {rated}mAh 5V⎓3A",
            "Input: 5V⎓3A  Output: 5V⎓3A",
            f"Lot No.: {facts['batch']}",
            f"Date of manufacture: {facts['produced']}",
            f"S/N: {facts['serial']}",
        ]
    else:  # compact: several facts per line, as on a small label
        energy = f" {_wh(wh)}Wh" if wh is not None else ""
        lines = [
            f"{facts['brand']}  型号 Model: {facts['model']}",
            f"电芯 {mah}mAh/{volts}V{energy}",
            f"额定容量 {rated}mAh/5V",
            f"批次 {facts['batch']}  SN {facts['serial']}",
            f"生产日期 {facts['produced']}",
        ]
    if facts["ccc_mark"] == "present":
        lines.append(f"CCC  {facts['ccc_certificate']}")
    lines.append("SYNTHETIC TEST LABEL")
    # the DC sign ⎓ is not in the Noto CJK font: labels also print "=" or nothing
    dc = rng.choice(("=", " ", ""))
    return [line.replace("⎓", dc) for line in lines]


def render(lines: list[str], rng: random.Random, font_path: Path = CJK_FONT) -> Image.Image:
    """Draw the lines dark on a light label (a phone photo of a label is about this size)."""
    size = rng.randint(30, 40)
    font = ImageFont.truetype(str(font_path), size)
    width = 1280
    height = 60 + int(len(lines) * size * 1.6)
    paper = tuple(rng.randint(225, 250) for _ in range(3))
    image = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(image)
    ink = tuple(rng.randint(10, 60) for _ in range(3))
    y = 30
    for line in lines:
        draw.text((40, y), line, font=font, fill=ink)
        y += int(size * 1.6)
    return image


def apply(image: Image.Image, defect: str, rng: random.Random) -> Image.Image:
    """One defect of a phone photo."""
    if defect == "rotation":
        return image.rotate(
            rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC, expand=True,
            fillcolor=(90, 90, 90),
        )
    if defect == "blur":
        return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.6)))
    if defect == "noise":
        noise = Image.effect_noise(image.size, rng.uniform(20, 40)).convert("RGB")
        return Image.blend(image, noise, 0.18)
    if defect == "perspective":
        w, h = image.size
        d = rng.uniform(0.03, 0.07)
        # the far edge of the label is narrower, as when the phone is tilted
        quad = (0, 0, -w * d, h, w * (1 + d), h, w, 0)
        return image.transform(
            image.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC,
            fillcolor=(90, 90, 90),
        )
    if defect == "low_contrast":
        return ImageEnhance.Contrast(image).enhance(rng.uniform(0.35, 0.5))
    if defect == "shadow":  # lit from one side: darker towards the other
        w, h = image.size
        darkest = rng.uniform(0.45, 0.65)
        ramp = Image.linear_gradient("L").rotate(rng.choice((90, -90)))
        ramp = ramp.resize((w, h)).point(lambda v: int(255 * (darkest + (1 - darkest) * v / 255)))
        return Image.composite(image, Image.new("RGB", image.size, (0, 0, 0)), ramp)
    if defect == "glare":  # a soft bright patch from a lamp
        w, h = image.size
        patch = Image.new("L", image.size, 0)
        cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
        rx, ry = w * rng.uniform(0.08, 0.15), h * rng.uniform(0.1, 0.2)
        ImageDraw.Draw(patch).ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=190)
        patch = patch.filter(ImageFilter.GaussianBlur(min(rx, ry) / 2))
        return Image.composite(Image.new("RGB", image.size, (255, 255, 255)), image, patch)
    if defect == "small":  # taken from further away: letters about 20 pixels high
        factor = rng.uniform(0.55, 0.7)
        size = (round(image.width * factor), round(image.height * factor))
        return image.resize(size, Image.Resampling.BILINEAR)
    raise ValueError(f"no such defect: {defect}")


def _framed(image: Image.Image, rng: random.Random) -> Image.Image:
    """The label on the table it was photographed on."""
    margin_x = int(image.width * rng.uniform(0.05, 0.2))
    margin_y = int(image.height * rng.uniform(0.05, 0.2))
    table = tuple(rng.randint(40, 140) for _ in range(3))
    framed = Image.new("RGB", (image.width + 2 * margin_x, image.height + 2 * margin_y), table)
    framed.paste(image, (margin_x, margin_y))
    return framed


def make_label(seed: int, layout: str | None = None, defects: tuple[str, ...] | None = None,
               **printed: Any) -> SyntheticLabel:
    """The label of ``seed``: same seed, same label, to the byte (``printed`` facts, e.g.
    ``batch="C14-P6"``, replace the made-up ones)."""
    rng = random.Random(seed)
    facts = label_facts(rng) | printed
    layout = layout or LAYOUTS[seed % len(LAYOUTS)]
    if defects is None:
        defects = tuple(d for d in DEFECTS if rng.random() < 0.35)
    image = render(label_lines(facts, layout, rng), rng)
    for defect in defects:
        image = apply(image, defect, rng)
    image = _framed(image, rng)
    buffer = io.BytesIO()
    if rng.random() < 0.5:  # as a phone saves it: JPEG, often sideways with an EXIF turn
        exif = Image.Exif()
        if rng.random() < 0.5:
            image = image.rotate(90, expand=True)  # stored turned; orientation 6 turns it back
            exif[0x0112] = 6
            defects = (*defects, "exif6")
        image.save(buffer, format="JPEG", quality=rng.randint(70, 90), exif=exif)
    else:
        image.save(buffer, format="PNG")
    on_label = {k: v for k, v in facts.items() if k != "brand_zh"}
    if on_label["ccc_mark"] != "present":
        on_label.pop("ccc_mark")
        on_label.pop("ccc_certificate")
    name = f"synthetic-{seed}-{layout}" + "".join(f"-{d}" for d in defects)
    return SyntheticLabel(name, buffer.getvalue(), on_label, layout, defects)


def label_set(count: int, seed: int = 9) -> Iterator[SyntheticLabel]:
    """``count`` labels, every layout and defect represented, deterministic by ``seed``;
    made one at a time (a few hundred photos need not all be in memory)."""
    for index in range(count):
        yield make_label(seed * 100_000 + index)
