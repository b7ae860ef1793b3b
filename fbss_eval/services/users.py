"""Managing user accounts (admin), audited with old and new values (never the password).

The account rules live here, not in the views: a first password is required and every new
password meets the policy (services.passwords); an admin cannot remove their own admin role or
deactivate themselves; an edit from a form loaded before someone else's save is refused
(services.records); the last active admin can be neither deactivated nor demoted."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Role
from ..models import User
from ..models import UserSession
from ..models.base import now_utc
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


class LastAdminError(FieldProblem):
    """The change would leave no active admin (nobody could manage accounts any more)."""

    def __init__(self, field: str) -> None:
        super().__init__(field, "This is the last active admin: make another account an active admin first.")


def _check_not_last_admin(user: User, data: dict[str, Any]) -> None:
    """Refuse to demote or deactivate the only active admin. The other active admins' rows are
    locked (PostgreSQL) so that two admins demoting each other at once cannot both succeed."""
    if not (user.is_admin and user.active) or (data["role"] == Role.ADMIN.value and data["active"]):
        return
    others = db.session.scalars(
        sa.select(User.id).where(User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id)
        .with_for_update()).all()
    if not others:
        raise LastAdminError("role" if data["role"] != Role.ADMIN.value else "active")


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
        reset_password(user, password, by=by, must_change=user.id != by.id)
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
    """Change name, role or active flag; deactivation ends every session of the user. The last
    active admin can be neither demoted nor deactivated (``LastAdminError``)."""
    _check_username(data["username"], exclude_id=user.id)
    _check_not_last_admin(user, data)
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


def reset_password(user: User, password: str, by: User | None, must_change: bool = False) -> None:
    """Set a password for someone (admin or CLI); their sessions end. ``must_change`` (an admin's
    reset of another account): the user must choose a new password at their next login."""
    set_password(user, password)
    user.must_change_password = must_change
    user.version_id += 1
    audit.record("password_reset", "user", user.id, {"must_change": [None, True]} if must_change else None, user=by)


def active_sessions(user: User) -> list[UserSession]:
    """The user's sessions that are still live (not idle or past their absolute limit), newest first."""
    now = now_utc()
    rows = db.session.scalars(
        sa.select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.created_at.desc())).all()
    idle, absolute = current_app.config["SESSION_IDLE_TIMEOUT"], current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    return [row for row in rows if now - row.last_seen_at <= idle and now - row.created_at <= absolute]


def end_sessions(user: User, by: User | None) -> int:
    """End every session of the user (an admin's act); audited with how many ended."""
    ended = end_all_sessions(user.id)
    audit.record("sessions_ended", "user", user.id, {"sessions": [None, ended]}, user=by)
    return ended


def unlock_user(user: User, by: User | None) -> None:
    """Lift an account lock."""
    unlock(user)
    audit.record("unlock", "user", user.id, user=by)


def deactivate(user: User, by: User | None) -> None:
    """Stop a user from logging in and end their sessions."""
    update_user(user, {**snapshot(user), "active": False}, by)
