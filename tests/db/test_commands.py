"""The ``flask --app fbss_eval ...`` commands."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from urllib.parse import urlsplit

import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import Patient
from fbss_eval.models import User
from fbss_eval.models import UserSession
from fbss_eval.services.passwords import verify_password
from tests.conftest import PASSWORD
from tests.conftest import login

GOOD = "a perfectly good passphrase"


def account(username: str) -> User | None:
    db.session.rollback()
    return db.session.scalar(sa.select(User).where(User.username == username))


def user_count() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def logged_in(client) -> bool:
    return client.get("/").status_code == 200


# --- create-user -----------------------------------------------------------------------------------


def test_create_user_reading_the_password_from_stdin(runner, app):
    result = runner.invoke(args=["create-user", "zoe", "--password-stdin"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    zoe = account("zoe")
    assert zoe is not None
    assert zoe.role == "clinician"
    assert zoe.active
    assert zoe.full_name == "zoe"
    assert zoe.password_hash.startswith("$argon2id$")
    assert verify_password(zoe.password_hash, GOOD)
    assert GOOD not in result.output
    client = app.test_client()
    login(client, "zoe", GOOD)
    assert logged_in(client)


def test_create_user_with_the_prompt_asked_twice(runner):
    result = runner.invoke(args=["create-user", "zoe", "--full-name", "Dr Zoe Z"], input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Password") >= 1
    assert "Repeat" in result.output
    zoe = account("zoe")
    assert zoe.full_name == "Dr Zoe Z"
    assert verify_password(zoe.password_hash, GOOD)


def test_create_user_fails_when_the_two_passwords_differ(runner):
    result = runner.invoke(args=["create-user", "zoe"], input=f"{GOOD}\n{GOOD} but different\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert account("zoe") is None


def test_create_user_as_admin(runner):
    result = runner.invoke(args=["create-user", "boss", "--role", "admin", "--password-stdin"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    assert account("boss").role == "admin"


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["create-user", "boss", "--role", "root", "--password-stdin"], input=GOOD + "\n")
    assert result.exit_code != 0
    assert account("boss") is None


def test_create_user_refuses_a_duplicate_username(runner, users):
    before = user_count()
    for name in ("carl", "CARL"):
        result = runner.invoke(args=["create-user", name, "--password-stdin"], input=GOOD + "\n")
        assert result.exit_code != 0
        assert "already exists" in result.output
    assert user_count() == before
    assert verify_password(account("carl").password_hash, PASSWORD)  # untouched


def test_create_user_refuses_weak_passwords(runner):
    for weak, reason in (("short", "at least 12"), ("QWERTY123456", "too common"),
                         ("zoe-zoe-zoe-zoe", "username"), ("x" * 129, "at most 128")):
        result = runner.invoke(args=["create-user", "zoe", "--password-stdin"], input=weak + "\n")
        assert result.exit_code != 0, weak
        assert reason in result.output, result.output
    assert account("zoe") is None


# --- set-password, deactivate-user -----------------------------------------------------------------------


def test_set_password_replaces_the_password_and_ends_sessions(runner, app, users):
    client = app.test_client()
    login(client, "carl")
    assert logged_in(client)
    result = runner.invoke(args=["set-password", "carl", "--password-stdin"], input=GOOD + "\n")
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id)).where(
        UserSession.user_id == users.clinician.id)) == 0
    assert not logged_in(client)
    assert app.test_client().post("/login", data={"username": "carl", "password": PASSWORD}).status_code == 200
    login(app.test_client(), "carl", GOOD)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id)).where(
        UserSession.user_id == users.clinician.id)) == 1  # only the new login


def test_set_password_refuses_a_weak_one_and_an_unknown_user(runner, users):
    result = runner.invoke(args=["set-password", "carl", "--password-stdin"], input="short\n")
    assert result.exit_code != 0
    assert verify_password(account("carl").password_hash, PASSWORD)
    result = runner.invoke(args=["set-password", "nobody", "--password-stdin"], input=GOOD + "\n")
    assert result.exit_code != 0
    assert "No user" in result.output


def test_deactivate_user_ends_sessions_and_logins(runner, app, users):
    client = app.test_client()
    login(client, "carl")
    result = runner.invoke(args=["deactivate-user", "carl"])
    assert result.exit_code == 0, result.output
    assert account("carl").active is False
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id)).where(
        UserSession.user_id == users.clinician.id)) == 0
    assert not logged_in(client)
    assert app.test_client().post("/login", data={"username": "carl", "password": PASSWORD}).status_code == 200
    login(app.test_client(), "olga")  # others are unaffected
    result = runner.invoke(args=["deactivate-user", "nobody"])
    assert result.exit_code != 0


# --- ensure-admin ---------------------------------------------------------------------------------------


def test_ensure_admin_creates_admin_once_and_prints_the_password_once(runner, app):
    assert user_count() == 0
    first = runner.invoke(args=["ensure-admin"])
    assert first.exit_code == 0, first.output
    match = re.search(r"password\s+(\S+)\s", first.output)
    assert match, first.output
    password = match.group(1)
    admin = account("admin")
    assert admin.role == "admin"
    assert verify_password(admin.password_hash, password)
    client = app.test_client()
    login(client, "admin", password)
    assert client.get("/admin/users").status_code == 200

    second = runner.invoke(args=["ensure-admin"])
    assert second.exit_code == 0
    assert second.output == ""
    assert user_count() == 1
    assert verify_password(account("admin").password_hash, password)


def test_ensure_admin_does_nothing_when_users_exist(runner, users):
    before = user_count()
    result = runner.invoke(args=["ensure-admin"])
    assert result.exit_code == 0
    assert result.output == ""
    assert user_count() == before
    assert account("admin") is None


# --- seed-demo ---------------------------------------------------------------------------------------------


def demo_rows(seed: int) -> list[tuple]:
    db.session.rollback()
    return [tuple(row) for row in db.session.execute(
        sa.select(Patient.mrn, Patient.family_name, Patient.given_name, Patient.birth_date, Patient.sex)
        .where(Patient.mrn.like(f"DEMO-{seed}-%")).order_by(Patient.mrn))]


def test_seed_demo_is_deterministic_and_idempotent(runner):
    args = ["seed-demo", "--patients", "5", "--visits-per-patient", "0", "--seed", "7"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "Added 5 patients" in first.output
    rows = demo_rows(7)
    assert [r[0] for r in rows] == [f"DEMO-7-{n:06d}" for n in range(1, 6)]
    assert all(r[1] and r[2] and r[4] in ("female", "male") for r in rows)

    again = runner.invoke(args=args)
    assert again.exit_code == 0
    assert "Added 0 patients" in again.output
    assert demo_rows(7) == rows

    # The same seed on a database without them gives exactly the same patients.
    db.session.execute(sa.delete(Patient).where(Patient.mrn.like("DEMO-7-%")))
    db.session.commit()
    assert runner.invoke(args=args).exit_code == 0
    assert demo_rows(7) == rows

    # More patients extend the list without changing the first five.
    more = runner.invoke(args=["seed-demo", "--patients", "8", "--visits-per-patient", "0", "--seed", "7"])
    assert "Added 3 patients" in more.output
    assert demo_rows(7)[:5] == rows

    other = runner.invoke(args=["seed-demo", "--patients", "5", "--visits-per-patient", "0", "--seed", "8"])
    assert other.exit_code == 0
    assert [r[1:] for r in demo_rows(8)] != [r[1:] for r in rows]


def test_seed_demo_with_defaults_runs_twice(runner):
    first = runner.invoke(args=["seed-demo", "--patients", "5"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed-demo", "--patients", "5"])
    assert second.exit_code == 0
    assert "Added 0 patients" in second.output
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Patient.id))) == 5


# --- backup ------------------------------------------------------------------------------------------------


def test_backup(runner, app, users, tmp_path):
    from tests.web.conftest import make_patient

    make_patient(users.clinician)
    output = tmp_path / "backups" / "copy.sqlite"
    result = runner.invoke(args=["backup", "--output", str(output)])
    if db.engine.dialect.name != "sqlite":
        assert result.exit_code != 0
        assert "pg_dump" in result.output
        assert not output.exists()
        return

    assert result.exit_code == 0, result.output
    source = urlsplit(app.config["SQLALCHEMY_DATABASE_URI"]).path
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(output)) as copy:
        tables = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        names = [r[0] for r in src.execute(tables)]
        assert [r[0] for r in copy.execute(tables)] == names
        assert "patient" in names
        assert "audit_event" in names
        for name in names:
            query = f'SELECT * FROM "{name}" ORDER BY rowid'  # noqa: S608 - a name from sqlite_master
            assert copy.execute(query).fetchall() == src.execute(query).fetchall(), name
        assert copy.execute("SELECT family_name FROM patient").fetchall() == [("Doe",)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    again = runner.invoke(args=["backup", "--output", str(output)])
    assert again.exit_code != 0
    assert "exists" in again.output
