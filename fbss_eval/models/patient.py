"""Patients."""

from __future__ import annotations

import enum
from datetime import date
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base
from .base import now_utc

# The admin's visit search compares these keys by code point ("C" on PostgreSQL, SQLite's
# default BINARY), so "starts with" is an index range whatever the database's collation.
SearchKey = sa.String(420).with_variant(sa.String(420, collation="C"), "postgresql")


def search_key(*words: str) -> str:
    """Names as the visit search compares them: lower case (Unicode), single spaces, no commas."""
    return " ".join(" ".join(words).replace(",", " ").lower().split())


class Sex(enum.StrEnum):
    """Administrative sex as recorded by the clinic."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


SEX_LABELS = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.OTHER: "Other", Sex.UNKNOWN: "Unknown"}


class Patient(Base):
    """A patient of the clinic, identified by the medical record number (MRN)."""

    __tablename__ = "patient"
    __table_args__ = (
        sa.CheckConstraint("sex in ('female', 'male', 'other', 'unknown')", name="sex_valid"),
        sa.Index("ix_patient_names", "family_name", "given_name"),
        sa.Index("ix_patient_search_name", "search_name"),
        sa.Index("ix_patient_search_given", "search_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mrn: Mapped[str] = mapped_column(sa.String(40), unique=True)
    family_name: Mapped[str] = mapped_column(sa.String(100))
    given_name: Mapped[str] = mapped_column(sa.String(100))
    birth_date: Mapped[date]
    sex: Mapped[str] = mapped_column(sa.String(10))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)
    # Optimistic locking across requests: the edit form carries it, a save claims the next one
    # (services.records.claim_version); a stale form's save is refused.
    version_id: Mapped[int] = mapped_column(default=1, server_default="1")
    # "family given" and "given family" as ``search_key`` writes them, kept by ``_search_keys``
    # below on every ORM insert and update (services/visit_query.py searches them).
    search_name: Mapped[str] = mapped_column(SearchKey, default="", server_default=sa.text("''"))
    search_given: Mapped[str] = mapped_column(SearchKey, default="", server_default=sa.text("''"))

    @property
    def display_name(self) -> str:
        """FAMILY, Given — the order clinical lists use."""
        return f"{self.family_name.upper()}, {self.given_name}"


@sa.event.listens_for(Patient, "before_insert")
@sa.event.listens_for(Patient, "before_update")
def _search_keys(_mapper: object, _connection: object, patient: Patient) -> None:
    """The search keys follow the names (a renamed patient is found by the new name)."""
    patient.search_name = search_key(patient.family_name or "", patient.given_name or "")
    patient.search_given = search_key(patient.given_name or "", patient.family_name or "")
