"""Logins, throttling, account locks and server-side sessions.

The session cookie carries a random token; the server stores only its SHA-256 in ``user_session``.
Logout, idle or absolute expiry, a password change and deactivation delete the rows, so a cookie
captured earlier is worthless afterwards (OWASP ASVS 7.4.1).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from limits import parse_many

from ..extensions import db
from ..extensions import limiter
from ..models import AuditEvent
from ..models import LoginAttempt
from ..models import User
from ..models import UserSession
from ..models.base import now_utc
from . import audit
from .passwords import hash_password
from .passwords import needs_rehash
from .passwords import password_problem
from .passwords import verify_password
from .records import FieldProblem

LOGIN_FAILED_MESSAGE = (
    "Invalid username or password, or the account is locked or inactive. "
    "After repeated failures an account is locked for a while; an administrator can unlock it."
)
# Three refusals, three messages, so that a user (and the admin they call) knows which one it is:
# the per-account throttle (this module), the per-address limit (Flask-Limiter, errors.py's 429)
# and the account lock, told only to whoever typed the right password (so that the message does
# not tell a guesser which accounts exist or are locked).
THROTTLED_MESSAGE = ("Too many failed logins for this account in the last minute. Wait a minute and try again, "
                     "or ask an administrator to unlock the account.")
LOCKED_MESSAGE = ("This account is locked after repeated failed logins, until {until} UTC. "
                  "An administrator can unlock it sooner.")
LIMITED_MESSAGE = ("Too many login attempts from this computer in the last minute. Wait a minute and try "
                   "again, or ask an administrator to unlock the account.")


# The login view's endpoint (Flask-Limiter scopes its limit by it) and how far back an unlock
# looks for the addresses to clear (any limit window in use is shorter).
LOGIN_ENDPOINT = "auth.login"
LIMIT_MEMORY = timedelta(days=1)


@dataclass(frozen=True)
class LoginOutcome:
    """The result of a login attempt: a user on success, else a message to show."""

    user: User | None
    message: str | None = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login_key(username: str) -> str:
    """The username as the throttle and the login limit count it (case and spaces ignored)."""
    return username.strip().lower()[:80]


def _throttled(username: str, now: datetime) -> bool:
    window_start = now - current_app.config["LOGIN_THROTTLE_WINDOW"]
    count = db.session.scalar(
        sa.select(sa.func.count(LoginAttempt.id)).where(
            LoginAttempt.username == username, LoginAttempt.at > window_start
        )
    )
    return (count or 0) >= current_app.config["LOGIN_THROTTLE_ATTEMPTS"]


def authenticate(username: str, password: str) -> LoginOutcome:
    """Check a username and password, applying the per-user throttle and the account lock.

    The throttle counts failures per username typed (known or not), never globally, so one
    attacker cannot lock every clinician out (SecureDrop's test_login_throttle_is_not_global).
    Every refusal verifies one argon2 hash, as a wrong password does, so the time of the answer
    does not tell which accounts exist, are locked or are inactive.
    """
    key = login_key(username)
    now = now_utc()
    if _throttled(key, now):
        verify_password(_dummy_hash(), password)
        audit.record("login_throttled", username=key)
        return LoginOutcome(None, THROTTLED_MESSAGE)

    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == key))
    if user is not None and user.active and user.is_locked(now) and user.locked_until is not None:
        # The same one hash as any attempt; the right password learns that the account is locked.
        right = verify_password(user.password_hash, password)
        outcome = _failed(key, user, now, "locked")
        if right:
            return LoginOutcome(None, LOCKED_MESSAGE.format(until=user.locked_until.strftime("%Y-%m-%d %H:%M")))
        return outcome
    refused = "unknown user" if user is None else "inactive" if not user.active else None
    if user is None or refused is not None:
        verify_password(_dummy_hash(), password)  # the same work as for a wrong password
        return _failed(key, user, now, refused or "unknown user")
    if not verify_password(user.password_hash, password):
        _count_wrong_password(user, now)
        return _failed(key, user, now, "wrong password")

    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login", "user", user.id, user=user)
    return LoginOutcome(user)


def _count_wrong_password(user: User, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["LOGIN_LOCK_AFTER"]:
        user.locked_until = now + current_app.config["LOGIN_LOCK_DURATION"]
        audit.record("account_locked", "user", user.id, user=user)


# Known to this process only: it makes a ``PasswordProof``'s digest useless anywhere else.
_PROOF_KEY = secrets.token_bytes(32)


def _digest(password: str) -> bytes:
    return hmac.new(_PROOF_KEY, password.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()


@dataclass(frozen=True)
class PasswordProof:
    """That a password was verified against a user's stored hash earlier in the same request:
    the hash, and a keyed digest of the password (not the password). Signing verifies the
    password before its render, outside the lock; ``confirm_password`` under the lock then runs
    argon2 again only if the stored hash or the password differs from what was verified."""

    password_hash: str
    digest: bytes

    def holds(self, password_hash: str, password: str) -> bool:
        return (hmac.compare_digest(self.password_hash, password_hash)
                and hmac.compare_digest(self.digest, _digest(password)))


def prove_password(user: User, password: str) -> PasswordProof | None:
    """One argon2 verify of ``password`` against ``user``'s stored hash: a proof, or None when it
    does not match. Nothing is counted, throttled or audited here: ``confirm_password`` decides."""
    if not verify_password(user.password_hash, password):
        return None
    return PasswordProof(user.password_hash, _digest(password))


def confirm_password(user: User, password: str, purpose: str, proof: PasswordProof | None = None) -> LoginOutcome:
    """Re-check a signed-in user's password (an electronic signature, 21 CFR 11.200).

    The same per-user throttle, failure count and account lock as a login: a wrong password
    here counts as a failed login (audited as ``login_failed`` with the purpose as reason). With a
    ``proof`` that still holds (``prove_password`` earlier in this request, for this password and
    the hash stored now), the password is not verified a second time; every other check is."""
    key = user.username.strip().lower()[:80]
    now = now_utc()
    if _throttled(key, now):
        audit.record("login_throttled", "user", user.id, {"purpose": [None, purpose]}, user=user)
        return LoginOutcome(None, THROTTLED_MESSAGE)
    if not user.active or user.is_locked(now):
        return _failed(key, user, now, f"locked ({purpose})")
    verified = proof is not None and proof.holds(user.password_hash, password)
    if not verified and not verify_password(user.password_hash, password):
        _count_wrong_password(user, now)
        return _failed(key, user, now, f"wrong password ({purpose})")
    user.failed_logins = 0
    return LoginOutcome(user)


def _failed(key: str, user: User | None, now: datetime, reason: str) -> LoginOutcome:
    db.session.add(LoginAttempt(username=key, at=now))
    audit.record(
        "login_failed",
        "user",
        user.id if user else None,
        changes={"reason": [None, reason]},
        username=key,
    )
    return LoginOutcome(None, LOGIN_FAILED_MESSAGE)


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    fast = bool(current_app.config.get("ARGON2_FAST"))
    key = "fast" if fast else "strong"
    if key not in _DUMMY:
        _DUMMY[key] = hash_password(secrets.token_urlsafe(16))
    return _DUMMY[key]


def start_session(user: User) -> str:
    """Create a server-side session for the user; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=_token_hash(token), user_id=user.id))
    return token


@dataclass(frozen=True)
class SessionState:
    """What the cookie's token resolves to: a live session, an expired one, or nothing."""

    session: UserSession | None
    expired_user_id: int | None = None


def resolve_session(token: str | None) -> SessionState:
    """Look the token up; expired sessions are deleted and reported with their user id."""
    if not token:
        return SessionState(None)
    row = db.session.scalar(sa.select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if row is None:
        return SessionState(None)
    now = now_utc()
    idle = current_app.config["SESSION_IDLE_TIMEOUT"]
    absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    row_id, user_id, username = row.id, row.user_id, row.user.username
    expired = not row.user.active or now - row.last_seen_at > idle or now - row.created_at > absolute
    touch = now - row.last_seen_at > current_app.config["SESSION_TOUCH_INTERVAL"]
    if not (expired or touch):
        return SessionState(row)
    # End the read transaction before writing, so that SQLite never upgrades a read snapshot
    # into a write (SQLITE_BUSY_SNAPSHOT); the write then starts its own transaction.
    db.session.rollback()
    if expired:
        db.session.execute(sa.delete(UserSession).where(UserSession.id == row_id))
        audit.record("session_expired", "user", user_id, user_id=user_id, username=username)
        db.session.commit()
        return SessionState(None, expired_user_id=user_id)
    db.session.execute(
        sa.update(UserSession).where(UserSession.id == row_id).values(last_seen_at=now)
    )
    db.session.commit()
    return SessionState(db.session.get(UserSession, row_id))


def end_session(token: str | None) -> None:
    """Delete the session row for this token, if any."""
    if token:
        db.session.execute(sa.delete(UserSession).where(UserSession.token_hash == _token_hash(token)))


def end_all_sessions(user_id: int) -> int:
    """Delete every session of a user (password change, deactivation); returns how many."""
    result = db.session.execute(sa.delete(UserSession).where(UserSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def set_password(user: User, password: str) -> None:
    """Set a new password and end every session of the user."""
    user.password_hash = hash_password(password)
    user.password_changed_at = now_utc()
    end_all_sessions(user.id)


def change_own_password(user: User, current: str, new: str) -> None:
    """A user's change of their own password: the current one must be right and the new one meet
    the policy and differ from the current one. Every session of the user ends (the caller starts a
    fresh one); a password change an admin's reset asked for is done; audited."""
    if not verify_password(user.password_hash, current):
        raise FieldProblem("current", "The current password is not right.")
    problem = password_problem(new, user.username)
    if problem:
        raise FieldProblem("new", problem)
    if new == current:
        raise FieldProblem("new", "Choose a new password, not the current one.")
    set_password(user, new)
    user.must_change_password = False
    audit.record("password_change", "user", user.id, user=user)


def log_out(user: User) -> None:
    """Audit a logout (the caller ends the session and clears the cookie)."""
    audit.record("logout", "user", user.id, user=user)


def unlock(user: User) -> None:
    """Lift an account lock and reset the failure count; the per-account throttle and the
    per-address login limit forget this username's recent failures, so that the user can log in
    at once (``forget_login_limits``)."""
    user.locked_until = None
    user.failed_logins = 0
    key = login_key(user.username)
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.username == key))
    forget_login_limits(key)


def forget_login_limits(key: str) -> None:
    """Clear the per-(address, username) login limit of ``key`` for every address that failed to
    log in as it lately (the audit trail names them), in the limiter's shared storage."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    since = now_utc() - LIMIT_MEMORY
    addresses = set(db.session.scalars(sa.select(AuditEvent.remote_addr).where(
        AuditEvent.action.in_(("login_failed", "login_throttled")), AuditEvent.username == key,
        AuditEvent.at > since).distinct()))
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    for item in parse_many(str(current_app.config["RATELIMIT_LOGIN"])):
        for address in addresses:
            identifiers = [f"{address or ''}|{key}", LOGIN_ENDPOINT]
            limiter.limiter.clear(item, *([prefix, *identifiers] if prefix else identifiers))
