"""Managing user accounts (admin), audited with old and new values (never the password).

The account rules live here, not in the views: a first password is required and every new
password meets the policy (services.passwords); an admin cannot remove their own admin role or
deactivate themselves; an edit from a form loaded before someone else's save is refused
(services.records)."""

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
from .passwords import password_problem
from .records import FieldProblem
from .records import claim_version

AUDITED = ("username", "full_name", "role", "active")
LABELS = {"username": "Username", "full_name": "Full name", "role": "Role", "active": "Active"}
CHANGE_ACTIONS = ("create", "update", "password_reset")


class DuplicateUsernameError(FieldProblem):
    """Another account already has this username."""

    def __init__(self, username: str) -> None:
        super().__init__("username", "This username is taken.")
        self.username = username


def all_users() -> list[User]:
    """Every account, by username."""
    return list(db.session.scalars(sa.select(User).order_by(User.username)))


def find_user(user_id: int) -> User | None:
    """The account with this id, or None."""
    return db.session.get(User, user_id)


def create_account(data: dict[str, Any], by: User) -> User:
    """An admin's new account (``username, full_name, role, active, password``): the first password
    is required and must meet the policy."""
    password = data.get("password") or ""
    if not password:
        raise FieldProblem("password", "Enter a first password for the account.")
    problem = password_problem(password, data["username"])
    if problem:
        raise FieldProblem("password", problem)
    user = create_user(data["username"], data["full_name"], data["role"], password, by=by)
    if not data["active"]:
        deactivate(user, by=by)
    return user


def edit_account(user: User, data: dict[str, Any], by: User, version: int) -> dict[str, list[Any]]:
    """An admin's edit of an account as loaded at ``version``: names, role, active flag and, when
    given, a new password. Returns the audited changes (a password reset is audited on its own)."""
    password = data.get("password") or ""
    problem = password_problem(password, user.username) if password else None
    if problem:
        raise FieldProblem("password", problem)
    if user.id == by.id and (data["role"] != user.role or not data["active"]):
        raise FieldProblem("role", "You cannot remove your own admin role or deactivate yourself.")
    _check_username(data["username"], exclude_id=user.id)
    if not audit.diff(snapshot(user), {name: data[name] for name in AUDITED}) and not password:
        return {}
    claim_version(user, version, "user", CHANGE_ACTIONS)
    changes = update_user(user, data, by=by)
    if password:
        reset_password(user, password, by=by)
    return changes


def snapshot(user: User) -> dict[str, Any]:
    """The fields of an account that its edit form shows (and the audit compares), as plain values."""
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
    audit.record("create", "user", user.id, audit.diff({}, snapshot(user)), user=by)
    return user


def update_user(user: User, data: dict[str, Any], by: User | None) -> dict[str, list[Any]]:
    """Change name, role or active flag; deactivation ends every session of the user."""
    _check_username(data["username"], exclude_id=user.id)
    before = snapshot(user)
    for name in AUDITED:
        setattr(user, name, data[name])
    changes = audit.diff(before, snapshot(user))
    if changes:
        user.version_id += 1  # an admin's open edit form of this account is now stale
        audit.record("update", "user", user.id, changes, user=by)
    if not user.active:
        end_all_sessions(user.id)
    return changes


def reset_password(user: User, password: str, by: User | None) -> None:
    """Set a password for someone (admin or CLI); their sessions end."""
    set_password(user, password)
    user.version_id += 1
    audit.record("password_reset", "user", user.id, user=by)


def unlock_user(user: User, by: User | None) -> None:
    """Lift an account lock."""
    unlock(user)
    audit.record("unlock", "user", user.id, user=by)


def deactivate(user: User, by: User | None) -> None:
    """Stop a user from logging in and end their sessions."""
    update_user(user, {**snapshot(user), "active": False}, by)
