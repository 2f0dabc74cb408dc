"""Advisories and actions: what the check adds beyond the verdict, in both languages."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from cellwatch.check.certificate import CertificateFinding
from cellwatch.check.energy import EnergyFinding
from cellwatch.check.identify import Identification
from cellwatch.check.recall import RecallFinding
from cellwatch.check.result import ActionOut, AdvisoryOut
from cellwatch.check.supply import SupplierFinding
from cellwatch.domain.recalls import Recall, Remedy
from cellwatch.domain.records import Text, text
from cellwatch.domain.registry import Registry
from cellwatch.memo import keep
from cellwatch.rules.facts import CertificateState, EnergyMethod, RecallStatus, Verdict
from cellwatch.rules.packs import RulePack

VERDICT_TEXT = {
    Verdict.ALLOWED: Text(en="Allowed", zh="可以携带"),
    Verdict.CONDITIONAL: Text(en="Allowed only with approval", zh="需经批准方可携带"),
    Verdict.NEEDS_INFO: Text(en="More information needed", zh="需要补充信息"),
    Verdict.FORBIDDEN: Text(en="Not allowed", zh="禁止携带"),
}

FACT_HINTS = {
    "batch": Text(
        en="Read the batch code (批次 / Batch / LOT) on the label, usually on the back or "
        "the bottom next to the model number.",
        zh="请查看标签上的批次号（批次 / Batch / LOT），通常印在背面或底部型号附近。",
    ),
    "serial": Text(
        en="Read the serial number (SN / 序列号) on the label or the box.",
        zh="请查看标签或包装盒上的序列号（SN / 序列号）。",
    ),
    "produced": Text(
        en="Read the full production date (生产日期, year, month and day) on the label.",
        zh="请查看标签上完整的生产日期（年、月、日）。",
    ),
}


_UNKNOWN_MODEL = Text(
    en="The registry does not know this model, so it cannot say whether it is recalled; "
    "check the brand's own recall pages.",
    zh="登记库中没有该型号，无法判断是否被召回；请查询品牌官方召回信息。",
)
_BRAND_UNKNOWN = Text(
    en="The registry does not know this brand name.", zh="登记库中没有该品牌名称。"
)
_BRAND_BY_CODE = Text(
    en="The registry does not know this brand name. The model was identified by its code alone.",
    zh="登记库中没有该品牌名称。已仅凭型号识别。",
)
_FOLDED = Text(
    en="The serial matched the recall only after treating O as 0, I and L as 1, Z as 2; "
    "compare it with the label character by character.",
    zh="序列号在将 O 视为 0、I 和 L 视为 1、Z 视为 2 之后才与召回范围匹配；请逐字核对标签。",
)
_USB_VOLTAGE = Text(
    en="A voltage above 4.5 V is the USB output, not the cell. Give the cell's nominal "
    "voltage (usually 3.6–3.85 V) or the Wh printed on the label.",
    zh="高于 4.5 V 的电压是 USB 输出电压，而不是电芯电压。请提供电芯标称电压"
    "（通常为 3.6–3.85 V）或标签上的 Wh 数值。",
)
_CERTIFICATE_UNKNOWN = Text(
    en="The registry has no certificate with this number; look it up with the certification "
    "body (CNCA / CQC) before relying on it.",
    zh="登记库中没有该证书编号；请在认证机构（国家认监委 / CQC）网站核实。",
)


def advisories(
    registry: Registry,
    identification: Identification,
    recall: RecallFinding,
    certificate: CertificateFinding,
    energy: EnergyFinding,
    suppliers: tuple[SupplierFinding, ...],
) -> list[AdvisoryOut]:
    if (  # the usual unit: nothing to advise (checked first, as most checks end here)
        identification.product is not None
        and not identification.brand_given_but_unknown
        and not recall.folded
        and energy.method is not EnergyMethod.ASSUMED_VOLTAGE
        and not energy.usb_voltage_given
        and certificate.state is not CertificateState.UNKNOWN_CERTIFICATE
        and not suppliers
    ):
        return []
    found: list[AdvisoryOut] = []
    if identification.product is None:
        found.append(AdvisoryOut(
            code="unknown_model",
            message=_UNKNOWN_MODEL,
            details={"candidates": [f"{p.brand}/{p.model}" for p in identification.ambiguous]},
        ))
    if identification.brand_given_but_unknown:
        found.append(AdvisoryOut(
            code="brand_not_in_registry",
            message=_BRAND_BY_CODE if identification.product else _BRAND_UNKNOWN,
        ))
    if recall.folded:
        found.append(AdvisoryOut(code="serial_matched_after_folding", message=_FOLDED))
    if energy.method is EnergyMethod.ASSUMED_VOLTAGE:
        found.append(AdvisoryOut(
            code="assumed_voltage",
            message=_assumed_voltage(energy.wh),
        ))
    if energy.usb_voltage_given:
        found.append(AdvisoryOut(code="usb_voltage_given", message=_USB_VOLTAGE))
    if certificate.state is CertificateState.UNKNOWN_CERTIFICATE:
        found.append(AdvisoryOut(
            code="certificate_not_in_registry",
            message=_CERTIFICATE_UNKNOWN,
            details={"number": certificate.number},
        ))
    for supplier in suppliers:
        message, certificates = _supplier_texts(registry, supplier)
        found.append(AdvisoryOut(
            code="cell_supplier_certificate_invalid",
            message=message,
            details={
                "cell_maker": supplier.cell_maker,
                "certificates": certificates,
                "batches": list(supplier.batches),
            },
        ))
    return found


@lru_cache(maxsize=1024)
def _assumed_voltage(wh: float | None) -> Text:
    return text(
        en=f"No cell voltage given: {wh} Wh assumes the usual 3.7 V cell. "
        "Read the rated energy (Wh) or the cell voltage on the label.",
        zh=f"未提供电芯电压：{wh} Wh 按常见的 3.7 V 电芯估算。"
        "请查看标签上的额定能量（Wh）或电芯电压。",
    )


def _supplier_texts(
    registry: Registry, supplier: SupplierFinding
) -> tuple[Text, tuple[dict[str, str], ...]]:
    """The advisory's message and certificate list: the same for every model whose cells
    come from this maker at this date (its invalid certificates are one remembered tuple)."""
    key = (id(supplier.certificates), supplier.cell_maker, supplier.this_batch)
    hit = _SUPPLIER_TEXTS.get(key)
    if hit is not None and hit[0] is supplier.certificates:  # held: its id is not reused
        return hit[1]
    maker = registry.companies.get(supplier.cell_maker)
    name = maker.name if maker else supplier.cell_maker
    zh_name = maker.names.get("zh", name) if maker else name
    scope_en = "this batch" if supplier.this_batch else "batches of this model"
    scope_zh = "该批次" if supplier.this_batch else "该型号的部分批次"
    states_en = ", ".join(sorted({status.value for _, status in supplier.certificates}))
    built = (
        text(
            en=f"The cells of {scope_en} come from {name}, whose cell certificates are "
            f"{states_en} at this date.",
            zh=f"{scope_zh}的电芯来自{zh_name}，该企业的电芯认证证书在此日期处于暂停或撤销状态。",
        ),
        tuple({"number": n, "status": s.value} for n, s in supplier.certificates),
    )
    keep(_SUPPLIER_TEXTS, key, (supplier.certificates, built), limit=4096)
    return built


# by the identity of a snapshot's remembered tuple of invalid certificates (see supply.py)
_SUPPLIER_TEXTS: dict[
    tuple[int, str, bool], tuple[object, tuple[Text, tuple[dict[str, str], ...]]]
] = {}


_STOP = ActionOut(
    code="stop_using",
    text=Text(
        en="Stop using and charging it now. Keep it away from heat and flammable things.",
        zh="请立即停止使用和充电，远离热源和易燃物。",
    ),
)
_DISPOSE = ActionOut(
    code="dispose_safely",
    text=Text(
        en="Do not put it in household rubbish or a shop's battery collection box: follow "
        "the brand's instructions or your local procedure for damaged or recalled lithium "
        "batteries.",
        zh="不要丢入生活垃圾或商店的电池回收箱：请按品牌说明或当地对受损、召回锂电池的处理规定处置。",
    ),
    links=("https://www.epa.gov/recycle/used-lithium-ion-batteries",),
)
_REFUSED = Text(en="Do not take it on this trip.", zh="请勿在本次行程中携带。")


def _refused(packs: Sequence[RulePack]) -> ActionOut:
    """Not on this trip; and what the trip's packs say of a refused unit (``on_refusal``,
    e.g. CAAC's airports that store them), each once."""
    notes = [pack.on_refusal.text for pack in packs if pack.on_refusal is not None]
    return ActionOut(code="not_on_this_trip", text=Text(
        en=" ".join([_REFUSED.en, *(note.en for note in notes)]),
        zh="".join([_REFUSED.get("zh"), *(note.get("zh") for note in notes)]),
    ))
_READ = ActionOut(
    code="read_label",
    text=Text(
        en="Read the missing facts off the unit and check again.",
        zh="请从充电宝上读取缺少的信息后再次查询。",
    ),
)


REMEDY_TEXT = {
    Remedy.REFUND: Text(en="refund", zh="退款"),
    Remedy.REPLACEMENT: Text(en="replacement", zh="更换"),
    Remedy.REPAIR: Text(en="repair", zh="维修"),
    Remedy.VOUCHER: Text(en="voucher", zh="代金券"),
    Remedy.GIFT_CARD: Text(en="gift card", zh="礼品卡"),
    Remedy.DISPOSE: Text(en="dispose of it", zh="停止使用并处置"),
}


def _remedy(recall: Recall) -> ActionOut:
    remedies_en = ", ".join(REMEDY_TEXT[r].en for r in recall.remedies) or "see the notice"
    remedies_zh = "、".join(REMEDY_TEXT[r].get("zh") for r in recall.remedies) or "详见公告"
    claim = recall.claim or Text(
        en="Contact the brand with the model, serial number and proof of purchase.",
        zh="请携带型号、序列号和购买凭证联系品牌方。",
    )
    return ActionOut(
        code="claim_remedy",
        text=Text(
            en=f"Recall {recall.id} ({remedies_en}): {claim.en}",
            zh=f"召回 {recall.id}（{remedies_zh}）：{claim.get('zh')}",
        ),
        links=tuple(c for c in recall.contacts if c.startswith("http")),
    )


def actions(
    registry: Registry, recall: RecallFinding, verdict: Verdict, packs: Sequence[RulePack],
) -> list[ActionOut]:
    """What to do now: stop using a recalled unit, claim each recall's remedy and dispose of
    it safely; read what is missing off the unit; and, for a trip the rules forbid, not to
    take it (with what ``packs`` say of a refused unit)."""
    found: list[ActionOut] = []
    if recall.status is RecallStatus.RECALLED:
        found.append(_STOP)
        seen: set[str] = set()
        for judgement in recall.matches:
            if judgement.row.recall.id not in seen:
                seen.add(judgement.row.recall.id)
                found.append(_remedy(judgement.row.recall))
        found.append(_DISPOSE)
    elif recall.status is RecallStatus.POSSIBLY_RECALLED:
        found.append(_READ)
    if verdict is Verdict.FORBIDDEN:
        found.append(_refused(packs))
    elif verdict is Verdict.NEEDS_INFO and _READ not in found:
        found.append(_READ)
    return found
