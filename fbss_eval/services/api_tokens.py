"""API tokens: issued by an admin (the secret shown once, its SHA-256 stored), scoped read or
read-write, revocable, every use recorded (``last_used_at`` and an audit row).

A token is 32 random bytes (``secrets.token_urlsafe(32)``) behind the prefix ``fbss_``; a
SHA-256 of a secret with that much entropy cannot be searched, so no slow hash or salt is needed,
and a lookup by hash is one indexed query. Revoked tokens, and tokens whose account is
deactivated, authenticate nothing.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from ..extensions import db
from ..models import ApiToken
from ..models import TokenScope
from ..models import User
from ..models.base import now_utc
from . import audit

PREFIX = "fbss_"
SCOPES = {TokenScope.READ.value: "Read", TokenScope.READ_WRITE.value: "Read and import (read-write)"}


def token_hash(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def all_tokens() -> list[ApiToken]:
    """Every token, newest first."""
    return list(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.id.desc())))


def find_token(token_id: int) -> ApiToken | None:
    """The token with this id, or None."""
    return db.session.get(ApiToken, token_id)


def token_users() -> list[User]:
    """The active accounts a token may act as."""
    return list(db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.username)))


def create_token(name: str, scope: str, user: User, by: User) -> tuple[ApiToken, str]:
    """Issue a token; returns it and its secret (never stored, shown once)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=token_hash(secret), scope=scope, user_id=user.id, created_by_id=by.id)
    db.session.add(token)
    db.session.flush()
    audit.record("create", "api_token", token.id,
                 {"name": [None, name], "scope": [None, scope], "user": [None, user.username]}, user=by)
    return token, secret


def revoke_token(token: ApiToken, by: User) -> bool:
    """Revoke a token (once); returns whether it was active."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now_utc()
    token.revoked_by_id = by.id
    audit.record("revoke", "api_token", token.id, {"revoked": [False, True]}, user=by)
    return True


def authenticate(secret: str, method: str, path: str) -> ApiToken | None:
    """The active token with this secret, its use recorded (``last_used_at`` and one audit row,
    as its user), or None (unknown, revoked, or its account deactivated)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.session.scalars(sa.select(ApiToken).where(ApiToken.token_hash == token_hash(secret))).first()
    if token is None or not token.active or not token.user.active:
        return None
    token.last_used_at = now_utc()
    audit.record("api_token_use", "api_token", token.id, {"request": [None, f"{method} {path}"]}, user=token.user)
    db.session.flush()
    return token


def find_user(user_id: int | None) -> User | None:
    """An active account a token may act as, or None."""
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.active else None
