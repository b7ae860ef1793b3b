"""Writing the audit trail. Rows are only ever added (see models.audit for the guard)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from datetime import datetime
from typing import Any

from flask import g
from flask import has_request_context
from flask import request

from ..extensions import db
from ..models import AuditEvent
from ..models import User


def jsonable(value: Any) -> Any:
    """A JSON-friendly copy of a value (dates as ISO strings, sets as sorted lists)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return [jsonable(v) for v in sorted(value, key=str)]
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed (absent counts as None)."""
    changes: dict[str, list[Any]] = {}
    for key in sorted(set(old) | set(new), key=str):
        before, after = jsonable(old.get(key)), jsonable(new.get(key))
        if before != after:
            changes[str(key)] = [before, after]
    return changes


def record(
    action: str,
    entity: str | None = None,
    entity_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
    user: User | None = None,
    username: str | None = None,
    user_id: int | None = None,
) -> AuditEvent:
    """Add one audit row to the session (the caller's commit writes it with the change).

    The actor is ``user`` (or ``user_id``/``username`` given as plain values), else the user
    of the current request."""
    actor = user if user is not None else (g.get("user") if has_request_context() else None)
    event = AuditEvent(
        user_id=user_id if user_id is not None else (actor.id if actor is not None else None),
        username=username or (actor.username if actor is not None else None),
        action=action,
        entity=entity,
        entity_id=entity_id,
        changes=jsonable(changes) if changes else None,
        remote_addr=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
