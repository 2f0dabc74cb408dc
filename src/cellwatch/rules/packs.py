"""Rule packs: the schema of the YAML files in ``cellwatch/rules/packs/``.

A pack file is validated in full when it is loaded, so a misspelt key, fact, value, date,
verdict or source fails loudly with the file and the field (:class:`RulePackError`). The
``when`` language is in :mod:`cellwatch.rules.clauses`.

A pack may ``include`` other packs: an airline overlay (``emirates``) includes the
international rules (``icao``) it adds to, and choosing the overlay applies both.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    field_validator,
    model_validator,
)

from cellwatch.domain.dates import PartialDate
from cellwatch.domain.records import NonBlank, Slug, Text
from cellwatch.errors import RulePackError
from cellwatch.rules.clauses import Clause, compile_when, parse_when, unparse
from cellwatch.rules.facts import Facts, Verdict

PLACEHOLDERS = frozenset({"energy_wh", "count"})
"""The facts a rule's reason may quote: ``{energy_wh}``, ``{count}``."""

_HAN = re.compile(r"[\u4e00-\u9fff]")
_URL = re.compile(r"^https?://\S+$")
_LOCAL_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class Mode(StrEnum):
    AIR = "air"
    RAIL = "rail"
    COURIER = "courier"


def _url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


Url = Annotated[str, AfterValidator(_url)]


class Bilingual(Text):
    """A text in both English and Simplified Chinese; the Chinese one is required."""

    zh: NonBlank

    @field_validator("zh")
    @classmethod
    def _chinese(cls, value: str) -> str:
        if not _HAN.search(value):
            raise ValueError(f"{value!r} has no Chinese characters")
        return value


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class PackSource(_Strict):
    title: NonBlank
    url: Url
    publisher: NonBlank | None = None


class InForce(_Strict):
    """The days a rule applies, both ends included.

    ``from`` must be written; ``null`` says the sources give no start date (the rule is
    taken to apply on every date). A month-precision start (``2025-09``) counts from the
    last day of that month, so a rule never applies before it surely existed.
    """

    model_config = ConfigDict(populate_by_name=True)

    from_: PartialDate | None = Field(alias="from")
    to: PartialDate | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        start, end = self.start, self.end
        if start is not None and end is not None and end < start:
            raise ValueError(f"in_force ends ({self.to}) before it starts ({self.from_})")
        return self

    @cached_property
    def start(self) -> dt.date | None:
        """The first day in force (the last day of a month-precision start)."""
        return None if self.from_ is None else self.from_.last_day()

    @cached_property
    def end(self) -> dt.date | None:
        """The last day in force."""
        return None if self.to is None else self.to.last_day()

    def covers(self, date: dt.date) -> bool:
        start, end = self.start, self.end
        return (start is None or start <= date) and (end is None or date <= end)

    def describe(self, lang: str = "en") -> str:
        """``from 2025-06-28``, ``until 2026-03-26``, ``no start date recorded`` …"""
        zh = lang == "zh"
        if self.from_ is None:
            if self.to is None:
                return "未记载起始日期" if zh else "no start date recorded"
            return f"至{self.to}止" if zh else f"until {self.to}"
        text = f"自{self.from_}起" if zh else f"from {self.from_}"
        if self.start != self.from_.first_day():
            text += f"（按{self.start}计）" if zh else f" (counted from {self.start})"
        if self.to is not None:
            text += f"，至{self.to}止" if zh else f" to {self.to}"
        return text


def _when(value: Any) -> tuple[Clause, ...]:
    if isinstance(value, tuple) and all(isinstance(clause, Clause) for clause in value):
        return value
    if value is None:
        raise ValueError("'when' is required; write {} for a rule that always applies")
    return parse_when(value)


When = Annotated[
    tuple[Clause, ...],
    PlainValidator(_when),
    PlainSerializer(unparse, return_type=dict[str, Any]),
]


class Condition(_Strict):
    """An obligation that comes with carriage (no charging in flight …); never a verdict."""

    id: NonBlank
    text: Bilingual
    in_force: InForce
    sources: tuple[Url, ...] = Field(min_length=1)
    note: NonBlank | None = None


class Refusal(_Strict):
    """What a refused passenger or sender can do with the unit where the pack applies
    (e.g. CAAC: airports provide places to give up or store it); the check adds it to its
    "not on this trip" action when the trip's verdict is ``forbidden``."""

    text: Bilingual
    sources: tuple[Url, ...] = Field(min_length=1)


class Rule(_Strict):
    id: NonBlank
    title: Bilingual
    reason: Bilingual
    when: When
    verdict: Verdict
    in_force: InForce
    sources: tuple[Url, ...] = Field(min_length=1)
    note: NonBlank | None = None

    @field_validator("reason")
    @classmethod
    def _placeholders(cls, value: Bilingual) -> Bilingual:
        for text in (value.en, value.zh):
            for _, name, spec, conversion in string.Formatter().parse(text):
                if name is None:
                    continue
                if name not in PLACEHOLDERS or spec or conversion:
                    known = ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS))
                    raise ValueError(
                        f"placeholder {{{name}}} must be one of {known}, with no format"
                    )
        return value

    @cached_property
    def has_placeholders(self) -> bool:
        return "{" in self.reason.en or "{" in self.reason.zh

    @cached_property
    def test(self) -> Callable[[Facts], bool]:
        """Whether the rule's condition holds for the facts (its ``when``, compiled once)."""
        return compile_when(self.when)


class RulePack(_Strict):
    id: Slug
    title: Bilingual
    applies_to: Bilingual
    mode: Mode
    includes: tuple[Slug, ...] = ()
    note: NonBlank | None = None
    sources: tuple[PackSource, ...] = Field(min_length=1)
    rules: tuple[Rule, ...] = ()
    conditions: tuple[Condition, ...] = ()
    on_refusal: Refusal | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not self.rules and not self.conditions:
            raise ValueError("a pack needs at least one rule or condition")
        pattern = re.compile(rf"^{re.escape(self.id)}\.{_LOCAL_ID}$")
        urls = {source.url for source in self.sources}

        def cited(where: str, sources: tuple[str, ...]) -> None:
            missing = [url for url in sources if url not in urls]
            if missing:
                raise ValueError(f"{where}: source {missing[0]} is not in the pack's sources")

        seen: set[str] = set()
        items: list[Rule | Condition] = [*self.rules, *self.conditions]
        for item in items:
            if not pattern.match(item.id):
                raise ValueError(f"id {item.id!r} must be '{self.id}.' and a lower-case slug")
            if item.id in seen:
                raise ValueError(f"id {item.id!r} is used twice")
            seen.add(item.id)
            cited(item.id, item.sources)
        if self.on_refusal:
            cited("on_refusal", self.on_refusal.sources)
        if self.id in self.includes:
            raise ValueError("a pack cannot include itself")
        return self

    def rules_at(self, date: dt.date) -> tuple[Rule, ...]:
        """The rules in force at ``date``."""
        return self.timeline.at(date)[0]

    def conditions_at(self, date: dt.date) -> tuple[Condition, ...]:
        """The conditions in force at ``date``."""
        return self.timeline.at(date)[1]

    @cached_property
    def timeline(self) -> Timeline:
        return Timeline.of(self.rules, self.conditions)


@dataclass(frozen=True, slots=True)
class Timeline:
    """What is in force between the dates on which a pack changes, found by bisection."""

    changes: tuple[dt.date, ...]  # the days on which something starts or stops
    periods: tuple[tuple[tuple[Rule, ...], tuple[Condition, ...]], ...]  # one more than changes

    @classmethod
    def of(cls, rules: Sequence[Rule], conditions: Sequence[Condition]) -> Timeline:
        days: set[dt.date] = set()
        items: list[Rule | Condition] = [*rules, *conditions]
        for item in items:
            if item.in_force.start is not None:
                days.add(item.in_force.start)
            if item.in_force.end is not None and item.in_force.end < dt.date.max:
                days.add(item.in_force.end + dt.timedelta(days=1))
        changes = tuple(sorted(days))
        firsts = (dt.date.min, *changes)
        periods = tuple(
            (
                tuple(rule for rule in rules if rule.in_force.covers(first)),
                tuple(condition for condition in conditions if condition.in_force.covers(first)),
            )
            for first in firsts
        )
        return cls(changes, periods)

    def at(self, date: dt.date) -> tuple[tuple[Rule, ...], tuple[Condition, ...]]:
        return self.periods[bisect.bisect_right(self.changes, date)]


def parse_pack(data: Mapping[str, Any], origin: str) -> RulePack:
    """Validate one pack's data; :class:`RulePackError` lists every problem."""
    try:
        return RulePack.model_validate(data)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in issue['loc']) or '(pack)'}: {issue['msg']}"
            for issue in error.errors()
        ]
        raise RulePackError(origin, problems) from None
