"""Migrations, on a fresh empty SQLite file and (with TEST_DATABASE_URL) a fresh PostgreSQL
database: head matches the models; every revision downgrades and upgrades again, leaving the
schema as it found it; downgrade to base leaves nothing; data survives a step that does not
touch it. Generic over the revision list, so new migrations are checked without new code here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from fbss_eval import create_app
from fbss_eval.extensions import db
from fbss_eval.models import Base
from tests.conftest import DATABASES
from tests.conftest import PG_URL

# A database of its own next to the test database ("test" -> "fbss_mig_test"), so that runs
# against different test databases do not collide.
# Revisions that change PostgreSQL alone (planner statistics): on SQLite they must change nothing.
POSTGRESQL_ONLY = frozenset({"c7d2e9f4a810"})
MIGRATION_DB = "fbss_mig_" + ((make_url(PG_URL).database or "test") if PG_URL else "test")


@pytest.fixture(params=DATABASES)
def fresh_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The URL of a brand-new, empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    assert PG_URL is not None
    server = sa.create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {MIGRATION_DB} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {MIGRATION_DB}"))
    try:
        yield make_url(PG_URL).set(database=MIGRATION_DB).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {MIGRATION_DB} WITH (FORCE)"))
        server.dispose()


@pytest.fixture
def mig_app(fresh_url: str) -> Iterator[Flask]:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_url)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def revisions(app: Flask) -> list[Any]:
    """Every revision, oldest first (one line of history: branches would fail here)."""
    config = app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1, f"several heads: {script.get_heads()}; merge them"
    return list(reversed(list(script.walk_revisions("base", "heads"))))


def schema() -> dict[str, Any]:
    """Tables with their columns, indexes, unique, foreign keys and check constraints; triggers and
    functions."""
    db.session.remove()
    inspector = sa.inspect(db.engine)
    out: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table)),
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
            "fks": sorted((f["name"], f["referred_table"], tuple(f["constrained_columns"]))
                          for f in inspector.get_foreign_keys(table)),
            "pk": tuple(inspector.get_pk_constraint(table)["constrained_columns"]),
            "checks": sorted((c["name"], _spaces(c["sqltext"])) for c in inspector.get_check_constraints(table)),
        }
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            out["_triggers"] = sorted(conn.execute(sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        else:
            out["_triggers"] = sorted(conn.execute(sa.text(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
            out["_functions"] = sorted(conn.execute(sa.text(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public'")).scalars())
            out["_types"] = sorted(conn.execute(sa.text(
                "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE n.nspname = 'public' AND t.typtype = 'e'")).scalars())
            out["_statistics"] = sorted(conn.execute(sa.text(
                "SELECT stxname || ' ' || stxkind::text FROM pg_statistic_ext")).scalars())
    return out


def _spaces(text: str) -> str:
    return " ".join(text.split())


def migrated_checks(bind: sa.Engine | sa.Connection, schema_name: str | None = None) -> dict[tuple[str, str], str]:
    """``(table, name) -> text`` of every check constraint in the database, as the database
    reports it (SQLite: as written; PostgreSQL: its own rendering of the expression)."""
    inspector = sa.inspect(bind)
    return {
        (table, str(check["name"])): _spaces(check["sqltext"])
        for table in inspector.get_table_names(schema=schema_name)
        if table != "alembic_version"
        for check in inspector.get_check_constraints(table, schema=schema_name)
    }


def model_checks() -> dict[tuple[str, str], str]:
    """``(table, name) -> text`` of every ``CheckConstraint`` in the models, rendered the way the
    database under test renders a check constraint it stores.

    On PostgreSQL the expression is stored in a scratch schema (tables copied ``LIKE`` the migrated
    ones, without their constraints), read back the same way as the migrated ones and rolled back,
    so both sides carry PostgreSQL's own normalisation (casts, parentheses, ``= ANY (ARRAY[...])``).
    """
    written = {
        (table.name, str(check.name)): str(check.sqltext)
        for table in Base.metadata.tables.values()
        for check in table.constraints
        if isinstance(check, sa.CheckConstraint)
    }
    if db.engine.dialect.name == "sqlite":
        return {key: _spaces(text) for key, text in written.items()}
    with db.engine.connect() as conn:
        conn.execute(sa.text("CREATE SCHEMA ck_probe"))
        for table in sorted({table for table, _name in written}):
            conn.execute(sa.text(f'CREATE TABLE ck_probe."{table}" (LIKE public."{table}")'))
        for (table, name), text in written.items():
            conn.execute(sa.text(f'ALTER TABLE ck_probe."{table}" ADD CONSTRAINT "{name}" CHECK ({text})'))
        rendered = migrated_checks(conn, schema_name="ck_probe")
        conn.rollback()
    return rendered


def app_tables() -> set[str]:
    db.session.remove()
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_head_matches_the_models(mig_app):
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], "the models and the migrations differ: run `flask db migrate`"
    assert app_tables() == set(Base.metadata.tables)


def test_head_has_every_check_constraint_of_the_models(mig_app):
    """Alembic's comparison above does not see check constraints: compare them here, by name and
    by their (normalised) expression."""
    upgrade()
    db.session.remove()
    migrated = migrated_checks(db.engine)
    expected = model_checks()
    assert expected, "the models declare no check constraints: is the reflection broken?"
    assert sorted(set(expected) - set(migrated)) == [], "check constraints in the models that the migrations lost"
    assert sorted(set(migrated) - set(expected)) == [], "check constraints in the migrations the models lack"
    assert migrated == expected


def test_the_schema_has_the_append_only_triggers(mig_app):
    upgrade()
    assert schema()["_triggers"]


def test_every_revision_downgrades_and_upgrades_again(mig_app):
    revs = revisions(mig_app)
    assert revs, "no migrations found"
    for rev in revs:
        below = rev.down_revision or "base"
        assert isinstance(below, str), f"{rev.revision} merges several revisions; test it by hand"
        before = schema()
        upgrade(revision=rev.revision)
        after = schema()
        if rev.revision in POSTGRESQL_ONLY and db.engine.dialect.name != "postgresql":
            assert after == before, f"{rev.revision} is for PostgreSQL alone but changes {db.engine.dialect.name}"
        else:
            assert after != before, f"{rev.revision} changes nothing"
        downgrade(revision=below)
        assert schema() == before, f"downgrading {rev.revision} does not restore the schema"
        upgrade(revision=rev.revision)
        assert schema() == after, f"upgrading {rev.revision} again gives another schema"


def test_downgrade_to_base_leaves_no_app_tables(mig_app):
    upgrade()
    assert app_tables()
    downgrade(revision="base")
    assert app_tables() == set()
    leftovers = {key: value for key, value in schema().items() if value}
    assert leftovers == {}, f"left behind: {leftovers}"


def _rows(table: str) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.text(f'SELECT * FROM "{table}" ORDER BY id'))]  # noqa: S608


# Migrations that change the user or patient tables and have a data test of their own.
DATA_TESTED = {"7d3a9c1e5b42": "tests/db/test_migration_versions.py",
               "573884ffae6c": "tests/db/test_migration_must_change.py",
               "b4e8f2a61c07": "tests/db/test_migration_search_keys.py"}


def test_data_survives_the_last_step_where_it_does_not_touch_it(mig_app):
    from fbss_eval.services import patients as patient_service
    from fbss_eval.services import users as user_service

    upgrade()
    user = user_service.create_user("keeper", "Kee Per", "clinician", "a long enough password")
    patient_service.create({"mrn": "KEEP-1", "family_name": "Doe", "given_name": "Jane",
                            "birth_date": date(1970, 5, 17), "sex": "female"}, by=user)
    db.session.commit()
    db.session.remove()
    tables = ("user", "patient")
    at_head = {table: _rows(table) for table in tables}
    head_schema = schema()

    last = revisions(mig_app)[-1]
    downgrade(revision=last.down_revision or "base")
    below_schema = schema()
    kept = [t for t in tables if below_schema.get(t) == head_schema[t]]
    for table in kept:
        assert _rows(table) == at_head[table], f"downgrading {last.revision} changed the {table} rows"
    upgrade()
    for table in kept:
        assert _rows(table) == at_head[table], f"downgrade + upgrade of {last.revision} lost {table} rows"
    # If the last step changed these tables, it must be the first migration (which creates them);
    # otherwise write a data test for that migration.
    assert kept == list(tables) or last.down_revision is None or last.revision in DATA_TESTED, (
        f"the last migration {last.revision} changes {sorted(set(tables) - set(kept))}: "
        "test how it carries existing rows"
    )
