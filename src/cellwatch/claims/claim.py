"""A recall claim as submitted and as shown: the unit, the contact, the state.

:class:`ClaimRequest` is the claimant's input (bounded, validated). :class:`Claim` is a
stored claim; :meth:`Claim.public` is what anyone holding the claim's secret (and every
public listing) sees — never the contact — and :meth:`Claim.private` adds the contact for
the brand concerned and regulators. :meth:`Claim.audited` is the redacted form the audit
log keeps: a salted digest stands for the contact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from cellwatch.claims.workflow import REJECT_TEXT, STATE_TEXT, ClaimState, RejectReason
from cellwatch.domain.recalls import Remedy
from cellwatch.domain.records import canonical_json

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()\-]{5,30}$")
]


class Contact(BaseModel):
    """How the brand reaches the claimant: personal data, erased on request."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    email: Email | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if self.email is None and self.phone is None:
            raise ValueError("give an email address or a phone number")
        return self


class ClaimRequest(BaseModel):
    """What a claimant sends: the unit's facts, the remedy wanted, a contact."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    brand: Short | None = Field(None, description="Brand, by any name or alias.")
    model: Short = Field(description="Model code or marketing name.")
    serial: Short = Field(description="Serial number (SN) on the unit.")
    batch: Short | None = Field(None, description="Batch code, when the label shows one.")
    produced: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}(-\d{2})?$")] | None = Field(
        None, description="Production date, YYYY-MM or YYYY-MM-DD."
    )
    recall_id: Short | None = Field(None, description="The recall, when several cover the unit.")
    remedy: Remedy | None = Field(None, description="The remedy chosen among the recall's.")
    contact: Contact


def contact_digest(contact: Contact, salt: str) -> str:
    """What the audit log keeps of a contact: unlinkable once the salt is erased."""
    return hashlib.sha256((salt + canonical_json(contact.model_dump())).encode()).hexdigest()


@dataclass(frozen=True)
class Step:
    state: ClaimState
    at: dt.datetime
    actor: str
    reason: RejectReason | None = None
    note: str | None = None


@dataclass(frozen=True)
class Claim:
    id: str
    recall_id: str
    brand: str
    model: str
    serial: str
    batch: str | None
    remedy: Remedy
    state: ClaimState
    created_at: dt.datetime
    updated_at: dt.datetime
    reason: RejectReason | None = None
    note: str | None = None
    contact: Contact | None = None  # None once erased
    erased_at: dt.datetime | None = None
    photos: int = 0
    steps: tuple[Step, ...] = field(default=())

    def public(self) -> dict[str, Any]:
        """Without personal data: for the claimant's follow-up link and public views."""
        value: dict[str, Any] = {
            "id": self.id, "recall_id": self.recall_id, "brand": self.brand,
            "model": self.model, "serial": self.serial, "batch": self.batch,
            "remedy": self.remedy.value, "state": self.state.value,
            "state_text": STATE_TEXT[self.state].model_dump(),
            "created_at": _iso(self.created_at), "updated_at": _iso(self.updated_at),
            "photos": self.photos,
        }
        if self.reason is not None:
            value["reason"] = self.reason.value
            value["reason_text"] = REJECT_TEXT[self.reason].model_dump()
        return value

    def private(self) -> dict[str, Any]:
        """With the contact and the history: for the brand concerned and regulators."""
        return self.public() | {
            "note": self.note,
            "contact": None if self.contact is None else self.contact.model_dump(),
            "erased_at": _iso(self.erased_at) if self.erased_at else None,
            "steps": [
                {"state": s.state.value, "at": _iso(s.at), "actor": s.actor,
                 "reason": s.reason.value if s.reason else None, "note": s.note}
                for s in self.steps
            ],
        }

    def audited(self, contact_hash: str | None) -> dict[str, Any]:
        """The redacted form the audit log keeps: no contact (a salted digest stands for it,
        unlinkable once the salt is erased), no photo (only their count)."""
        value = self.public() | {"contact_digest": contact_hash,
                                 "erased": self.erased_at is not None}
        value.pop("state_text")
        value.pop("reason_text", None)
        return {k: v for k, v in value.items() if v is not None}


def _iso(at: dt.datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
