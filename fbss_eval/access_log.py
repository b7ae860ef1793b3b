"""The views' one call for the record of access: ``record_access("patient", patient.id)``."""

from __future__ import annotations

from flask import g
from flask import request

from .database import write_after_read
from .services import access
from .services.unit_of_work import unit_of_work


def record_access(entity: str, entity_id: int) -> None:
    """Audit that the logged-in user opened this record (a GET), once per user, record and hour.

    Edits (POST) are audited by what they change, so only reads are recorded here."""
    user = g.get("user")
    if user is None or request.method not in ("GET", "HEAD"):
        return
    if access.viewed_this_hour(user.id, entity, entity_id):
        return
    user_id, username = user.id, user.username
    with write_after_read(), unit_of_work():
        access.record_view(user_id, username, entity, entity_id)
