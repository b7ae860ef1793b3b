"""Engine tuning. SQLite: WAL, busy timeout, foreign keys, and BEGIN IMMEDIATE for writes.

Python's sqlite3 module by default opens transactions lazily and never before a SELECT, so a
request that reads then writes could lose an update or fail with SQLITE_BUSY_SNAPSHOT under WAL.
Following the SQLAlchemy SQLite dialect docs, we switch the driver's own transaction handling off
and emit BEGIN ourselves: IMMEDIATE for requests that write (POST, PUT, PATCH, DELETE) or when a
service asks for it with ``write_transaction()``, DEFERRED otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import g
from flask import has_app_context
from flask import has_request_context
from flask import request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# Each statement is planned for its own values. psycopg prepares a statement on its fifth run, and
# by default the server then keeps a generic plan when that looks no dearer than the values' own;
# for the admin list's filters a generic plan does not know which band or category is asked for,
# guesses one row, and walks every visit: "ODI severe, page 1,000" took 300-600 ms against 80-100 ms
# planned for its values, at 100,000 visits. Section pages measured the same either way.
POSTGRESQL_OPTIONS = "-c plan_cache_mode=force_custom_plan"


def engine_options(url: str, options: dict[str, Any]) -> dict[str, Any]:
    """The engine options for ``url``: on PostgreSQL, its session settings added to the connection
    (a new dict; the configuration's own is left as it was)."""
    if not url.startswith("postgresql"):
        return dict(options)
    connect_args = dict(options.get("connect_args") or {})
    given = str(connect_args.get("options") or "")
    if POSTGRESQL_OPTIONS not in given:  # an app made from another's configuration has them already
        connect_args["options"] = f"{given} {POSTGRESQL_OPTIONS}".strip()
    return {**options, "connect_args": connect_args}


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Install the SQLite pragmas and BEGIN handling on an engine (no-op for other backends)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        # SQLite's own lower()/upper() change ASCII letters only ("Öztürk" stays "Öztürk"):
        # case-insensitive search and lookups use Python's Unicode-aware versions instead.
        dbapi_conn.create_function("lower", 1, _unicode_lower, deterministic=True)
        dbapi_conn.create_function("upper", 1, _unicode_upper, deterministic=True)
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if wants_write() else "BEGIN")


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _unicode_upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def wants_write() -> bool:
    """True when the current transaction should take SQLite's write lock at BEGIN."""
    if has_app_context() and g.get("write_transaction"):
        return True
    if has_app_context() and g.get("read_first"):
        return False
    return has_request_context() and request.method in WRITE_METHODS


def write_transaction() -> None:
    """Ask that transactions begun from now on in this request or app context write-lock."""
    g.write_transaction = True


@contextmanager
def write_after_read() -> Iterator[None]:
    """Write from a request that so far only read (a GET), safely on SQLite: end the read
    transaction first, so the write begins its own with BEGIN IMMEDIATE instead of upgrading a
    read snapshot (which fails with SQLITE_BUSY_SNAPSHOT when another writer committed since).
    Objects loaded before are reloaded when next used. No-op on other databases."""
    if db.session.get_bind().dialect.name != "sqlite":
        yield
        return
    db.session.rollback()
    with _flagged("write_transaction"):
        yield


@contextmanager
def read_first() -> Iterator[None]:
    """In a request that writes (a POST), do slow reading work without SQLite's write lock: the
    transaction so far is committed (what it wrote is the request's own bookkeeping, not the
    caller's work), the block's transactions begin DEFERRED, and the read one is ended after it,
    so the caller's writes (``write_after_read``) begin their own with BEGIN IMMEDIATE. The block
    must not write. On other databases the transaction goes on; either way, what was loaded is
    read again when next used (others may have committed meanwhile)."""
    if db.session.get_bind().dialect.name != "sqlite":
        yield
        db.session.expire_all()
        return
    db.session.commit()
    try:
        with _flagged("read_first"):
            yield
    finally:
        db.session.rollback()


@contextmanager
def _flagged(name: str) -> Iterator[None]:
    """``g.<name>`` true for the block (``wants_write`` reads it), as it was after."""
    before = g.get(name, False)
    setattr(g, name, True)
    try:
        yield
    finally:
        setattr(g, name, before)
