"""Writing the audit trail. Rows are only ever added (see models.audit for the guard)."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import g
from flask import has_request_context
from flask import request

from ..extensions import db
from ..models import AuditEvent
from ..models import User
from ..models.audit import GENESIS_HASH
from ..models.audit import HASHED_FIELDS
from ..models.audit import chain_hash

_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def jsonable(value: Any) -> Any:
    """A JSON-friendly copy of a value (dates as ISO strings, sets as sorted lists)."""
    if type(value) in _JSON_SCALARS:  # the common case, first (every answer of every save)
        return value
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
    """Add one audit row to the session (the caller's commit writes it with the change; the
    flush that inserts it links it into the hash chain, see models.audit).

    The actor is ``user`` (or ``user_id``/``username`` given as plain values), else the user
    of the current request. Outside a request (a ``flask`` command) the row also names the
    operator: ``--as USER`` when given, else the OS user running the command."""
    actor = user if user is not None else (g.get("user") if has_request_context() else None)
    event = AuditEvent(
        user_id=user_id if user_id is not None else (actor.id if actor is not None else None),
        username=username or (actor.username if actor is not None else None),
        action=action,
        entity=entity,
        entity_id=entity_id,
        changes=jsonable(changes) if changes else None,
        remote_addr=request.remote_addr if has_request_context() else None,
        operator=None if has_request_context() else command_operator(),
    )
    db.session.add(event)
    return event


@contextmanager
def command_operator_named(name: str | None) -> Iterator[None]:
    """Within the block, audit rows name ``name`` (``--as USER``) as the operator (None: the OS user)."""
    before = g.get("audit_operator")
    g.audit_operator = name
    try:
        yield
    finally:
        g.audit_operator = before


def command_operator() -> str:
    """``--as USER`` (with the OS user when it differs), else the OS user."""
    try:
        os_user = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        os_user = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    named = g.get("audit_operator")
    if named and named != os_user:
        return f"{named} (OS user {os_user})"
    return os_user


@dataclass(frozen=True)
class ChainCheck:
    """The result of recomputing the hash chain: rows read, and the first row that does not
    match (with why), if any."""

    rows: int
    bad_id: int | None = None
    problem: str | None = None


def verify_chain() -> ChainCheck:
    """Recompute every row's hash, oldest first, and compare it and its link with what is stored."""
    columns = [AuditEvent.id, AuditEvent.prev_hash, AuditEvent.row_hash,
               *(getattr(AuditEvent, name) for name in HASHED_FIELDS)]
    result = db.session.execute(sa.select(*columns).order_by(AuditEvent.id).execution_options(yield_per=1000))
    try:
        return _check_rows(result)
    finally:
        result.close()  # a server-side cursor on PostgreSQL, left open by an early return


def _check_rows(rows: Iterable[sa.Row[Any]]) -> ChainCheck:
    expected_prev, previous_id, count = GENESIS_HASH, None, 0
    for row in rows:
        count += 1
        values = row._mapping
        if not values["row_hash"] or not values["prev_hash"]:
            return ChainCheck(count, row.id, "it has no hash (written outside the app, or before the chain began)")
        if chain_hash(dict(values), values["prev_hash"]) != values["row_hash"]:
            return ChainCheck(count, row.id, "its content does not match its hash (the row was changed)")
        if values["prev_hash"] != expected_prev:
            after = f"row {previous_id}" if previous_id is not None else "the start of the trail"
            return ChainCheck(count, row.id, f"it does not link to {after} (a row between them was removed, "
                                             "or one was added or changed)")
        expected_prev, previous_id = values["row_hash"], row.id
    return ChainCheck(count)
