"""``cellwatch read-label PHOTO``: the facts on a power-bank label, read from a photo.

Prints every fact with its confidence and the text it came from, then a ``cellwatch
check`` command built from them, to correct and run. ``--json`` prints exactly what
``POST /v1/read-label`` answers.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cellwatch.cli.context import current
from cellwatch.cli.output import console, print_json
from cellwatch.errors import InputError, TooLarge
from cellwatch.labels import LabelReading, read_label

#: fact → ``cellwatch check`` option (rated capacity is not the cell's: never passed on)
CHECK_OPTIONS = {
    "brand": "--brand",
    "model": "--model",
    "serial": "--serial",
    "batch": "--batch",
    "produced": "--produced",
    "capacity_mah": "--capacity-mah",
    "voltage_v": "--voltage",
    "energy_wh": "--energy-wh",
    "ccc_mark": "--ccc-mark",
    "ccc_certificate": "--ccc-certificate",
}


def register(app: typer.Typer) -> None:
    app.command("read-label")(read_label_command)


def read_photo(path: Path, limit: int) -> bytes:
    """The bytes of the photo at ``path``, refused unread when larger than ``limit``."""
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a photo")
    try:
        size = path.stat().st_size
        if size > limit:
            raise TooLarge(f"the photo {path} ({size:,} bytes)", limit)
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied") from None
    if len(data) > limit:  # the file grew while it was read
        raise TooLarge(f"the photo {path}", limit)
    return data


def check_command_line(reading: LabelReading) -> str:
    """A ready-to-run ``cellwatch check`` with every fact read."""
    words = ["cellwatch", "check"]
    for field, option in CHECK_OPTIONS.items():
        value = reading.value(field)
        if value is not None:
            words += [option, str(value)]
    return shlex.join(words)


def read_label_command(
    photo: Annotated[Path, typer.Argument(help="A photo of the label (JPEG, PNG, WebP…).")],
    lang: Annotated[str, typer.Option(help="Language of the notes: en or zh.")] = "en",
    json_: Annotated[bool, typer.Option("--json", help="Print the reading as JSON.")] = False,
) -> None:
    """Read a power-bank label from a photo: the facts to check, and how sure each is."""
    if lang not in ("en", "zh"):
        raise InputError("--lang must be en or zh")
    context = current()
    limit = context.settings.max_photo_bytes
    data = read_photo(photo, limit)
    reading = read_label(data, context.registry(), limit=limit)
    if json_:
        print_json(reading.as_json())
    else:
        render(reading, lang)


def render(reading: LabelReading, lang: str) -> None:
    zh = lang == "zh"
    table = Table(title="标签读数" if zh else "read off the label")
    for heading in (("字段", "值", "可信度", "读到的文字") if zh
                    else ("field", "value", "confidence", "text read")):
        table.add_column(heading, overflow="fold")  # Chinese has no spaces to wrap at
    for field, fact in reading.facts.items():
        sure = fact.confidence
        colour = "green" if sure >= 0.9 else "yellow" if sure >= 0.7 else "red"
        table.add_row(
            field, escape(str(fact.value)), f"[{colour}]{fact.confidence:.2f}[/]",
            escape(fact.text),
        )
    console.print(table)
    console.print(
        f"{reading.width}×{reading.height} px, {'旋转' if zh else 'turned'} {reading.rotated}°, "
        f"{len(reading.lines)} {'行' if zh else 'line(s)'}, {reading.seconds:.2f} s",
        highlight=False,
    )
    for note in reading.notes:
        console.print(f"• {escape(note.get(lang))}", highlight=False)
    if reading.facts:
        console.print(escape(check_command_line(reading)), highlight=False, soft_wrap=True)
