"""How the check's findings are shown in its result (:mod:`.result`), in both languages."""

from __future__ import annotations

from cellwatch.check.advice import FACT_HINTS
from cellwatch.check.certificate import CertificateFinding
from cellwatch.check.energy import EnergyFinding
from cellwatch.check.identify import Identification
from cellwatch.check.recall import RecallFinding
from cellwatch.check.result import (
    CertificateOut,
    CertificateRef,
    DeviceOut,
    EnergyOut,
    RecallOut,
    RecallRef,
)
from cellwatch.check.scopes import Judgement
from cellwatch.domain.companies import Company
from cellwatch.domain.records import Text, text
from cellwatch.memo import keep
from cellwatch.rules.facts import EnergyMethod, RecallStatus


def device_out(found: Identification) -> DeviceOut:
    company, product = found.company, found.product
    return DeviceOut(
        brand=company.id if company else None,
        brand_name=_brand_name(company) if company else None,
        model=product.model if product else None,
        names=product.names if product else (),
        matched_by=found.matched_by.value,
        known=product is not None,
        candidates=tuple(f"{p.brand}/{p.model}" for p in found.ambiguous)
        if found.ambiguous else (),
    )


def _brand_name(company: Company) -> Text:
    """The brand's name in both languages, one shared text per company."""
    held = _BRAND_NAMES.get(company.id)
    if held is not None and held[0] is company:
        return held[1]
    name = text(en=company.name, zh=company.names.get("zh"))
    keep(_BRAND_NAMES, company.id, (company, name))
    return name


_BRAND_NAMES: dict[str, tuple[Company, Text]] = {}


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


def recall_out(finding: RecallFinding) -> RecallOut:
    if not finding.matches and not finding.undecided:  # the common answers, built once
        return _PLAIN_RECALLS[finding.status]
    return RecallOut(
        status=finding.status,
        recalls=tuple(_reference(j) for j in finding.matches),
        possible=tuple(_reference(j) for j in finding.undecided),
        missing=finding.missing,
        hints=tuple(FACT_HINTS[fact] for fact in finding.missing),
    )


_PLAIN_RECALLS = {status: RecallOut(status=status) for status in RecallStatus}


def certificate_out(finding: CertificateFinding) -> CertificateOut:
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


def energy_out(finding: EnergyFinding) -> EnergyOut:
    return EnergyOut(
        wh=finding.wh, method=finding.method, voltage_v=finding.voltage_v,
        explanation=_METHOD_TEXT[finding.method],
    )
