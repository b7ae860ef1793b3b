"""Users and their server-side sessions."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from .base import Base
from .base import now_utc


class Role(enum.StrEnum):
    """What a user may do: clinicians run visits, admins also manage users and read the audit."""

    CLINICIAN = "clinician"
    ADMIN = "admin"


class User(Base):
    """A person who logs in. One account per person (HIPAA unique user id)."""

    __tablename__ = "user"
    __table_args__ = (sa.CheckConstraint("role in ('clinician', 'admin')", name="role_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default=Role.CLINICIAN.value)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime] = mapped_column(default=now_utc)
    # Set by an admin's password reset: every page sends the user to change it until they do.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # The version of what the admin's edit form shows (names, role, active, password); logins and
    # locks do not bump it, so they never make an admin's open form stale.
    version_id: Mapped[int] = mapped_column(default=1, server_default="1")

    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="raise"
    )

    @property
    def is_admin(self) -> bool:
        """True for the admin role."""
        return self.role == Role.ADMIN.value

    def is_locked(self, now: datetime) -> bool:
        """True while an account lock is in force."""
        return self.locked_until is not None and self.locked_until > now


class UserSession(Base):
    """A login. The cookie holds only ``token``; deleting the row ends the session for good."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_seen_at: Mapped[datetime] = mapped_column(default=now_utc)

    user: Mapped[User] = relationship(back_populates="sessions", lazy="joined")


class LoginAttempt(Base):
    """A failed login, by the username typed (known or not), for the per-user throttle."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), index=True)
    at: Mapped[datetime] = mapped_column(default=now_utc, index=True)


class FormStash(Base):
    """Form data posted after the session expired, kept until the same user logs in again."""

    __tablename__ = "form_stash"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(sa.String(500))
    data: Mapped[dict[str, list[str]]] = mapped_column(sa.JSON())
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
