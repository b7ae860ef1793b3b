"""Shared fixtures.

Every test that uses ``app`` runs once per configured database: SQLite always, PostgreSQL too
when ``TEST_DATABASE_URL`` names one. The schema is built by the real migrations (``upgrade
head``), once per run and database; each test then starts from empty tables (a copy of the
migrated SQLite file, or TRUNCATE on PostgreSQL).

On PostgreSQL the tests use the two roles production uses (README, "Database roles"): the
migrations run as an owner role, which then grants the app role its privileges with
``flask grant-app-role``; the app under test connects as the app role, which owns nothing and
may only SELECT and INSERT audit rows. The roles are created when missing (they are cluster-wide:
the same two serve every test database on the server). TEST_DATABASE_URL names a superuser,
used only to create the roles and databases and to empty the tables between tests.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask import has_app_context
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from config import normalise_database_url
from fbss_eval import create_app
from fbss_eval.extensions import db


def _worker_database_url() -> str | None:
    """TEST_DATABASE_URL, or under pytest-xdist a database of its own for each worker
    (``<name>_gw0`` ...), created on the same server when missing."""
    raw = os.environ.get("TEST_DATABASE_URL")
    if not raw:
        return None
    url = sa.make_url(normalise_database_url(raw))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url.render_as_string(hide_password=False)
    name = f"{url.database}_{worker}"
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


PG_URL = _worker_database_url()  # the superuser's URL of this run's (or worker's) database
OWNER_ROLE = "fbss_test_owner"
APP_ROLE = "fbss_test_app"
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "correct horse battery staple"


def browser_available() -> bool:
    """True when Chromium and Playwright are both installed."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists()


BROWSER_MISSING = (
    f"the browser tests need Chromium and Playwright: Chromium was not found at {CHROMIUM} or Playwright "
    "is not installed. Install Chromium with `apt-get install chromium` (or set CHROMIUM_PATH to a "
    "Chromium binary) and Playwright with `make .venv/.installed`; or leave the browser tests out "
    "explicitly with `-m 'not browser'`."
)


def pytest_report_header(config: pytest.Config) -> list[str]:
    browser = f"browser tests: run with {CHROMIUM}" if browser_available() else (
        f"browser tests: WILL FAIL (Chromium not found at {CHROMIUM} or Playwright missing)")
    return [f"databases: {', '.join(DATABASES)}", browser]


def pytest_configure(config: pytest.Config) -> None:
    """With TEST_DATABASE_URL set, its server must answer: fail at once, not run SQLite only."""
    raw = os.environ.get("TEST_DATABASE_URL")
    if raw and not hasattr(config, "workerinput"):  # the controller (or the only process) checks
        problem = postgres_problem(raw)
        if problem:
            raise pytest.UsageError(problem)


def postgres_problem(raw: str) -> str | None:
    """Why the PostgreSQL server of ``raw`` cannot be used, or None when it answers."""
    url = sa.make_url(normalise_database_url(raw))
    errors = []
    for candidate in (url, url.set(database="postgres")):  # the database itself, else the server
        engine = sa.create_engine(candidate, connect_args={"connect_timeout": 5})
        try:
            with engine.connect():
                return None
        except sa.exc.OperationalError as exc:
            errors.append(str(exc.orig or exc).strip().splitlines()[0])
        finally:
            engine.dispose()
    return (
        f"TEST_DATABASE_URL is set ({url.render_as_string(hide_password=True)}) but its PostgreSQL server "
        f"does not answer: {errors[0]}. Start it (e.g. `pg_ctlcluster <version> main start`) and create "
        "the database, or unset TEST_DATABASE_URL to run on SQLite only."
    )


@pytest.fixture(autouse=True)
def _browser_required(request: pytest.FixtureRequest) -> None:
    """Without Chromium or Playwright every browser test fails, saying how to install them (it is
    never silently left out)."""
    if request.node.get_closest_marker("browser") is not None and not browser_available():
        pytest.fail(BROWSER_MISSING, pytrace=False)


def migrate_to_head(url: str) -> None:
    """Build the schema with the real migrations."""
    from flask_migrate import upgrade

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def reset_postgres_schema(url: str, owner: str | None = None) -> None:
    """Drop and recreate the public schema (an empty database), owned by ``owner`` if given."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text(f'CREATE SCHEMA public AUTHORIZATION "{owner}"' if owner else "CREATE SCHEMA public"))
    engine.dispose()


def ensure_roles(superuser_url: str) -> None:
    """Create the owner and app roles if missing (idempotent; safe when several runs race)."""
    server = sa.create_engine(sa.make_url(superuser_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(20261201)"))  # one creator at a time
        try:
            for role in (OWNER_ROLE, APP_ROLE):
                if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is None:
                    conn.execute(sa.text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'))
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(20261201)"))
    server.dispose()


def as_role(url: str, role: str) -> str:
    """The same database as another role (the test server trusts local connections)."""
    return sa.make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


def grant_app_role(owner_url: str, role: str) -> None:
    """Run ``flask grant-app-role ROLE`` as the owner, as an operator would."""
    from fbss_eval.cli_audit import grant_app_role as command

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=owner_url)
    with app.app_context():
        result = app.test_cli_runner().invoke(command, [role])
        db.engine.dispose()
    assert result.exit_code == 0, result.output


@dataclass(frozen=True)
class Database:
    """A migrated database to clone or clean for each test. On PostgreSQL ``url`` connects as the
    app role; ``owner_url`` as the schema's owner; ``admin_url`` as the superuser."""

    kind: str
    url: str
    template: Path | None = None
    owner_url: str | None = None
    admin_url: str | None = None


@pytest.fixture(scope="session", params=DATABASES)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Database:
    if request.param == "sqlite":
        template = tmp_path_factory.mktemp("sqlite") / "template.sqlite"
        migrate_to_head(f"sqlite:///{template}")
        return Database("sqlite", f"sqlite:///{template}", template)
    assert PG_URL is not None
    ensure_roles(PG_URL)
    reset_postgres_schema(PG_URL, owner=OWNER_ROLE)
    owner_url = as_role(PG_URL, OWNER_ROLE)
    migrate_to_head(owner_url)
    grant_app_role(owner_url, APP_ROLE)
    return Database("postgresql", as_role(PG_URL, APP_ROLE), owner_url=owner_url, admin_url=PG_URL)


def _truncate_all(url: str) -> None:
    """Empty every table, as the superuser: replica mode lifts the audit trail's TRUNCATE guard,
    which neither the app role nor (without its own ALTER TABLE) the owner can do."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        tables = conn.execute(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
        ).scalars().all()
        if tables:
            quoted = ", ".join(f'"{name}"' for name in tables)
            conn.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def db_url(database: Database, tmp_path: Path) -> str:
    """A URL of an empty, migrated database for this test."""
    if database.kind == "sqlite":
        assert database.template is not None
        path = tmp_path / "test.sqlite"
        shutil.copyfile(database.template, path)
        return f"sqlite:///{path}"
    assert database.admin_url is not None
    _truncate_all(database.admin_url)
    return database.url


@pytest.fixture
def app_overrides() -> dict[str, object]:
    """Config overrides for this test's app (override the fixture in a module to change)."""
    return {}


class IsolatedClient(FlaskClient):
    """A test client whose every request (and redirect hop) has its own app context, as in
    production: a fresh ``g`` and database session per request. The test's own work is committed
    first, so the request sees it and the test's next read starts a new transaction."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        if has_app_context():
            db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(db_url: str, app_overrides: dict[str, object]) -> Iterator[Flask]:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=db_url, **app_overrides)
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@dataclass
class Users:
    """Accounts every web test can log in as (password ``PASSWORD``)."""

    admin: object
    clinician: object
    other: object


@pytest.fixture
def users(app: Flask) -> Users:
    from fbss_eval.services.users import create_user

    admin = create_user("ada", "Ada Admin", "admin", PASSWORD)
    clinician = create_user("carl", "Dr Carl Clinician", "clinician", PASSWORD)
    other = create_user("olga", "Dr Olga Other", "clinician", PASSWORD)
    db.session.commit()
    return Users(admin, clinician, other)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form; fails the test if it does not work."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.text[:500]


@pytest.fixture
def as_clinician(client: FlaskClient, users: Users) -> FlaskClient:
    login(client, "carl")
    return client


@pytest.fixture
def as_admin(client: FlaskClient, users: Users) -> FlaskClient:
    login(client, "ada")
    return client
