"""``flask --app fbss_eval verify-visit ID``: recompute a visit's hashes from what is stored."""

from __future__ import annotations

import click
from flask import Flask

from .extensions import db
from .models import Visit
from .services import verification


@click.command("verify-visit")
@click.argument("visit_id", type=int)
def verify_visit(visit_id: int) -> None:
    """Print "intact" or each thing that differs from what was signed; exit 1 when not intact."""
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise click.ClickException(f"No visit {visit_id}.")
    result = verification.verify(visit)
    db.session.rollback()  # read only
    if not result.revisions and visit.status == "draft":
        click.echo(f"visit {visit_id}: never signed, nothing to verify")
        return
    if result.intact:
        click.echo(f"visit {visit_id}: intact ({len(result.checked)} checks, {result.revisions} revision(s))")
        return
    click.echo(f"visit {visit_id}: NOT INTACT")
    for problem in result.problems:
        click.echo(f"  - {problem}")
    raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Register the signing commands."""
    app.cli.add_command(verify_visit)
