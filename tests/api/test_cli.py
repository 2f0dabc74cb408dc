"""``cellwatch tokens create|list|revoke`` and ``cellwatch serve --help``."""

from __future__ import annotations

from tests.cli.conftest import Cli


def test_tokens_create_list_revoke(cli: Cli) -> None:
    assert cli("load", "--demo").code == 0
    made = cli("tokens", "create", "--role", "brand", "--company", "anker",
               "--expires-in-days", "30", "--json")
    assert made.code == 0, made.err
    token = made.json()
    assert token["secret"].startswith("cw_") and token["name"] == "brand-anker"
    assert token["state"] == "active" and token["expires_at"]
    listed = cli("tokens", "list", "--json").json()
    assert [t["id"] for t in listed] == [token["id"]]
    assert "secret" not in listed[0] and token["secret"] not in cli("tokens", "list").out
    revoked = cli("tokens", "revoke", str(token["id"]), "--json")
    assert revoked.code == 0 and revoked.json()["state"] == "revoked"
    log = cli("audit", "log", "--json").json()
    assert [(e["kind"], e["action"]) for e in log[:2]] == [("token", "update"), ("token", "insert")]
    assert cli("audit", "verify").code == 0


def test_tokens_refuse_bad_input(cli: Cli) -> None:
    assert cli("load", "--demo").code == 0
    no_company = cli("tokens", "create", "--role", "brand")
    assert no_company.code == 2 and "--company" in no_company.err
    assert cli("tokens", "create", "--role", "brand", "--company", "nobody").code == 3
    assert cli("tokens", "create", "--role", "admin", "--company", "anker").code == 2
    assert cli("tokens", "revoke", "42").code == 3
    human = cli("tokens", "create", "--role", "regulator", "--name", "samr desk")
    assert human.code == 0 and "cw_" in human.out


def test_serve_has_help(cli: Cli) -> None:
    got = cli("serve", "--help")
    assert got.code == 0 and "--workers" in got.out
