"""Claims end to end on every backend: eligibility by the check, one serial once, the
workflow, brand boundaries, erasure, and a contact that never reaches the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from cellwatch.claims.claim import ClaimRequest
from cellwatch.claims.workflow import ClaimState, RejectReason
from cellwatch.domain.registry import Registry
from cellwatch.errors import AlreadyClaimed, Forbidden, IllegalTransition, InputError, NotEligible
from cellwatch.fieldops import claims as ops
from cellwatch.store import audit
from cellwatch.store.db import Database
from cellwatch.store.tables import audit_log, claim_photos
from tests.claims.test_evidence import jpeg_with_gps
from tests.field import load_demo

NOW = dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)
EMAIL = "li.wei@example.cn"
REGULATOR = ops.Handler("test-regulator")
BASEUS = ops.Handler("token:1:baseus", company="baseus")
ANKER = ops.Handler("token:2:anker", company="anker")


def request(**fields: Any) -> ClaimRequest:
    values: dict[str, Any] = {
        "brand": "Baseus", "model": "BS-30KP365", "serial": "BS30KP3650012D",
        "contact": {"name": "Li Wei", "email": EMAIL, "phone": "+86 138 0000 0000"},
    }
    return ClaimRequest.model_validate(values | fields)


@pytest.fixture
def registry(database: Database) -> Registry:
    return load_demo(database)


def submit(database: Database, registry: Registry, **fields: Any) -> tuple[Any, str]:
    return ops.submit(database, registry, request(**fields), [jpeg_with_gps()],
                      max_photo_bytes=1 << 22, max_photos=5, now=NOW)


def test_a_recalled_unit_claims_and_follows_its_claim(
    database: Database, registry: Registry
) -> None:
    claim, secret = submit(database, registry)
    assert claim.recall_id == "us-cpsc-baseus-bs-30kp365-2025-05"  # the one that matches
    assert (claim.state, claim.remedy.value, claim.photos) == (ClaimState.SUBMITTED,
                                                              "replacement", 1)
    followed = ops.follow(database, claim.id, secret)
    public = followed.public()
    assert public["state_text"]["zh"]
    assert "contact" not in public and EMAIL not in str(public)
    with pytest.raises(Exception, match="no claim"):
        ops.follow(database, claim.id, "a wrong secret")


def test_a_unit_outside_the_scope_is_refused_with_the_reason(
    database: Database, registry: Registry
) -> None:
    with pytest.raises(NotEligible) as refused:
        submit(database, registry, serial="BS30KP3650012A")  # an SN ending in A is not in scope
    reasons = refused.value.reasons
    assert any("serial number is outside the scope of recall us-cpsc-baseus" in en
               for en, _ in reasons)
    assert all(zh for _, zh in reasons)
    with pytest.raises(NotEligible, match="does not know the model"):
        submit(database, registry, model="NOPE-1")
    with pytest.raises(NotEligible, match="batch code"):  # Romoss recalls by batch
        submit(database, registry, brand="罗马仕", model="PAC20-272", serial="R1")
    with database.connect() as connection:
        assert connection.scalar(sa.text("select count(*) from claims")) == 0


def test_one_serial_claims_once(database: Database, registry: Registry) -> None:
    first, _ = submit(database, registry)
    with pytest.raises(AlreadyClaimed):
        submit(database, registry, serial="bs30kp3650012d")  # the same serial, lower case
    with pytest.raises(AlreadyClaimed):  # even after a rejection
        ops.move(database, registry, REGULATOR, first.id, ClaimState.REJECTED,
                 reason=RejectReason.NO_PROOF, now=NOW)
        submit(database, registry)


def test_the_workflow(database: Database, registry: Registry) -> None:
    claim, _ = submit(database, registry)
    with pytest.raises(IllegalTransition, match="may move to approved, rejected"):
        ops.move(database, registry, BASEUS, claim.id, ClaimState.COMPLETED, now=NOW)
    with pytest.raises(InputError, match="needs a reason"):
        ops.move(database, registry, BASEUS, claim.id, ClaimState.REJECTED, now=NOW)
    for state in (ClaimState.APPROVED, ClaimState.REMEDY_SENT, ClaimState.COMPLETED):
        claim = ops.move(database, registry, BASEUS, claim.id, state, now=NOW)
    assert [step.state for step in claim.steps] == [
        ClaimState.SUBMITTED, ClaimState.APPROVED, ClaimState.REMEDY_SENT, ClaimState.COMPLETED
    ]
    with pytest.raises(IllegalTransition, match="final"):
        ops.move(database, registry, BASEUS, claim.id, ClaimState.REJECTED,
                 reason=RejectReason.OTHER, now=NOW)


def test_a_brand_sees_and_moves_only_its_own_recalls_claims(
    database: Database, registry: Registry
) -> None:
    claim, _ = submit(database, registry)
    assert ops.listing(database, registry, ANKER)[1] == 0
    assert ops.listing(database, registry, BASEUS)[1] == 1
    assert ops.listing(database, registry, REGULATOR)[1] == 1
    with pytest.raises(Forbidden):
        ops.show(database, registry, ANKER, claim.id)
    with pytest.raises(Forbidden):
        ops.move(database, registry, ANKER, claim.id, ClaimState.APPROVED, now=NOW)
    with pytest.raises(Forbidden):
        ops.photo(database, registry, ANKER, claim.id, 1)
    assert ops.show(database, registry, BASEUS, claim.id).contact is not None
    assert ops.show(database, registry, REGULATOR, claim.id).state is ClaimState.SUBMITTED


def test_erase_removes_the_claimants_data_and_keeps_the_counts(
    database: Database, registry: Registry
) -> None:
    claim, _ = submit(database, registry)
    ops.move(database, registry, BASEUS, claim.id, ClaimState.APPROVED, now=NOW)
    erased = ops.erase(database, registry, REGULATOR, claim.id, now=NOW)
    assert erased.contact is None and erased.erased_at is not None and erased.photos == 0
    assert erased.state is ClaimState.APPROVED and erased.serial == "BS30KP3650012D"
    with database.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(claim_photos)) == 0
        row = connection.execute(sa.text(
            "select contact_name, contact_email, contact_phone, contact_salt from claims"
        )).one()
        assert tuple(row) == (None, None, None, None)
        # the audit log never held the contact, and its chain is intact
        logged = " ".join(r.after or "" for r in connection.execute(sa.select(audit_log)))
        # the phone as given and as digits ("138" alone also turns up in hex digests)
        assert EMAIL not in logged and "Li Wei" not in logged
        assert "138 0000 0000" not in logged and "13800000000" not in logged
        assert '"contact_digest"' in logged
        assert audit.verify(connection).ok
    effect = ops.recall_effectiveness(database, registry, claim.recall_id)
    assert effect.claims == 1 and effect.by_state == {"approved": 1}


def test_recall_effectiveness_over_time(database: Database, registry: Registry) -> None:
    claims = []
    for i, month in enumerate((7, 8, 8)):
        at = dt.datetime(2025, month, 10, tzinfo=dt.UTC)
        claim, _ = ops.submit(database, registry, request(serial=f"BS30KP36500{i}D"),
                              max_photo_bytes=1 << 22, max_photos=5, now=at)
        claims.append(claim)
    for state in (ClaimState.APPROVED, ClaimState.REMEDY_SENT, ClaimState.COMPLETED):
        ops.move(database, registry, BASEUS, claims[0].id, state,
                 now=dt.datetime(2025, 9, 1, tzinfo=dt.UTC))
    ops.move(database, registry, BASEUS, claims[1].id, ClaimState.REJECTED,
             reason=RejectReason.NOT_GENUINE, now=dt.datetime(2025, 9, 2, tzinfo=dt.UTC))
    effect = ops.recall_effectiveness(database, registry, "us-cpsc-baseus-bs-30kp365-2025-05")
    assert (effect.units, effect.claims) == (55_380, 3)
    assert effect.by_state == {"completed": 1, "rejected": 1, "submitted": 1}
    assert effect.completed_share == round(100 / 55_380, 3)
    assert effect.claimed_share == round(200 / 55_380, 3)  # the rejected claim left out
    assert [(m.month, m.submitted, m.completed, m.submitted_total) for m in effect.months] == [
        ("2025-07", 1, 0, 1), ("2025-08", 2, 0, 3), ("2025-09", 0, 1, 3)
    ]
    assert effect.reported == ()
    samr = ops.recall_effectiveness(database, registry, "cn-anker-2025-06")
    assert samr.claims == 0
    (figure,) = samr.reported
    assert (figure.units_recovered, figure.share_percent) == (565_000, 78.7)
    assert figure.sources and figure.text.zh
    overview = {e.recall_id: e for e in ops.effectiveness_overview(database, registry)}
    # every recall with claims or with published figures, and no other
    assert set(overview) == {"us-cpsc-baseus-bs-30kp365-2025-05", "cn-romoss-2025-06",
                             "cn-anker-2025-06", "cn-xiaomi-2025-08"}
    assert overview["us-cpsc-baseus-bs-30kp365-2025-05"] == effect
    assert overview["cn-romoss-2025-06"].reported[0].share_percent == 34.1


def test_bad_photos_change_nothing(database: Database, registry: Registry) -> None:
    with pytest.raises(InputError):
        ops.submit(database, registry, request(), [b"not an image"], max_photo_bytes=1 << 22,
                   max_photos=5, now=NOW)
    with pytest.raises(Exception, match="larger than the limit"):
        ops.submit(database, registry, request(), [jpeg_with_gps()] * 3,
                   max_photo_bytes=1 << 22, max_photos=2, now=NOW)
    with database.connect() as connection:
        assert connection.scalar(sa.text("select count(*) from claims")) == 0
