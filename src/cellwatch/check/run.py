"""The check: one unit, one trip, one registry snapshot → a verdict with its reasons.

Each step is a pure function of plain values; this module only chains them and assembles
the :class:`~cellwatch.check.result.CheckResult`. No database is touched.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from cellwatch.check.advice import VERDICT_TEXT, actions, advisories
from cellwatch.check.certificate import CertificateFinding, certificate_status
from cellwatch.check.energy import USB_VOLTAGE_ABOVE, EnergyFinding, energy
from cellwatch.check.inputs import Device, Trip
from cellwatch.check.model import ModelFacts, model_view
from cellwatch.check.outputs import certificate_out, energy_out, recall_out
from cellwatch.check.recall import UNKNOWN_MODEL, judged
from cellwatch.check.result import CheckResult, ConditionOut, EnergyOut
from cellwatch.check.scopes import Unit
from cellwatch.domain.products import ProductModel
from cellwatch.domain.registry import Registry
from cellwatch.memo import keep
from cellwatch.rules.engine import AppliedCondition, Evaluation, evaluate, get_packs
from cellwatch.rules.facts import Baggage, CertificateState, Facts, Mark, RecallStatus
from cellwatch.rules.packs import RulePack


def check(device: Device, trip: Trip, registry: Registry) -> CheckResult:
    """Judge one unit for one trip against one registry snapshot."""
    packs = _packs(trip.rules)
    date = trip.date
    view = model_view(registry, device.brand, device.model, date)
    model = view.facts
    unit = Unit.of(device.batch, device.produced, device.serial)
    recall = UNKNOWN_MODEL if model is None else judged(model.rows, unit)
    if device.ccc_certificate:
        product = view.found.product
        certificate = certificate_status(registry, product, device.ccc_certificate, date)
        shown = certificate_out(certificate)
    elif model is None:
        certificate, shown = _NO_CERTIFICATE
    else:
        certificate, shown = model.certificate, model.certificate_out
    power, power_out = _energy(device, view.found.product, model)
    suppliers = () if model is None else model.suppliers(registry, unit.batch)
    notes = advisories(registry, view.found, recall, certificate, power, suppliers)
    evaluation, conditions = _rules(
        packs, date, trip.baggage, trip.count, power, device.ccc_mark, certificate.state,
        recall.status, frozenset(note.code for note in notes) if notes else _NONE,
    )
    return CheckResult(
        verdict=evaluation.verdict,
        verdict_text=VERDICT_TEXT[evaluation.verdict],
        date=date,
        rules=evaluation.packs,
        baggage=trip.baggage.value,
        count=trip.count,
        registry_version=registry.version,
        device=view.device,
        recall=recall_out(recall),
        certificate=shown,
        energy=power_out,
        reasons=evaluation.fired,
        conditions=conditions,
        advisories=tuple(notes),
        actions=tuple(actions(registry, recall, evaluation.verdict, packs)),
    )


def _energy(
    device: Device, product: ProductModel | None, model: ModelFacts | None
) -> tuple[EnergyFinding, EnergyOut]:
    """The unit's energy and how the result shows it: the model's figure from the registry
    when the unit gives none, else remembered by the values read off the unit."""
    capacity, voltage, marked = device.capacity_mah, device.voltage_v, device.energy_wh
    if marked is None and capacity is None:
        if model is not None and (voltage is None or voltage <= USB_VOLTAGE_ABOVE):
            return model.energy, model.energy_out
        power = energy(None, voltage, None, product)
        return power, energy_out(power)
    key = (capacity, voltage, marked)
    found = _ENERGIES.get(key)
    if found is None:  # the model's figure does not count when the unit gives one
        power = energy(capacity, voltage, marked, None)
        found = keep(_ENERGIES, key, (power, energy_out(power)))
    return found


def _rules(
    packs: tuple[RulePack, ...],
    date: dt.date,
    baggage: Baggage,
    count: int,
    power: EnergyFinding,
    mark: Mark,
    certificate: CertificateState,
    recall: RecallStatus,
    codes: frozenset[str],
) -> _Answer:
    """The rules' answer and the conditions it lists, remembered by the facts' values (a
    few discrete values and the energy), before any :class:`Facts` is built."""
    key = (id(packs), date, baggage, count, power.wh, power.method, mark, certificate,
           recall, codes)
    found = _ANSWERS.get(key)
    if found is not None and found[0] is packs:
        return found[1]
    evaluation = evaluate(packs, Facts(
        date=date, baggage=baggage, count=count, energy_wh=power.wh,
        energy_method=power.method, ccc_mark=mark, certificate=certificate, recall=recall,
        advisories=codes,
    ))
    answer = (evaluation, _conditions(evaluation.conditions))
    keep(_ANSWERS, key, (packs, answer))
    return answer


_Answer = tuple[Evaluation, tuple[ConditionOut, ...]]
_ENERGIES: dict[tuple[int | None, float | None, float | None], tuple[EnergyFinding, EnergyOut]]
_ENERGIES = {}
_ANSWERS: dict[tuple[Any, ...], tuple[tuple[RulePack, ...], _Answer]] = {}
_NONE_FOUND = CertificateFinding(CertificateState.NONE)
_NO_CERTIFICATE = (_NONE_FOUND, certificate_out(_NONE_FOUND))


@lru_cache(maxsize=256)
def _packs(names: tuple[str, ...]) -> tuple[RulePack, ...]:
    return tuple(get_packs(list(names)))


_CONDITIONS: dict[tuple[int, ...], tuple[ConditionOut, ...]] = {}


def _conditions(applied: tuple[AppliedCondition, ...]) -> tuple[ConditionOut, ...]:
    """Conditions as the result lists them; the few distinct sets are converted once."""
    key = tuple(id(condition.text) for condition in applied)  # texts live as long as packs
    found = _CONDITIONS.get(key)
    if found is None:
        found = keep(_CONDITIONS, key, tuple(
            ConditionOut(id=c.condition_id, pack=c.pack, text=c.text, sources=c.sources)
            for c in applied
        ), limit=4096)
    return found

_NONE: frozenset[str] = frozenset()


