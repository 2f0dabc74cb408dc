"""The facts a rule looks at, and the verdicts a rule gives.

The check (DESIGN.md, "The check") reduces a unit and a trip to :class:`Facts`; the rule
packs read nothing else. Every fact a rule may name is a field of :class:`Facts`, and
every value a person reads has an English and a Chinese label here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, fields
from enum import StrEnum

from cellwatch.errors import InputError


class Baggage(StrEnum):
    CARRY_ON = "carry_on"
    CHECKED = "checked"


class Mark(StrEnum):
    """Whether the unit shows a 3C (CCC) mark."""

    PRESENT = "present"
    ABSENT = "absent"
    ILLEGIBLE = "illegible"
    UNKNOWN = "unknown"


class RecallStatus(StrEnum):
    RECALLED = "recalled"
    POSSIBLY_RECALLED = "possibly_recalled"
    NOT_RECALLED = "not_recalled"
    UNKNOWN_MODEL = "unknown_model"


class CertificateState(StrEnum):
    """The status of the unit's 3C certificate at the trip date."""

    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    NONE = "none"
    UNKNOWN_CERTIFICATE = "unknown_certificate"
    MISMATCH = "mismatch"


class EnergyMethod(StrEnum):
    """How the energy in Wh was found."""

    MARKED = "marked"
    COMPUTED = "computed"
    ASSUMED_VOLTAGE = "assumed_voltage"
    REGISTRY = "registry"
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    """What a rule says about carrying the unit, from least to most severe."""

    ALLOWED = "allowed"
    CONDITIONAL = "conditional"  # may go only if something is obtained (airline approval)
    NEEDS_INFO = "needs_info"  # the facts given do not decide it: read more off the unit
    FORBIDDEN = "forbidden"

    @property
    def severity(self) -> int:
        """0 for ``allowed`` up to 3 for ``forbidden``."""
        return _SEVERITY[self]

    def label(self, lang: str = "en") -> str:
        return _VERDICT_LABELS[self][1 if lang == "zh" else 0]


_SEVERITY = {verdict: rank for rank, verdict in enumerate(Verdict)}
_VERDICT_LABELS = {
    Verdict.ALLOWED: ("allowed", "允许"),
    Verdict.CONDITIONAL: ("conditional", "有条件允许"),
    Verdict.NEEDS_INFO: ("needs information", "需补充信息"),
    Verdict.FORBIDDEN: ("forbidden", "禁止"),
}


def most_severe(verdicts: Iterable[Verdict]) -> Verdict:
    """The most severe of ``verdicts``; ``allowed`` when there are none."""
    return max(verdicts, key=lambda verdict: verdict.severity, default=Verdict.ALLOWED)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules know about one unit on one trip.

    ``count`` is the number of power banks carried; the rules assume they are all alike
    (the same energy, mark and recall status as the unit checked).
    """

    date: dt.date
    baggage: Baggage = Baggage.CARRY_ON
    count: int = 1
    energy_wh: float | None = None  # None: unknown
    energy_method: EnergyMethod = EnergyMethod.UNKNOWN
    ccc_mark: Mark = Mark.UNKNOWN
    certificate: CertificateState = CertificateState.NONE
    recall: RecallStatus = RecallStatus.UNKNOWN_MODEL
    advisories: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.count < 1:
            raise InputError(f"count must be at least 1, not {self.count}")
        if self.energy_wh is not None and not (
            math.isfinite(self.energy_wh) and self.energy_wh >= 0
        ):
            raise InputError(f"energy must be a non-negative number of Wh, not {self.energy_wh}")


FACT_NAMES: tuple[str, ...] = tuple(field.name for field in fields(Facts) if field.name != "date")
"""The facts a rule condition may name: every field of :class:`Facts` but the date."""

ENUM_FACTS: dict[str, type[StrEnum]] = {
    "baggage": Baggage,
    "energy_method": EnergyMethod,
    "ccc_mark": Mark,
    "certificate": CertificateState,
    "recall": RecallStatus,
}
NUMBER_FACTS: dict[str, str] = {"count": "", "energy_wh": " Wh"}  # fact → unit
SET_FACTS: tuple[str, ...] = ("advisories",)

FACT_LABELS: dict[str, tuple[str, str]] = {
    "baggage": ("baggage", "携带方式"),
    "count": ("power banks carried", "携带数量"),
    "energy_wh": ("energy", "额定能量"),
    "energy_method": ("energy found by", "能量来源"),
    "ccc_mark": ("3C mark", "3C标识"),
    "certificate": ("3C certificate", "3C证书状态"),
    "recall": ("recall status", "召回状态"),
    "advisories": ("advisories", "提示"),
}

VALUE_LABELS: dict[type[StrEnum], dict[str, tuple[str, str]]] = {
    Baggage: {"carry_on": ("carry-on", "随身携带"), "checked": ("checked", "托运")},
    Mark: {
        "present": ("present", "有"),
        "absent": ("absent", "无"),
        "illegible": ("illegible", "不清晰"),
        "unknown": ("not known", "未知"),
    },
    RecallStatus: {
        "recalled": ("recalled", "已召回"),
        "possibly_recalled": ("possibly recalled", "可能在召回范围内"),
        "not_recalled": ("not recalled", "未召回"),
        "unknown_model": ("model not in the registry", "型号未收录"),
    },
    CertificateState: {
        "valid": ("valid", "有效"),
        "suspended": ("suspended", "暂停"),
        "revoked": ("revoked", "撤销"),
        "cancelled": ("cancelled", "注销"),
        "expired": ("expired", "过期"),
        "none": ("none in the registry", "登记库中无证书"),
        "unknown_certificate": ("number not in the registry", "证书编号未收录"),
        "mismatch": ("mismatched (does not cover the model)", "与型号不符"),
    },
    EnergyMethod: {
        "marked": ("marked", "标称"),
        "computed": ("computed", "计算得出"),
        "assumed_voltage": ("computed at an assumed 3.7 V", "按假定3.7 V计算"),
        "registry": ("registry", "登记库"),
        "unknown": ("unknown", "未知"),
    },
}


def value_label(fact: str, value: str, lang: str = "en") -> str:
    """The label a person reads for ``value`` of ``fact``; the value itself when it has none."""
    enum = ENUM_FACTS.get(fact)
    labels = VALUE_LABELS[enum].get(value) if enum is not None else None
    if labels is None:
        return value
    return labels[1 if lang == "zh" else 0]


def fact_label(fact: str, lang: str = "en") -> str:
    return FACT_LABELS[fact][1 if lang == "zh" else 0]
