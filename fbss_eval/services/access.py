"""Record of access: who opened which patient or visit (HIPAA 164.312(b) audit controls).

One ``view`` row per user, record and clock hour (UTC) is enough to answer "who looked at this
record, and when": the first view in an hour writes a row, later ones cost one indexed query.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import AuditEvent
from ..models.base import now_utc
from . import audit

VIEW = "view"


def hour_start(moment: datetime) -> datetime:
    """The start of the clock hour a moment falls in."""
    return moment.replace(minute=0, second=0, microsecond=0)


def viewed_this_hour(user_id: int, entity: str, entity_id: int, now: datetime | None = None) -> bool:
    """True when this user's view of this record is already recorded this hour (one cheap query)."""
    since = hour_start(now or now_utc())
    return db.session.scalar(
        sa.select(sa.literal(1)).where(
            AuditEvent.entity == entity, AuditEvent.entity_id == entity_id, AuditEvent.user_id == user_id,
            AuditEvent.action == VIEW, AuditEvent.at >= since,
        ).limit(1)
    ) is not None


def record_view(user_id: int, username: str, entity: str, entity_id: int) -> bool:
    """Add the hour's ``view`` row unless one is there (checked again inside the write); flushes.
    Returns whether a row was added."""
    if viewed_this_hour(user_id, entity, entity_id):
        return False
    audit.record(VIEW, entity, entity_id, user_id=user_id, username=username)
    db.session.flush()
    return True
