"""``flask`` commands for the audit trail and the database roles, and ``--as USER`` on every
command that writes audit rows (registered from ``cli.init_app``)."""

from __future__ import annotations

import functools
from typing import Any

import click
from flask import Flask

from .services import audit
from .services import db_roles
from .services.unit_of_work import unit_of_work

# Commands that write audit rows: each gets ``--as USER`` (the operator named in those rows).
AUDITED_COMMANDS = ("create-user", "set-password", "deactivate-user", "ensure-admin", "seed-demo",
                    "export-pdf", "export-pdfs")


def init_app(app: Flask) -> None:
    """Register the commands and give the audited ones ``--as``."""
    app.cli.add_command(verify_audit)
    app.cli.add_command(grant_app_role)
    for name in AUDITED_COMMANDS:
        command = app.cli.commands.get(name)
        if command is None:
            raise RuntimeError(f"audited command {name!r} is not registered")
        add_operator_option(command)


def add_operator_option(command: click.Command) -> None:
    """Add ``--as USER`` to a command (once): the audit rows it writes name that operator."""
    if any(param.name == "audit_as" for param in command.params) or command.callback is None:
        return
    callback = command.callback

    @functools.wraps(callback)
    def with_operator(*args: Any, audit_as: str | None = None, **kwargs: Any) -> Any:
        with audit.command_operator_named(audit_as):
            return callback(*args, **kwargs)

    command.params.append(click.Option(
        ["--as", "audit_as"], metavar="USER", type=click.STRING, default=None,
        help="Who is running this, for the audit trail (default: the OS user).",
        callback=_check_operator, expose_value=True))
    command.callback = with_operator


def _check_operator(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not (0 < len(value.strip()) <= 40 and value.isprintable()):
        raise click.BadParameter("give a name of 1 to 40 printable characters")
    return value.strip() if value else None


@click.command("verify-audit")
def verify_audit() -> None:
    """Recompute the audit trail's hash chain; name the first row that does not match (exit 1)."""
    result = audit.verify_chain()
    if result.bad_id is not None:
        raise click.ClickException(
            f"Audit trail broken at row {result.bad_id}: {result.problem}. "
            f"{result.rows - 1} rows before it are intact.")
    click.echo(f"Audit trail intact: {result.rows} rows.")


@click.command("grant-app-role")
@click.argument("role")
def grant_app_role(role: str) -> None:
    """PostgreSQL: make ROLE the app's role (DML; only SELECT and INSERT on the audit trail).

    Run it as the role that owns the schema (the one that runs ``flask db upgrade``), after the
    migrations; it is safe to run again."""
    try:
        with unit_of_work():
            statements = db_roles.grant_app_role(role)
    except db_roles.RoleProblem as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Granted {role} the app's privileges ({len(statements)} statements). "
               f"Run the app with DATABASE_URL naming {role}.")
