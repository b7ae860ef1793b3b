"""Managing user accounts (admin), audited with old and new values (never the password)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Role
from ..models import User
from . import audit
from .auth import end_all_sessions
from .auth import set_password
from .auth import unlock
from .passwords import hash_password

AUDITED = ("username", "full_name", "role", "active")


class DuplicateUsernameError(ValueError):
    """Another account already has this username."""


def _snapshot(user: User) -> dict[str, Any]:
    return {name: getattr(user, name) for name in AUDITED}


def _check_username(username: str, exclude_id: int | None = None) -> None:
    query = sa.select(User.id).where(sa.func.lower(User.username) == username.lower())
    if exclude_id is not None:
        query = query.where(User.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise DuplicateUsernameError(username)


def create_user(username: str, full_name: str, role: str, password: str, by: User | None = None) -> User:
    """Add an account with an argon2id password hash."""
    if role not in {r.value for r in Role}:
        raise ValueError(f"unknown role {role!r}")
    _check_username(username)
    user = User(username=username, full_name=full_name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    audit.record("create", "user", user.id, audit.diff({}, _snapshot(user)), user=by)
    return user


def update_user(user: User, data: dict[str, Any], by: User | None) -> dict[str, list[Any]]:
    """Change name, role or active flag; deactivation ends every session of the user."""
    _check_username(data["username"], exclude_id=user.id)
    before = _snapshot(user)
    for name in AUDITED:
        setattr(user, name, data[name])
    changes = audit.diff(before, _snapshot(user))
    if changes:
        audit.record("update", "user", user.id, changes, user=by)
    if not user.active:
        end_all_sessions(user.id)
    return changes


def reset_password(user: User, password: str, by: User | None) -> None:
    """Set a password for someone (admin or CLI); their sessions end."""
    set_password(user, password)
    audit.record("password_reset", "user", user.id, user=by)


def unlock_user(user: User, by: User | None) -> None:
    """Lift an account lock."""
    unlock(user)
    audit.record("unlock", "user", user.id, user=by)


def deactivate(user: User, by: User | None) -> None:
    """Stop a user from logging in and end their sessions."""
    update_user(user, {**_snapshot(user), "active": False}, by)
