"""``cellwatch claims`` through the real entry point."""

from __future__ import annotations

from cellwatch.claims.claim import ClaimRequest
from cellwatch.fieldops import claims as ops
from cellwatch.store.db import Database
from tests.cli.conftest import Cli
from tests.field import load_demo

EMAIL = "zhao.min@example.cn"


def test_list_show_move_erase_effectiveness(cli: Cli, database: Database) -> None:
    registry = load_demo(database)
    request = ClaimRequest.model_validate({
        "brand": "Baseus", "model": "BS-30KP365", "serial": "BS30KP3651111D",
        "contact": {"name": "Zhao Min", "email": EMAIL},
    })
    claim, _ = ops.submit(database, registry, request, max_photo_bytes=1 << 20, max_photos=5)
    listed = cli("claims", "list", "--json")
    assert listed.code == 0 and listed.json()["total"] == 1
    assert EMAIL not in listed.out
    shown = cli("claims", "show", claim.id)
    assert shown.code == 0 and EMAIL in shown.out
    assert cli("claims", "move", claim.id, "completed").code == 1
    assert cli("claims", "move", claim.id, "rejected").code == 2  # a reason is needed
    assert cli("claims", "move", claim.id, "approved").code == 0
    erased = cli("claims", "erase", claim.id)
    assert erased.code == 0
    assert EMAIL not in cli("claims", "show", claim.id, "--json").out
    effect = cli("claims", "effectiveness", claim.recall_id, "--json").json()
    assert effect["claims"] == 1 and effect["by_state"] == {"approved": 1}
    samr = cli("claims", "effectiveness", "cn-romoss-2025-06")
    assert samr.code == 0 and "34.1 %" in samr.out
    assert cli("claims", "show", "CL-NOPE").code == 3
