"""API tokens for the FHIR endpoints, issued by an admin."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from .base import Base
from .base import now_utc
from .user import User


class TokenScope(enum.StrEnum):
    """What a token may do: read resources, or also import QuestionnaireResponses."""

    READ = "read"
    READ_WRITE = "read-write"


class ApiToken(Base):
    """A bearer token. Only the SHA-256 of its 32-byte random secret is stored; the secret is
    shown once, when it is created. A token acts as ``user`` (what that user may read or change,
    within its scope) and stops working when revoked or when that account is deactivated."""

    __tablename__ = "api_token"
    __table_args__ = (sa.CheckConstraint("scope in ('read', 'read-write')", name="scope_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scope: Mapped[str] = mapped_column(sa.String(12))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        """Scoped read-write."""
        return self.scope == TokenScope.READ_WRITE.value
