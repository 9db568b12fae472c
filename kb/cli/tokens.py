"""`kb token create|list|revoke`: the API's bearer tokens."""

from __future__ import annotations

import click

from kb.cli import cli, open_library
from kb.cli.render import to_json
from kb.tokens import ROLES, visibilities_for


@cli.group("token")
def token_group() -> None:
    """API tokens: each carries a role that decides which documents its holder sees."""


@token_group.command("create")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    required=True,
    help="network, curator, council (public + network documents) or admin (all).",
)
@click.option("--name", required=True, help="Who holds it, e.g. 'portail' or 'c.martin'.")
@click.pass_context
def create_command(ctx: click.Context, role: str, name: str) -> None:
    """Create a token and print it, once: only its hash is stored.

    The token alone goes to standard output, so `TOKEN=$(kb token create ...)` works.
    """
    library = open_library(ctx)
    token, secret = library.access.create_token(name, role)
    click.echo(
        f"token {token.name!r} (role {token.role}) created; it is shown only now, store it safely:",
        err=True,
    )
    click.echo(secret)


@token_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """Every token with its role, creation date and revocation date (never the secret)."""
    tokens = open_library(ctx).access.tokens()
    if as_json:
        click.echo(
            to_json(
                [
                    {
                        "name": t.name,
                        "role": t.role,
                        "created_at": t.created_at,
                        "revoked_at": t.revoked_at,
                        "active": t.active,
                    }
                    for t in tokens
                ]
            )
        )
        return
    if not tokens:
        click.echo("no tokens; create one with `kb token create --role R --name N`")
        return
    width = max(len(t.name) for t in tokens)
    for t in tokens:
        seen = visibilities_for(t.role) if t.role in ROLES else frozenset()
        sees = "all" if seen is None else "+".join(sorted(seen))
        state = f"revoked {t.revoked_at}" if t.revoked_at else "active"
        click.echo(
            f"{t.name:<{width}}  {t.role:<8} sees {sees:<15} created {t.created_at}  {state}"
        )


@token_group.command("revoke")
@click.argument("name")
@click.pass_context
def revoke_command(ctx: click.Context, name: str) -> None:
    """Revoke the token NAME; running servers refuse it from the next request on."""
    token = open_library(ctx).access.revoke_token(name)
    click.echo(f"token {token.name!r} revoked at {token.revoked_at}")
