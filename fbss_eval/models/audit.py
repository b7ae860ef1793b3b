"""The append-only audit trail. Nothing in the app updates or deletes these rows."""

from __future__ import annotations

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
    __table_args__ = (sa.Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    username: Mapped[str | None] = mapped_column(sa.String(80))
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    entity: Mapped[str | None] = mapped_column(sa.String(40))
    entity_id: Mapped[int | None]
    changes: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    remote_addr: Mapped[str | None] = mapped_column(sa.String(64))


class AuditImmutableError(RuntimeError):
    """Raised when code tries to change or delete an audit row."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context: object, instances: object) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditImmutableError("audit events are append-only")


# The database refuses changes too, whatever the client: triggers on both backends.
APPEND_ONLY_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    ),
}
DROP_APPEND_ONLY_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": ("DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"),
    "postgresql": (
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
        "DROP FUNCTION IF EXISTS audit_event_append_only()",
    ),
}

for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _statement in _statements:
        event.listen(
            AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect=_dialect)
        )
