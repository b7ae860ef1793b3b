"""The declarative base: one metadata with a naming convention, and shared column types."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Annotated
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSON everywhere; JSONB on PostgreSQL so answers can be indexed and queried.
JsonType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def now_utc() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


str40 = Annotated[str, mapped_column(sa.String(40))]
str80 = Annotated[str, mapped_column(sa.String(80))]
str200 = Annotated[str, mapped_column(sa.String(200))]
utc_datetime = Annotated[datetime, mapped_column(UTCDateTime())]
json_doc = Annotated[dict[str, Any], mapped_column(JsonType)]


class Base(DeclarativeBase):
    """Base of every model."""

    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), dict[str, Any]: JsonType},
    )
