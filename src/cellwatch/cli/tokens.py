"""``cellwatch tokens``: create, list and revoke the API's bearer tokens.

A token's secret is printed once, when it is created; only its hash is stored. Creating
and revoking are written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.table import Table

from cellwatch.cli.context import current
from cellwatch.cli.output import console, print_json
from cellwatch.store.tokens import Token, TokenRole, create_token, list_tokens, revoke_token

app = typer.Typer(help="Bearer tokens for the API's writes.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _value(token: Token) -> dict[str, Any]:
    return {**token.public(), "state": token.state()}


@app.command("create")
def create(
    role: Annotated[
        TokenRole, typer.Option(help="brand, regulator, checkpoint, screener or admin.")
    ],
    company: Annotated[
        str | None, typer.Option(help="Company id a brand token is bound to (required for brand).")
    ] = None,
    expires_in_days: Annotated[
        int | None, typer.Option(min=1, max=3650, help="Expire after this many days.")
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Who or what uses it (default: role and company).")
    ] = None,
    json_: JsonOption = False,
) -> None:
    """Create a token and print its secret (shown this once; keep it safe)."""
    context = current()
    expires = (
        dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_in_days) if expires_in_days else None
    )
    label = name or "-".join(part for part in (role.value, company) if part)
    with context.database.unit_of_work(context.settings.actor) as uow:
        token, secret = create_token(uow, role, name=label, company=company, expires_at=expires)
    if json_:
        print_json({**_value(token), "secret": secret})
        return
    console.print(f"token {token.id} ({token.name}, {token.role.value}"
                  f"{', ' + token.company if token.company else ''}) created.")
    console.print("Its secret, shown only now — send it as 'Authorization: Bearer <secret>':")
    console.print(secret, highlight=False, soft_wrap=True)


@app.command("list")
def list_command(json_: JsonOption = False) -> None:
    """List every token (never the secrets): role, company, state, expiry."""
    context = current()
    with context.database.connect() as connection:
        tokens = list_tokens(connection)
    if json_:
        print_json([_value(token) for token in tokens])
        return
    table = Table()
    for column in ("id", "name", "role", "company", "state", "created", "expires"):
        table.add_column(column)
    for token in tokens:
        value = token.public()
        table.add_row(
            str(token.id), token.name, token.role.value, token.company or "", token.state(),
            value["created_at"], value.get("expires_at", ""),
        )
    console.print(table)


@app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `tokens list`).")],
    json_: JsonOption = False,
) -> None:
    """Revoke a token: it is refused from now on."""
    context = current()
    with context.database.unit_of_work(context.settings.actor) as uow:
        token = revoke_token(uow, token_id)
    if json_:
        print_json(_value(token))
        return
    console.print(f"token {token.id} ({token.name}) is revoked")
