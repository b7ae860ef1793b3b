"""``flask --app fbss_eval ...`` commands for administrators."""

from __future__ import annotations

import os
import secrets
import sqlite3
import sys
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask import current_app

from . import cli_audit
from . import cli_signing
from .extensions import db
from .models import Role
from .models import User
from .services import users as user_service
from .services.passwords import password_problem
from .services.unit_of_work import unit_of_work


def init_app(app: Flask) -> None:
    """Register every command."""
    for command in (create_user, set_password, deactivate_user, ensure_admin, seed_demo, backup, checklist,
                    export_pdf, export_pdfs):
        app.cli.add_command(command)
    cli_audit.init_app(app)  # verify-audit, grant-app-role, and --as USER on the audited commands
    cli_signing.init_app(app)  # verify-visit


def _read_password(from_stdin: bool, username: str) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, username)
    if problem:
        raise click.ClickException(problem)
    return password


def _user(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username.lower()))
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    return user


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.CLINICIAN.value)
@click.option("--full-name", default=None, help="Defaults to the username.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(username: str, role: str, full_name: str | None, password_stdin: bool) -> None:
    """Create an account; the password is prompted twice (or read from stdin)."""
    password = _read_password(password_stdin, username)
    try:
        with unit_of_work():
            user_service.create_user(username, full_name or username, role, password)
    except user_service.DuplicateUsernameError:
        raise click.ClickException(f"A user named {username!r} already exists.") from None
    click.echo(f"Created {role} {username}.")


@click.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password(username: str, password_stdin: bool) -> None:
    """Set a user's password (ends their sessions and lifts any lock)."""
    user = _user(username)
    password = _read_password(password_stdin, username)
    with unit_of_work():
        user_service.reset_password(user, password, by=None)
        user_service.unlock_user(user, by=None)
    click.echo(f"Password of {username} changed; their sessions were ended.")


@click.command("deactivate-user")
@click.argument("username")
def deactivate_user(username: str) -> None:
    """Stop a user from logging in and end their sessions."""
    user = _user(username)
    try:
        with unit_of_work():
            user_service.deactivate(user, by=None)
    except user_service.LastAdminError as refused:
        raise click.ClickException(refused.message) from None
    click.echo(f"{username} deactivated.")


@click.command("ensure-admin")
def ensure_admin() -> None:
    """On a database with no users, create ``admin`` with a random password printed once."""
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        return
    password = secrets.token_urlsafe(12)
    with unit_of_work():
        user_service.create_user("admin", "Administrator", Role.ADMIN.value, password)
    line = "=" * 64
    click.echo(f"{line}\nFirst run: created the account 'admin' with the password\n\n    {password}\n")
    click.echo(f"It is shown only this once. Log in and change it (the Password link at the top right).\n{line}")


@click.command("seed-demo")
@click.option("--patients", "n_patients", type=click.IntRange(0, 1_000_000), default=50)
@click.option("--visits-per-patient", type=click.IntRange(0, 50), default=2)
@click.option("--visits", "total_visits", type=click.IntRange(0, 10_000_000), default=None,
              help="Visits in all, spread over the patients (instead of --visits-per-patient).")
@click.option("--seed", type=int, default=2026, help="Same seed, same data.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day visit dates count back from (default: today); same seed and day, same data.")
def seed_demo(n_patients: int, visits_per_patient: int, total_visits: int | None, seed: int,
              today: datetime | None) -> None:
    """Add deterministic synthetic patients (and their visits) for demonstration and benchmarks."""
    from .demo import seed as run_seed

    start = time.perf_counter()
    with unit_of_work():
        created = run_seed(n_patients, visits_per_patient, seed, total_visits=total_visits,
                           today=today.date() if today else None)
    seconds = time.perf_counter() - start
    rate = f", {created.visits / seconds:.0f} visits/s" if created.visits and seconds > 0 else ""
    click.echo(f"Added {created.patients} patients and {created.visits} visits (seed {seed}) "
               f"in {seconds:.1f} s{rate}.")


@click.command("backup")
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def backup(output: Path) -> None:
    """An online backup of the SQLite database (PostgreSQL: use pg_dump)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        raise click.ClickException(
            "This database is PostgreSQL: back it up with pg_dump, e.g. "
            "`pg_dump --format=custom --file=fbss.dump DBNAME`, and test restores with pg_restore."
        )
    if output.exists():
        raise click.ClickException(f"{output} exists; choose a new file name.")
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise click.ClickException("An in-memory database cannot be backed up.")
    output.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(output)) as target:
        source.backup(target)
    current_app.logger.info("backup written")
    click.echo(f"Backup written to {output} ({output.stat().st_size} bytes).")


@click.command("checklist")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--fingerprint", "show_fingerprint", is_flag=True,
              help="Print VERSION, the checklist's fingerprint and whether its release file records it.")
@click.option("--release", "release", is_flag=True,
              help="Write checklist/releases/<VERSION>.json: the definition and fingerprint of VERSION.")
@click.option("--replace", is_flag=True, help="With --release: rewrite it (only if no visit uses VERSION yet).")
def checklist(fmt: str, show_fingerprint: bool, release: bool, replace: bool) -> None:
    """Print the data dictionary: sections, fields, options, enable-when, instruments, rules; or
    the checklist version's fingerprint, or write its release file (checklist/versions.py)."""
    from .checklist import dictionary
    from .checklist import versions

    if release:
        try:
            path = versions.write_release(replace=replace)
        except FileExistsError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Wrote {path} (version {versions.current_version()}, {versions.current_fingerprint()}).")
    elif show_fingerprint:
        click.echo(versions.fingerprint_status())
    else:
        click.echo(dictionary.as_json() if fmt == "json" else dictionary.as_csv(), nl=False)


@click.command("export-pdf")
@click.argument("visit_id", type=int)
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--full", is_flag=True, help="The full record (every answer) instead of the summary.")
def export_pdf(visit_id: int, output: Path, full: bool) -> None:
    """Write one visit's summary PDF (a signed visit's stored PDF), or its full record, to a file; audited."""
    from .models import Visit
    from .pdf.export import export_one

    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise click.ClickException(f"No visit {visit_id}.")
    output.parent.mkdir(parents=True, exist_ok=True)
    with unit_of_work():
        export_one(visit, output, full=full)
    click.echo(f"Wrote {output} ({output.stat().st_size} bytes).")


@click.command("export-pdfs")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="First visit date.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--jobs", type=click.IntRange(1, 256), default=None, help="Worker processes (default: all cores).")
@click.option("--full", is_flag=True, help="Full records (<MRN>_<date>_<visit id>_record.pdf) instead of summaries.")
def export_pdfs(since: datetime, directory: Path, jobs: int | None, full: bool) -> None:
    """Write the summary PDF of every visit since a date to DIR as <MRN>_<date>_<visit id>.pdf, on every core."""
    from .pdf.export import export_many
    from .pdf.export import visits_since

    ids = visits_since(since.date())
    if not ids:
        click.echo(f"No visits since {since.date().isoformat()}.")
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with click.progressbar(length=len(ids), label=f"Exporting {len(ids)} PDFs") as bar:
        results = export_many(app, ids, directory, jobs or os.cpu_count() or 1, progress=lambda _: bar.update(1),
                              full=full)
    failed = [f"visit {r.visit_id}: {r.error}" for r in results if r.error]
    click.echo(f"Wrote {len(results) - len(failed)} PDFs to {directory}.")
    if failed:
        raise click.ClickException("Not exported: " + "; ".join(failed))
