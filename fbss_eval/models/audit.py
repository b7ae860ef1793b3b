"""The append-only audit trail. Nothing in the app updates or deletes these rows.

Each row also carries a link of a hash chain: ``row_hash`` is the SHA-256 of the row's content
and of the previous row's ``row_hash`` (``prev_hash``), so an edit or a removal that slips past
the database (an owner or superuser with the triggers off) is visible to ``verify-audit``. The
chain is built at insert time, under a lock, so that two writers never link to the same row.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import Session
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import JsonType
from .base import now_utc


class AuditEvent(Base):
    """Who did what, when, to which record, with old and new values (``field: [old, new]``)."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_entity_user_at", "entity", "entity_id", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    username: Mapped[str | None] = mapped_column(sa.String(80))
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    entity: Mapped[str | None] = mapped_column(sa.String(40))
    entity_id: Mapped[int | None]
    changes: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    remote_addr: Mapped[str | None] = mapped_column(sa.String(64))
    # Who ran a command-line action (``--as USER`` or the OS user); None for web requests.
    operator: Mapped[str | None] = mapped_column(sa.String(120))
    prev_hash: Mapped[str | None] = mapped_column(sa.String(64))
    row_hash: Mapped[str | None] = mapped_column(sa.String(64))

    # One row per INSERT, each chained to the one before (see _link_into_chain).
    __mapper_args__ = {"batch": False}


class AuditImmutableError(RuntimeError):
    """Raised when code tries to change or delete an audit row."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context: object, instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditImmutableError("audit events are append-only")


GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock key for "appending to the audit chain" (any constant unique to this use).
CHAIN_LOCK_KEY = 0x0FB55A0D17
HASHED_FIELDS = ("at", "user_id", "username", "operator", "action", "entity", "entity_id", "changes",
                 "remote_addr")


def chain_hash(values: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) of a row's canonical content and the previous row's hash.

    Canonical content: the HASHED_FIELDS as sorted-key compact JSON, ``at`` as an ISO UTC time
    with microseconds. The id is not hashed (PostgreSQL assigns it during the INSERT); the chain's
    order is the id order, and every row names its predecessor's hash."""
    at = values["at"]
    content = {name: values.get(name) for name in HASHED_FIELDS}
    content["at"] = at.astimezone(UTC).isoformat(timespec="microseconds") if at is not None else None
    content["changes"] = _same_numbers(content["changes"])
    content["prev"] = prev_hash
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_EXACT = 2**53  # integers a float holds exactly


def _same_numbers(value: Any) -> Any:
    """Numbers spelt one way whatever the database: PostgreSQL's JSONB gives 2.0 back as 2.0 but
    1e16 as the integer 10000000000000000, so whole numbers below 2**53 become ints, others floats."""
    if isinstance(value, dict):
        return {key: _same_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_same_numbers(item) for item in value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and not value.is_integer():
        return value
    return int(value) if abs(value) < _EXACT else float(value)


def last_chain_hash(connection: sa.Connection) -> str:
    """The newest row's hash (GENESIS_HASH for an empty trail), read under the chain lock.

    PostgreSQL: a transaction-scoped advisory lock, held to commit, so a second writer waits
    and then reads this row as its predecessor. SQLite: the write lock (BEGIN IMMEDIATE, or the
    INSERT itself) already lets one writer at a time commit; a writer whose read is stale fails
    with SQLITE_BUSY_SNAPSHOT instead of forking the chain."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    table = AuditEvent.__table__
    last = connection.execute(
        sa.select(table.c.row_hash).order_by(table.c.id.desc()).limit(1)
    ).first()
    if last is None:
        return GENESIS_HASH
    return last[0] or GENESIS_HASH


@event.listens_for(AuditEvent, "before_insert")
def _link_into_chain(mapper: object, connection: sa.Connection, target: AuditEvent) -> None:
    if target.at is None:
        target.at = now_utc()
    if target.changes is not None:
        target.changes = json.loads(json.dumps(target.changes))  # as the database will return it
    target.prev_hash = last_chain_hash(connection)
    target.row_hash = chain_hash({name: getattr(target, name) for name in HASHED_FIELDS}, target.prev_hash)


# The database refuses changes too, whatever the client: triggers on both backends.
APPEND_ONLY_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
        # REPLACE / INSERT OR REPLACE delete the old row without firing the delete trigger
        # (recursive_triggers is off): refuse any insert whose id is taken (UPSERT too).
        "CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event "
        "WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
    ),
}
DROP_APPEND_ONLY_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": ("DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete",
               "DROP TRIGGER IF EXISTS audit_event_no_replace"),
    "postgresql": (
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
        "DROP FUNCTION IF EXISTS audit_event_append_only()",
    ),
}

for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _statement in _statements:
        event.listen(
            AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect=_dialect)
        )
