"""Form data kept across an expired session: a POST that arrived after the session ended is
stored for the same user and path, and offered back once, after they log in again."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import FormStash
from ..models.base import now_utc

STASH_LIFETIME = timedelta(hours=12)


def stash(user_id: int, path: str, data: dict[str, list[str]]) -> None:
    """Keep ``data`` (field name to its values) for this user and path, replacing an older stash."""
    db.session.execute(sa.delete(FormStash).where(FormStash.user_id == user_id, FormStash.path == path))
    db.session.add(FormStash(user_id=user_id, path=path, data=data))
    db.session.flush()


def has_stash(user_id: int, path: str) -> bool:
    """Whether anything is stashed for this user and path (fresh or not)."""
    return db.session.scalar(
        sa.select(FormStash.id).where(FormStash.user_id == user_id, FormStash.path == path).limit(1)
    ) is not None


def take(user_id: int, path: str) -> dict[str, list[str]] | None:
    """The data stashed for this user and path, removed as it is taken; None when there is none
    or it is older than ``STASH_LIFETIME`` (an old stash is removed all the same)."""
    row = db.session.scalar(sa.select(FormStash).where(FormStash.user_id == user_id, FormStash.path == path))
    if row is None:
        return None
    data, fresh = row.data, now_utc() - row.created_at < STASH_LIFETIME
    db.session.delete(row)
    db.session.flush()
    return dict(data) if fresh else None
