"""Command-line actions name their operator in the audit trail (issue 11, fault 9): ``--as USER``
on every audited command, else the OS user; web requests name the logged-in user instead. And
``grant-app-role`` refuses a role that could lift the audit guards."""

from __future__ import annotations

import getpass

import pytest
import sqlalchemy as sa

from fbss_eval.cli_audit import AUDITED_COMMANDS
from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from tests.conftest import APP_ROLE
from tests.conftest import DATABASES
from tests.conftest import OWNER_ROLE
from tests.conftest import login

GOOD = "a perfectly good passphrase"


def newest(action: str) -> AuditEvent:
    db.session.rollback()
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id.desc())).first()


def test_a_command_without_as_records_the_os_user(runner):
    result = runner.invoke(args=["create-user", "zoe", "--password-stdin"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    row = newest("create")
    assert row.entity == "user"
    assert row.operator == getpass.getuser()
    assert row.user_id is None  # no app user ran it


def test_as_names_the_operator_with_the_os_user_beside_it(runner, users):
    result = runner.invoke(args=["deactivate-user", "olga", "--as", "Dr Ada Lovelace"])
    assert result.exit_code == 0, result.output
    row = newest("update")
    assert (row.entity, row.entity_id) == ("user", users.other.id)
    assert row.operator == f"Dr Ada Lovelace (OS user {getpass.getuser()})"
    # The name does not stick to later commands in the same process.
    runner.invoke(args=["create-user", "yan", "--password-stdin"], input=GOOD + "\n")
    assert newest("create").operator == getpass.getuser()


def test_as_refuses_an_empty_or_overlong_name(runner, users):
    for name in ("", " ", "x" * 41, "bad\nname"):
        result = runner.invoke(args=["deactivate-user", "olga", "--as", name])
        assert result.exit_code == 2, name
        assert "1 to 40 printable characters" in result.output


def test_every_audited_command_takes_as(app):
    for name in AUDITED_COMMANDS:
        assert "--as" in {opt for param in app.cli.commands[name].params for opt in param.opts}, name


def test_a_web_request_names_the_user_not_an_operator(client, users):
    login(client, "carl")
    row = newest("login")
    assert row.username == "carl"
    assert row.operator is None


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_grant_app_role_on_sqlite_says_there_are_no_roles(app, runner):
    result = runner.invoke(args=["grant-app-role", "anyone"])
    assert result.exit_code == 1
    assert "only on PostgreSQL" in result.output


on_postgres = pytest.mark.parametrize("database", [d for d in DATABASES if d == "postgresql"], indirect=True)


@on_postgres
@pytest.mark.parametrize(("role", "message"), [
    ("postgres", "superuser"),
    (OWNER_ROLE, "owns the tables"),
    ("no_such_role_here", "No role named"),
])
def test_grant_app_role_refuses_a_role_that_could_lift_the_guards(app, runner, role, message):
    result = runner.invoke(args=["grant-app-role", role])
    assert result.exit_code == 1
    assert message in result.output


@on_postgres
def test_tables_a_later_migration_adds_are_usable_by_the_app_role(app, database):
    owner = sa.create_engine(database.owner_url)
    db.session.rollback()
    try:
        with owner.begin() as conn:
            conn.execute(sa.text("CREATE TABLE later_table (id serial PRIMARY KEY, note text)"))
        db.session.execute(sa.text("INSERT INTO later_table (note) VALUES ('works')"))
        db.session.commit()
        assert db.session.scalar(sa.text("SELECT current_user")) == APP_ROLE
        assert db.session.scalar(sa.text("SELECT note FROM later_table")) == "works"
    finally:
        db.session.rollback()
        with owner.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS later_table"))
        owner.dispose()


def test_the_admin_audit_page_shows_a_command_s_operator(runner, as_admin):
    result = runner.invoke(args=["create-user", "zoe", "--password-stdin", "--as", "Ops Olly"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    page = as_admin.get("/admin/audit?action=create")
    assert page.status_code == 200
    assert f"command, Ops Olly (OS user {getpass.getuser()})" in page.get_data(as_text=True)
