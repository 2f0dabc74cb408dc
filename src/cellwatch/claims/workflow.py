"""The claim workflow: states, the legal steps between them, and the reasons to reject.

::

    submitted ──► approved ──► remedy_sent ──► completed
        │             │
        └─────────────┴──► rejected (with a reason)

``completed`` and ``rejected`` are final. A rejection names one of :class:`RejectReason`
(shown to the claimant in English and Chinese) and may add a note.
"""

from __future__ import annotations

from enum import StrEnum

from cellwatch.domain.records import Text
from cellwatch.errors import IllegalTransition, InputError


class ClaimState(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REMEDY_SENT = "remedy_sent"
    COMPLETED = "completed"
    REJECTED = "rejected"


#: The states each state may move to.
TRANSITIONS: dict[ClaimState, frozenset[ClaimState]] = {
    ClaimState.SUBMITTED: frozenset({ClaimState.APPROVED, ClaimState.REJECTED}),
    ClaimState.APPROVED: frozenset({ClaimState.REMEDY_SENT, ClaimState.REJECTED}),
    ClaimState.REMEDY_SENT: frozenset({ClaimState.COMPLETED}),
    ClaimState.COMPLETED: frozenset(),
    ClaimState.REJECTED: frozenset(),
}

STATE_TEXT: dict[ClaimState, Text] = {
    ClaimState.SUBMITTED: Text(
        en="Submitted; the brand will review it", zh="已提交，等待品牌审核"
    ),
    ClaimState.APPROVED: Text(
        en="Approved; the remedy will be sent", zh="已批准，补救措施即将发出"
    ),
    ClaimState.REMEDY_SENT: Text(en="Remedy sent", zh="补救措施已发出"),
    ClaimState.COMPLETED: Text(en="Completed", zh="已完成"),
    ClaimState.REJECTED: Text(en="Rejected", zh="已拒绝"),
}


class RejectReason(StrEnum):
    OUT_OF_SCOPE = "out_of_scope"
    NO_PROOF = "no_proof"
    NOT_GENUINE = "not_genuine"
    DUPLICATE = "duplicate"
    UNREACHABLE = "unreachable"
    OTHER = "other"


REJECT_TEXT: dict[RejectReason, Text] = {
    RejectReason.OUT_OF_SCOPE: Text(
        en="The unit is not covered by the recall.", zh="该产品不在召回范围内。"
    ),
    RejectReason.NO_PROOF: Text(
        en="The photos do not show the model and serial number clearly.",
        zh="照片未能清楚显示型号和序列号。",
    ),
    RejectReason.NOT_GENUINE: Text(
        en="The unit is not a genuine product of the brand.", zh="该产品并非该品牌正品。"
    ),
    RejectReason.DUPLICATE: Text(
        en="This unit's remedy was claimed before.", zh="该产品已申请过补救措施。"
    ),
    RejectReason.UNREACHABLE: Text(
        en="The claimant could not be reached.", zh="无法联系到申请人。"
    ),
    RejectReason.OTHER: Text(
        en="Rejected for another reason; see the note.", zh="因其他原因被拒绝，详见备注。"
    ),
}


def step(
    claim_id: str,
    current: ClaimState,
    wanted: ClaimState,
    reason: RejectReason | None = None,
) -> ClaimState:
    """Check one step of the workflow; return the new state or raise.

    A rejection needs a reason; no other step takes one.
    """
    if wanted not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "nothing (final)"
        raise IllegalTransition(
            "claim", claim_id, current.value, wanted.value, f"it may move to {allowed}"
        )
    if wanted is ClaimState.REJECTED and reason is None:
        raise InputError(
            "a rejection needs a reason: " + ", ".join(r.value for r in RejectReason)
        )
    if wanted is not ClaimState.REJECTED and reason is not None:
        raise InputError("only a rejection takes a reason")
    return wanted


def is_final(state: ClaimState) -> bool:
    return not TRANSITIONS[state]
