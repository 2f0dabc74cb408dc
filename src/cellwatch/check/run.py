"""The check: one unit, one trip, one registry snapshot → a verdict with its reasons.

Each step is a pure function of plain values; this module only chains them and assembles
the :class:`~cellwatch.check.result.CheckResult`. No database is touched.
"""

from __future__ import annotations

from functools import lru_cache

from cellwatch.check.advice import FACT_HINTS, VERDICT_TEXT, actions, advisories
from cellwatch.check.certificate import CertificateFinding, certificate_status
from cellwatch.check.energy import EnergyFinding, energy
from cellwatch.check.identify import Identification, identify
from cellwatch.check.inputs import Device, Trip
from cellwatch.check.memo import ByIdentity
from cellwatch.check.recall import RecallFinding, recall_status
from cellwatch.check.result import (
    CertificateOut,
    CertificateRef,
    CheckResult,
    ConditionOut,
    DeviceOut,
    EnergyOut,
    RecallOut,
    RecallRef,
)
from cellwatch.check.scopes import Judgement, Unit
from cellwatch.check.supply import supplier_findings
from cellwatch.domain.records import Text, text
from cellwatch.domain.registry import Registry
from cellwatch.rules.engine import AppliedCondition, evaluate, get_packs
from cellwatch.rules.facts import EnergyMethod, Facts, RecallStatus
from cellwatch.rules.packs import RulePack


def check(device: Device, trip: Trip, registry: Registry) -> CheckResult:
    """Judge one unit for one trip against one registry snapshot."""
    packs = _packs(trip.rules)
    found = identify(registry, device.brand, device.model)
    product = found.product
    unit = Unit.of(device.batch, device.produced, device.serial)
    recall = recall_status(registry, product, unit, trip.date)
    certificate = certificate_status(registry, product, device.ccc_certificate, trip.date)
    power = energy(device.capacity_mah, device.voltage_v, device.energy_wh, product)
    suppliers = supplier_findings(registry, product, device.batch, trip.date)
    notes = advisories(registry, found, recall, certificate, power, suppliers)
    facts = Facts(
        date=trip.date,
        baggage=trip.baggage,
        count=trip.count,
        energy_wh=power.wh,
        energy_method=power.method,
        ccc_mark=device.ccc_mark,
        certificate=certificate.state,
        recall=recall.status,
        advisories=frozenset(note.code for note in notes) if notes else _NONE,
    )
    evaluation = evaluate(packs, facts)
    return CheckResult(
        verdict=evaluation.verdict,
        verdict_text=VERDICT_TEXT[evaluation.verdict],
        date=trip.date,
        rules=tuple(pack.id for pack in packs),
        baggage=trip.baggage.value,
        count=trip.count,
        registry_version=registry.version,
        device=_DEVICES(found),
        recall=_recall(recall),
        certificate=_CERTIFICATES(certificate),
        energy=_energy(power),
        reasons=evaluation.fired,
        conditions=_CONDITION_OUTS(evaluation.conditions),
        advisories=tuple(notes),
        actions=tuple(actions(registry, recall, evaluation.verdict)),
    )


@lru_cache(maxsize=256)
def _packs(names: tuple[str, ...]) -> tuple[RulePack, ...]:
    return tuple(get_packs(list(names)))


_CONDITIONS: dict[tuple[int, ...], tuple[ConditionOut, ...]] = {}


def _conditions(applied: tuple[AppliedCondition, ...]) -> tuple[ConditionOut, ...]:
    """Conditions as the result lists them; the few distinct sets are converted once."""
    key = tuple(id(condition.text) for condition in applied)  # texts live as long as packs
    found = _CONDITIONS.get(key)
    if found is None:
        found = tuple(
            ConditionOut(id=c.condition_id, pack=c.pack, text=c.text, sources=c.sources)
            for c in applied
        )
        if len(_CONDITIONS) < 4096:
            _CONDITIONS[key] = found
    return found


# the same conditions tuple comes back from the rule engine's memo for most checks
_CONDITION_OUTS = ByIdentity(_conditions, limit=4096)
_NONE: frozenset[str] = frozenset()


def _device(found: Identification) -> DeviceOut:
    company, product = found.company, found.product
    return DeviceOut(
        brand=company.id if company else None,
        brand_name=(
            text(en=company.name, zh=company.names.get("zh")) if company else None
        ),
        model=product.model if product else None,
        names=product.names if product else (),
        matched_by=found.matched_by.value,
        known=product is not None,
        candidates=tuple(f"{p.brand}/{p.model}" for p in found.ambiguous),
    )


def _reference(judgement: Judgement) -> RecallRef:
    recall = judgement.row.recall
    return RecallRef(
        id=recall.id, kind=recall.kind.value, issuer=recall.issuer,
        authority=recall.authority, market=recall.market,
        announced=recall.announced.isoformat(), title=recall.title, units=recall.units,
        remedies=tuple(r.value for r in recall.remedies), claim=recall.claim,
        contacts=recall.contacts, scope_entry=judgement.row.position,
        matched_on=judgement.matched_on, missing=judgement.missing,
        matched_after_folding=judgement.folded, sources=recall.sources,
    )


def _recall(finding: RecallFinding) -> RecallOut:
    if not finding.matches and not finding.undecided:  # the common answers, built once
        return _PLAIN_RECALLS[finding.status]
    return RecallOut(
        status=finding.status,
        recalls=tuple(_reference(j) for j in finding.matches),
        possible=tuple(_reference(j) for j in finding.undecided),
        missing=finding.missing,
        hints=tuple(FACT_HINTS[fact] for fact in finding.missing),
    )


def _certificate(finding: CertificateFinding) -> CertificateOut:
    return CertificateOut(
        status=finding.state,
        number=finding.number,
        certificates=tuple(
            CertificateRef(
                number=c.number, status=s.value if s else None,
                number_published=c.number_published, note=c.note,
            )
            for c, s in finding.considered
        ),
    )


_PLAIN_RECALLS = {status: RecallOut(status=status) for status in RecallStatus}


_DEVICES = ByIdentity(_device)
_CERTIFICATES = ByIdentity(_certificate)


_METHOD_TEXT = {
    EnergyMethod.MARKED: Text(en="as marked on the unit", zh="按充电宝上标注的数值"),
    EnergyMethod.COMPUTED: Text(
        en="computed as mAh × cell voltage ÷ 1000", zh="按 毫安时 × 电芯电压 ÷ 1000 计算"
    ),
    EnergyMethod.ASSUMED_VOLTAGE: Text(
        en="computed from mAh at an assumed 3.7 V cell voltage",
        zh="按毫安时和假定的 3.7 V 电芯电压计算",
    ),
    EnergyMethod.REGISTRY: Text(
        en="the registry's figure for this model", zh="登记库中该型号的数值"
    ),
    EnergyMethod.UNKNOWN: Text(
        en="unknown: read the Wh, or the mAh and cell voltage, on the label",
        zh="未知：请查看标签上的 Wh，或毫安时和电芯电压",
    ),
}


def _energy(finding: EnergyFinding) -> EnergyOut:
    return EnergyOut(
        wh=finding.wh, method=finding.method, voltage_v=finding.voltage_v,
        explanation=_METHOD_TEXT[finding.method],
    )
