"""May this unit claim a recall's remedy? The check identifies the unit and its recall.

:func:`assess` runs :func:`cellwatch.check.check` on the unit's facts and accepts it only
when the unit is ``recalled`` by a recall (not a mere warning) that offers a remedy the
claimant may choose. Otherwise it raises :class:`~cellwatch.errors.NotEligible` with every
reason in English and Chinese: the model is unknown, facts are missing to decide (which
ones, and where to read them), or the unit is outside the scope (which fact, which recall).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cellwatch.check import Device, Trip, check
from cellwatch.check.advice import FACT_HINTS
from cellwatch.check.scopes import Outcome, Unit, judge, rows_for
from cellwatch.domain.names import serial_key
from cellwatch.domain.recalls import Recall, RecallKind, Remedy
from cellwatch.domain.registry import Registry
from cellwatch.errors import NotEligible
from cellwatch.rules.facts import RecallStatus

_FACT_TEXT = {
    "batch": ("batch code", "批次号"),
    "serial": ("serial number", "序列号"),
    "produced": ("production date", "生产日期"),
}


@dataclass(frozen=True)
class Eligibility:
    """A unit that may claim: the recall, the identified model, the remedy chosen."""

    recall: Recall
    brand: str  # current company id of the unit's brand
    model: str
    serial: str
    serial_key: str
    batch: str | None
    remedy: Remedy
    other_recalls: tuple[str, ...] = ()  # further recalls that also cover the unit


def assess(
    registry: Registry,
    *,
    brand: str | None,
    model: str | None,
    serial: str,
    batch: str | None = None,
    produced: str | None = None,
    remedy: Remedy | None = None,
    recall_id: str | None = None,
    date: dt.date | None = None,
) -> Eligibility:
    """The unit's claim, or :class:`NotEligible` with every reason."""
    if not serial.strip():
        raise NotEligible([("A claim needs the unit's serial number.", "申请需要提供产品序列号。")])
    device = Device.model_validate(
        {"brand": brand, "model": model, "serial": serial, "batch": batch, "produced": produced}
    )
    result = check(device, Trip(date=date or dt.date.today()), registry)
    status = result.recall.status
    if status is RecallStatus.UNKNOWN_MODEL:
        raise NotEligible([(
            f"The registry does not know the model {model!r} of {brand!r}; "
            "check the brand's own recall page.",
            f"登记库中没有 {brand or ''} {model or ''} 型号；请查询品牌官方召回页面。",
        )])
    assert result.device.brand is not None and result.device.model is not None
    if status is RecallStatus.POSSIBLY_RECALLED:
        reasons = [(
            "The unit may be recalled, but these facts are needed to decide: "
            + ", ".join(_FACT_TEXT[f][0] for f in result.recall.missing),
            "该产品可能在召回范围内，但需要以下信息才能判断："
            + "、".join(_FACT_TEXT[f][1] for f in result.recall.missing),
        )]
        reasons += [(FACT_HINTS[f].en, FACT_HINTS[f].get("zh")) for f in result.recall.missing]
        raise NotEligible(reasons)
    if status is RecallStatus.NOT_RECALLED:
        raise NotEligible(_outside(registry, result.device.brand, result.device.model, device))
    matched = [registry.recalls[i] for i in dict.fromkeys(r.id for r in result.recall.recalls)]
    chosen = _choose(matched, recall_id)
    if chosen.kind is RecallKind.WARNING:
        raise NotEligible([(
            f"{chosen.id} is a warning, not a recall: no remedy is offered; stop using the unit "
            "and dispose of it safely.",
            f"{chosen.id} 是安全警示而非召回，不提供补救措施；请停止使用并安全处置。",
        )])
    if remedy is None:
        remedy = chosen.remedies[0] if chosen.remedies else Remedy.REPLACEMENT
    elif chosen.remedies and remedy not in chosen.remedies:
        offered = ", ".join(r.value for r in chosen.remedies)
        raise NotEligible([(
            f"Recall {chosen.id} offers {offered}, not {remedy.value}.",
            f"召回 {chosen.id} 提供的补救措施为 {offered}，不包括 {remedy.value}。",
        )])
    return Eligibility(
        recall=chosen,
        brand=result.device.brand,
        model=result.device.model,
        serial=serial.strip(),
        serial_key=serial_key(serial),
        batch=batch.strip() if batch else None,
        remedy=remedy,
        other_recalls=tuple(r.id for r in matched if r.id != chosen.id),
    )


def _choose(matched: list[Recall], recall_id: str | None) -> Recall:
    if recall_id is None:  # the newest recall that offers a remedy, else the newest
        ranked = sorted(matched, key=lambda r: (r.kind is RecallKind.RECALL,
                                                r.announced.first_day(), r.id), reverse=True)
        return ranked[0]
    for recall in matched:
        if recall.id == recall_id:
            return recall
    covering = ", ".join(r.id for r in matched)
    raise NotEligible([(
        f"The unit is not in the scope of recall {recall_id}; it is covered by {covering}.",
        f"该产品不在召回 {recall_id} 范围内；其所属召回为 {covering}。",
    )])


def _outside(registry: Registry, brand: str, model: str, device: Device) -> list[tuple[str, str]]:
    """Which recall of the model the unit falls outside of, and on which fact."""
    unit = Unit.of(device.batch, device.produced, device.serial)
    product = registry.product(brand, model)
    rows = rows_for(registry, brand, product.key[1]) if product is not None else ()
    reasons = []
    for row in rows:
        judgement = judge(row, unit)
        if judgement.outcome is not Outcome.FAILS:
            continue
        constrained = []
        if row.batches:
            constrained.append("batch")
        if row.windows:
            constrained.append("produced")
        if row.has_serial_constraint:
            constrained.append("serial")
        failed = [f for f in constrained if f not in judgement.matched_on]
        en = ", ".join(_FACT_TEXT[f][0] for f in failed)
        zh = "、".join(_FACT_TEXT[f][1] for f in failed)
        reasons.append((
            f"The {en} is outside the scope of recall {row.recall.id}.",
            f"{zh}不在召回 {row.recall.id} 的范围内。",
        ))
    if not reasons:
        reasons.append((
            f"No recall covers {brand} {model}.", f"{brand} {model} 不在任何召回范围内。"
        ))
    return reasons
