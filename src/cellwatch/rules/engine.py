"""Apply rule packs to facts: which rules fire, the verdict, and the conditions that come along.

::

    packs = get_packs("icao,emirates")          # includes resolved, unknown names refused
    result = evaluate(packs, Facts(date=..., energy_wh=120.0))
    result.verdict                               # the most severe of every fired rule
    result.fired                                 # each rule with its reason and evidence

Everything here but :func:`load_packs` (which reads the shipped YAML once) is a pure
function of its arguments.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from cellwatch.domain.records import Text
from cellwatch.errors import InputError, RulePackError
from cellwatch.memo import keep
from cellwatch.rules.clauses import COMPARISONS, evidence
from cellwatch.rules.facts import Facts, Verdict, most_severe
from cellwatch.rules.packs import Bilingual, Condition, Rule, RulePack, parse_pack

PACKS_PACKAGE = "cellwatch.rules"
PACKS_FOLDER = "packs"


@dataclass(frozen=True, slots=True)
class FiredRule:
    """A rule that fired, with its own explanation."""

    pack: str
    rule_id: str
    verdict: Verdict
    title: Text
    reason: Text  # placeholders filled from the facts
    sources: tuple[str, ...]
    evidence: dict[str, Any]  # the facts the condition looked at, as JSON values

    def as_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "rule_id": self.rule_id,
            "verdict": self.verdict.value,
            "title": self.title.model_dump(),
            "reason": self.reason.model_dump(),
            "sources": list(self.sources),
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class AppliedCondition:
    """An obligation in force at the date that comes with carrying the unit."""

    pack: str
    condition_id: str
    text: Text
    sources: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "condition_id": self.condition_id,
            "text": self.text.model_dump(),
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    verdict: Verdict
    fired: tuple[FiredRule, ...]  # most severe first, then in pack order
    conditions: tuple[AppliedCondition, ...]  # empty when the verdict is forbidden
    packs: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict.value,
            "packs": list(self.packs),
            "fired": [rule.as_dict() for rule in self.fired],
            "conditions": [condition.as_dict() for condition in self.conditions],
        }


# -- loading -------------------------------------------------------------------------------


@functools.cache
def load_packs() -> dict[str, RulePack]:
    """Every rule pack shipped with cellwatch, by id, validated (cached)."""
    folder = resources.files(PACKS_PACKAGE).joinpath(PACKS_FOLDER)
    packs: dict[str, RulePack] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".yaml"):
            continue
        origin = f"{PACKS_FOLDER}/{entry.name}"
        try:
            data = yaml.safe_load(entry.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise RulePackError(origin, [str(error)]) from None
        pack = parse_pack(data, origin)
        if f"{pack.id}.yaml" != entry.name:
            raise RulePackError(origin, [f"the file of pack {pack.id!r} must be {pack.id}.yaml"])
        packs[pack.id] = pack
    check_includes(packs)
    return packs


def check_includes(packs: dict[str, RulePack]) -> None:
    """Every included pack exists, has the same mode, and no pack includes itself in a loop."""
    for pack in packs.values():
        for name in pack.includes:
            included = packs.get(name)
            if included is None:
                raise RulePackError(pack.id, [f"includes unknown pack {name!r}"])
            if included.mode != pack.mode:
                raise RulePackError(pack.id, [f"includes {name!r} of another mode"])
        _expand(packs, pack.id, ())


def _expand(packs: dict[str, RulePack], name: str, path: tuple[str, ...]) -> list[str]:
    if name in path:
        raise RulePackError(name, ["includes form a loop: " + " → ".join((*path, name))])
    names: list[str] = []
    for included in packs[name].includes:
        names.extend(_expand(packs, included, (*path, name)))
    names.append(name)
    return names


def get_pack(name: str) -> RulePack:
    """One pack by id (its includes are not added); ``InputError`` if there is none."""
    packs = load_packs()
    key = name.strip().lower()
    if key not in packs:
        raise InputError(f"unknown rule pack {name!r}; known packs: {', '.join(sorted(packs))}")
    return packs[key]


def get_packs(names: str | Sequence[str]) -> list[RulePack]:
    """The packs named (``"icao,emirates"`` or a list), each preceded by what it includes.

    Each pack appears once. ``InputError`` for an unknown pack or no pack at all.
    """
    wanted = names.split(",") if isinstance(names, str) else list(names)
    wanted = [name.strip() for name in wanted if name.strip()]
    if not wanted:
        raise InputError("no rule pack given; known packs: " + ", ".join(sorted(load_packs())))
    packs = load_packs()
    ordered: dict[str, RulePack] = {}
    for name in wanted:
        for key in _expand(packs, get_pack(name).id, ()):
            ordered.setdefault(key, packs[key])
    return list(ordered.values())


# -- evaluating ----------------------------------------------------------------------------


def evaluate(packs: Sequence[RulePack], facts: Facts) -> Evaluation:
    """Apply ``packs`` to ``facts`` (see :func:`_evaluate`); remembered per packs and facts.

    The facts are few discrete values, so the same evaluation recurs constantly: at a
    checkpoint, in a bulk screen, in a busy API. The energy is the exception (every model
    has its own Wh): which rules fire depends only on where the energy lies between the
    thresholds the packs compare it with, so that part is remembered per *band*, and only
    the fired rules' reasons and evidence are written for the exact value.
    """
    key = (tuple(map(id, packs)), facts)
    found = _EVALUATIONS.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], packs, strict=True)):
        return found[1]
    band_key = (
        key[0], _band(key[0], packs, facts.energy_wh), facts.date, facts.baggage, facts.count,
        facts.energy_method, facts.ccc_mark, facts.certificate, facts.recall, facts.advisories,
    )
    banded = _BANDS.get(band_key)
    if banded is not None and all(a is b for a, b in zip(banded[0], packs, strict=True)):
        _, skeleton, verdict, conditions = banded
        evaluation = Evaluation(
            verdict, tuple(_refire(entry, facts) for entry in skeleton), conditions,
            tuple(pack.id for pack in packs),
        )
    else:
        evaluation = _evaluate(packs, facts)
        by_id = {(pack.id, rule.id): rule for pack in packs for rule in pack.rules}
        skeleton = tuple(
            (fired, by_id[(fired.pack, fired.rule_id)]) for fired in evaluation.fired
        )
        keep(_BANDS, band_key, (tuple(packs), skeleton, evaluation.verdict,
                                     evaluation.conditions))
    keep(_EVALUATIONS, key, (tuple(packs), evaluation))
    return evaluation


def _refire(entry: tuple[FiredRule, Rule], facts: Facts) -> FiredRule:
    """A rule fired in the same band: as before, but for the energy it shows."""
    fired, rule = entry
    energy_in_evidence = "energy_wh" in fired.evidence
    if not (energy_in_evidence or rule.has_placeholders):
        return fired
    return FiredRule(
        pack=fired.pack,
        rule_id=fired.rule_id,
        verdict=fired.verdict,
        title=fired.title,
        reason=_filled(rule.reason, facts.energy_wh, facts.count)
        if rule.has_placeholders
        else fired.reason,
        sources=fired.sources,
        evidence={**fired.evidence, "energy_wh": facts.energy_wh}
        if energy_in_evidence
        else fired.evidence,
    )


def _band(
    ids: tuple[int, ...], packs: Sequence[RulePack], energy_wh: float | None
) -> tuple[int, bool] | None:
    """Where ``energy_wh`` lies among the energies the packs' rules compare it with."""
    if energy_wh is None:
        return None
    found = _THRESHOLDS.get(ids)
    if found is None or not all(a is b for a, b in zip(found[0], packs, strict=True)):
        thresholds = tuple(sorted({
            float(clause.operand)
            for pack in packs
            for rule in pack.rules
            for clause in rule.when
            if clause.fact == "energy_wh" and clause.op in COMPARISONS
            and isinstance(clause.operand, int | float)
        }))
        found = _THRESHOLDS[ids] = (tuple(packs), thresholds)
    thresholds = found[1]
    return bisect.bisect_left(thresholds, energy_wh), energy_wh in thresholds


# the energies each set of packs compares with, by pack identities (packs kept to verify)
_THRESHOLDS: dict[tuple[int, ...], tuple[tuple[RulePack, ...], tuple[float, ...]]] = {}


# evaluations by (pack identities, facts); the packs are kept to verify identity on a hit
_EVALUATIONS: dict[tuple[tuple[int, ...], Facts], tuple[tuple[RulePack, ...], Evaluation]] = {}
# which rules fire (and the verdict and conditions) by the facts with the energy as a band
_BANDS: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _evaluate(packs: Sequence[RulePack], facts: Facts) -> Evaluation:
    """Apply ``packs`` (exactly these: use :func:`get_packs` to add includes) to ``facts``.

    Rules and conditions not in force at ``facts.date`` are ignored. The verdict is the most
    severe of every fired rule, ``allowed`` when none fires. Conditions are listed, once
    each, unless the verdict is ``forbidden``.
    """
    fired = [
        fire(pack, rule, facts)
        for pack in packs
        for rule in pack.rules_at(facts.date)
        if rule.test(facts)
    ]
    fired.sort(key=lambda rule: -rule.verdict.severity)
    verdict = most_severe(rule.verdict for rule in fired)
    conditions = () if verdict is Verdict.FORBIDDEN else conditions_in_force(packs, facts)
    return Evaluation(verdict, tuple(fired), conditions, tuple(pack.id for pack in packs))


def fire(pack: RulePack, rule: Rule, facts: Facts) -> FiredRule:
    """The explanation of one fired rule: its reason in both languages and its evidence."""
    return FiredRule(
        pack=pack.id,
        rule_id=rule.id,
        verdict=rule.verdict,
        title=rule.title,
        reason=_filled(rule.reason, facts.energy_wh, facts.count)
        if rule.has_placeholders
        else rule.reason,
        sources=rule.sources,
        evidence=evidence(rule.when, facts),
    )


def conditions_in_force(
    packs: Iterable[RulePack], facts: Facts
) -> tuple[AppliedCondition, ...]:
    """The conditions of ``packs`` in force at the date, each text once."""
    found: dict[str, AppliedCondition] = {}
    for pack in packs:
        for condition in pack.conditions_at(facts.date):
            if condition.text.en not in found:
                found[condition.text.en] = _applied(pack, condition)
    return tuple(found.values())


def _applied(pack: RulePack, condition: Condition) -> AppliedCondition:
    return AppliedCondition(pack.id, condition.id, condition.text, condition.sources)


def fill(text: Bilingual, facts: Facts) -> Text:
    """``text`` with ``{energy_wh}`` and ``{count}`` replaced by the facts' values."""
    return _filled(text, facts.energy_wh, facts.count)


@functools.lru_cache(maxsize=4096)
def _filled(text: Bilingual, energy_wh: float | None, count: int) -> Text:
    return Text.model_construct(
        en=text.en.format_map(_values(energy_wh, count, "en")),
        zh=text.zh.format_map(_values(energy_wh, count, "zh")),
    )


def _values(energy_wh: float | None, count: int, lang: str) -> dict[str, str]:
    unknown = "未知" if lang == "zh" else "unknown"
    energy = unknown if energy_wh is None else format_number(energy_wh)
    return {"energy_wh": energy, "count": str(count)}


def format_number(value: float) -> str:
    """``100.0`` → ``100``, ``100.004`` → ``100.004``: six significant digits at most."""
    return f"{value:.0f}" if value >= 1e6 else f"{value:.6g}"
