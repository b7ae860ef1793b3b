"""What the patient and account services share: a refusal tied to a form field, and optimistic
locking of an edit form across requests (reliability-security.md section 1.4).

An edit form carries the record's ``version_id`` as it was when the form was loaded. Saving claims
the next version with one conditional UPDATE (``... WHERE id = ? AND version_id = <posted>``):
when no row matches, someone saved the record since, and the save is refused with
``StaleRecordError`` instead of silently overwriting their change. The same statement settles two
saves racing in the same instant: the database lets only one of them match.
"""

from __future__ import annotations

from typing import Any
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import AuditEvent
from ..models import Patient
from ..models import User

Versioned = TypeVar("Versioned", Patient, User)
# A posted version outside this range cannot be a real one (INTEGER column).
_MAX_VERSION = 2**31 - 1


class FieldProblem(ValueError):
    """A change refused because of one field's value; the view shows ``message`` beside it."""

    def __init__(self, field: str, message: str, status: int = 200) -> None:
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


class StaleRecordError(Exception):
    """The record was saved by someone else after the form was loaded. ``current`` holds its
    saved values; ``by`` names who saved it last (from the audit trail), when known."""

    def __init__(self, current: Any, by: str | None) -> None:
        super().__init__("stale record")
        self.current, self.by = current, by


def parse_version(text: Any) -> int:
    """The version a form posted, or -1 (matching no record) when it is missing or not a number."""
    value = str(text or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 10 or int(value) > _MAX_VERSION:
        return -1
    return int(value)


def claim_version(record: Versioned, expected: int, entity: str, actions: tuple[str, ...]) -> None:
    """Move ``record`` from version ``expected`` to the next, or raise ``StaleRecordError`` (with the
    record refreshed to what is saved now) when it is no longer at ``expected``."""
    cls = type(record)
    result = db.session.execute(
        sa.update(cls)
        .where(cls.id == record.id, cls.version_id == expected)
        .values(version_id=expected + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        db.session.refresh(record)
        raise StaleRecordError(record, last_editor(entity, record.id, actions))
    set_committed_value(record, "version_id", expected + 1)


def last_editor(entity: str, entity_id: int, actions: tuple[str, ...]) -> str | None:
    """The full name (else username) of whoever last changed the record (an audit row with one of
    ``actions``; views and logins are not changes), from the audit trail."""
    row = db.session.execute(
        sa.select(AuditEvent.username, User.full_name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id, AuditEvent.action.in_(actions))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    return (row.full_name or row.username) if row else None
