"""The words for the check's statuses, in English and Simplified Chinese: one catalogue
for every place that shows them (the CLI panel, the web pages' messages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from cellwatch.rules.facts import Baggage, CertificateState, RecallStatus, Verdict

K = TypeVar("K")

VERDICT_WORDS: dict[Verdict, tuple[str, str]] = {
    Verdict.ALLOWED: ("allowed", "允许"),
    Verdict.CONDITIONAL: ("allowed with approval", "有条件允许"),
    Verdict.NEEDS_INFO: ("needs more information", "需补充信息"),
    Verdict.FORBIDDEN: ("not allowed", "禁止"),
}
RECALL_WORDS: dict[RecallStatus, tuple[str, str]] = {
    RecallStatus.RECALLED: ("recalled", "已召回"),
    RecallStatus.POSSIBLY_RECALLED: ("possibly recalled", "可能在召回范围内"),
    RecallStatus.NOT_RECALLED: ("not recalled", "未召回"),
    RecallStatus.UNKNOWN_MODEL: ("model not in the registry", "型号未收录"),
}
CERTIFICATE_WORDS: dict[CertificateState, tuple[str, str]] = {
    CertificateState.VALID: ("valid", "有效"),
    CertificateState.SUSPENDED: ("suspended", "暂停"),
    CertificateState.REVOKED: ("revoked", "撤销"),
    CertificateState.CANCELLED: ("cancelled", "注销"),
    CertificateState.EXPIRED: ("expired", "过期"),
    CertificateState.NONE: ("none in the registry", "登记库中无证书"),
    CertificateState.UNKNOWN_CERTIFICATE: ("number not in the registry", "证书编号未收录"),
    CertificateState.MISMATCH: ("does not cover this model", "与型号不符"),
}
BAGGAGE_WORDS: dict[Baggage, tuple[str, str]] = {
    Baggage.CARRY_ON: ("carry-on", "随身携带"),
    Baggage.CHECKED: ("checked baggage", "托运行李"),
}
#: The facts a recall may need read off the unit (``recall.missing``).
FACT_WORDS: dict[str, tuple[str, str]] = {
    "batch": ("batch code", "批次号"),
    "serial": ("serial number", "序列号"),
    "produced": ("production date", "生产日期"),
}

#: The advisories' codes (``advice.advisories``), in a word or two: for tables that count
#: them, such as the screen's summary (the check shows each advisory's whole message).
ADVISORY_WORDS: dict[str, tuple[str, str]] = {
    "unknown_model": ("model not in the registry", "型号未收录"),
    "brand_not_in_registry": ("brand name not in the registry", "品牌名称未收录"),
    "serial_matched_after_folding": (
        "serial matched only after folding look-alike characters", "序列号按形近字符折叠后才匹配"),
    "assumed_voltage": ("energy from an assumed cell voltage", "能量按假定电芯电压计算"),
    "usb_voltage_given": ("USB voltage given instead of the cell's", "所给电压为 USB 输出电压"),
    "certificate_not_in_registry": (
        "3C certificate number not in the registry", "3C证书编号未收录"),
    "cell_supplier_certificate_invalid": (
        "cells from a supplier whose 3C certificate is suspended or revoked",
        "电芯供应商的3C证书已暂停或撤销"),
}


def word(words: Mapping[K, tuple[str, str]], key: K, lang: str) -> str:
    """The word for ``key`` in ``lang`` (``zh``, else English)."""
    en, zh = words[key]
    return zh if lang == "zh" else en


def word_or_code(words: Mapping[str, tuple[str, str]], code: str, lang: str) -> str:
    """The word for ``code`` in ``lang``, or the code itself when the catalogue has none."""
    return word(words, code, lang) if code in words else code
