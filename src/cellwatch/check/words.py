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


def word(words: Mapping[K, tuple[str, str]], key: K, lang: str) -> str:
    """The word for ``key`` in ``lang`` (``zh``, else English)."""
    en, zh = words[key]
    return zh if lang == "zh" else en
