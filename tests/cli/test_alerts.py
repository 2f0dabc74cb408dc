"""``cellwatch events``, ``watch add|list|deliveries|remove`` and ``worker --once``."""

from __future__ import annotations

from pathlib import Path

from tests.alerts.test_worker import SECRET, Receiver
from tests.cli.conftest import Cli


def test_a_watch_on_an_inventory_hears_of_a_new_recall(cli: Cli, tmp_path: Path) -> None:
    assert cli("load", "--demo").code == 0
    events = cli("events", "--brand", "Anker", "--json").json()
    assert events["events"] and {e["type"] for e in events["events"]} >= {"recall.published"}
    inventory = tmp_path / "shelf.csv"
    inventory.write_text("brand,model,batch,label\nRomoss,PAC20-272,C14-P6,shelf 3\n"
                         "Romoss,PAC20-272,Z99-Q9,shelf 4\n", encoding="utf-8")
    receiver = Receiver()
    try:
        made = cli("watch", "add", "--url", receiver.url, "--name", "shop",
                   "--inventory", str(inventory), "--json")
        assert made.code == 0, made.err
        watch_id = made.json()["id"]
        assert made.json()["secret"] != SECRET
        # a revision of the Romoss recall reaches the watched unit of batch C14-P6
        bundle = tmp_path / "bundle"
        assert cli("export", str(bundle)).code == 0
        recalls = bundle / "recalls.yaml"
        text = recalls.read_text(encoding="utf-8")
        assert "units: 491745" in text
        recalls.write_text(text.replace("units: 491745", "units: 491746", 1), encoding="utf-8")
        assert cli("load", str(bundle)).code == 0
        round_ = cli("worker", "--once", "--json")
        assert round_.code == 0, round_.err
        assert round_.json()["delivered"] == 1
    finally:
        receiver.close()
    [body] = receiver.bodies()
    assert body["event"]["type"] == "recall.revised"
    assert body["matched"] == [{"watched": "unit", "line": 2, "brand": "Romoss",
                                "model": "PAC20-272", "status": "recalled",
                                "label": "shelf 3", "batch": "C14-P6"}]
    listed = cli("watch", "list", "--json").json()
    assert listed[0]["deliveries"]["delivered"] == 1
    shown = cli("watch", "deliveries", str(watch_id), "--json").json()
    assert shown[0]["status"] == "delivered"
    assert cli("watch", "remove", str(watch_id)).code == 0
    assert cli("watch", "remove", str(watch_id)).code == 3


def test_watch_add_refuses_what_cannot_match(cli: Cli) -> None:
    assert cli("load", "--demo").code == 0
    unknown = cli("watch", "add", "--url", "https://example.org/h", "--brand", "Nobody Ltd")
    assert unknown.code == 2 and "no brand 'Nobody Ltd'" in unknown.err
    empty = cli("watch", "add", "--url", "https://example.org/h")
    assert empty.code == 2 and "at least one" in empty.err
    assert cli("watch", "list", "--json").json() == []
