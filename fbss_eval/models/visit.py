"""Visits, their section answers, the projections written with every save, and the frozen
signed revisions.

Status is an explicit state machine (``services/transitions.py`` holds the allowed transitions):
``draft -> signed -> amending -> signed (revision n+1)``. Status columns are enum-typed in Python and
stored as short strings; check constraints hold the states, and triggers (``models/visit_locks.py``)
hold the transitions and refuse any change to a signed visit, its sections and projections, and to
any stored revision.
"""

from __future__ import annotations

import enum
from datetime import date
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from .base import Base
from .base import JsonType
from .base import now_utc
from .patient import Patient
from .user import User


class VisitStatus(enum.StrEnum):
    """Where a visit is in its life."""

    DRAFT = "draft"
    SIGNED = "signed"
    AMENDING = "amending"
    VOIDED = "voided"  # started in error: kept, hidden from lists and counts, never edited again


class SignatureMeaning(enum.StrEnum):
    """What a signature means (21 CFR 11.50(a)(3)): the signer wrote the record, or reviewed it."""

    AUTHORED = "authored"
    REVIEWED = "reviewed"


class SectionStatus(enum.StrEnum):
    """How far a section has been filled (shown in the section navigation)."""

    EMPTY = "empty"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    NOT_ASSESSED = "not_assessed"


def status_type(enum_class: type[enum.StrEnum], length: int) -> sa.Enum:
    """A status column's type: the enum in Python, ``VARCHAR(length)`` of its values in the database."""
    return sa.Enum(
        enum_class, native_enum=False, length=length, create_constraint=False,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


# Who voided a visit, when and why: all three on a voided visit, none on any other.
VOID_COMPLETE = (
    "(status = 'voided' AND voided_at IS NOT NULL AND voided_by_id IS NOT NULL AND void_reason IS NOT NULL)"
    " OR (status <> 'voided' AND voided_at IS NULL AND voided_by_id IS NULL AND void_reason IS NULL)"
)


class Visit(Base):
    """One consult of one patient, captured with one checklist version."""

    __tablename__ = "visit"
    __table_args__ = (
        sa.CheckConstraint("status in ('draft', 'signed', 'amending', 'voided')", name="status_valid"),
        # A voided draft was never signed; a voided signed visit keeps its signer.
        sa.CheckConstraint("status in ('draft', 'voided') OR (signed_at IS NOT NULL AND signed_by_id IS NOT NULL)",
                           name="signed_has_signer"),
        sa.CheckConstraint(VOID_COMPLETE, name="void_complete"),
        sa.CheckConstraint("status <> 'draft' OR revision = 0", name="draft_revision_zero"),
        # (status in it: the list sorted by patient reads each patient's visits from it alone.)
        sa.Index("ix_visit_patient_date", "patient_id", "visit_date", "status"),
        # The admin's visit list (services/visit_query.py): its default order, and per status.
        # (status in the first: leaving voided visits out needs no visit row.)
        sa.Index("ix_visit_date_id", "visit_date", "id", "status"),
        sa.Index("ix_visit_status_date_id", "status", "visit_date", "id"),
        sa.Index("ix_visit_completeness_date_id", "completeness_pct", "visit_date", "id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patient.id"), index=True)
    clinician_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    visit_date: Mapped[date] = mapped_column(index=True)
    visit_type: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[VisitStatus] = mapped_column(status_type(VisitStatus, 12), default=VisitStatus.DRAFT, index=True)
    checklist_version: Mapped[str] = mapped_column(sa.String(20))
    revision: Mapped[int] = mapped_column(default=0)
    version_id: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    signed_at: Mapped[datetime | None]
    signed_pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    signed_pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # The current (or, while amending, the last) signature's meaning and answers' SHA-256, so the
    # signature block can be printed from the visit row alone; the full revision is in visit_revision.
    signature_meaning: Mapped[str | None] = mapped_column(sa.String(12))
    answers_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # Why the visit is being amended (required to amend; becomes the next revision's reason).
    amendment_reason: Mapped[str | None] = mapped_column(sa.Text)
    completeness_pct: Mapped[int] = mapped_column(default=0)
    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    void_reason: Mapped[str | None] = mapped_column(sa.Text)

    patient: Mapped[Patient] = relationship(lazy="joined", innerjoin=True)
    clinician: Mapped[User] = relationship(foreign_keys=[clinician_id], lazy="joined", innerjoin=True)
    voided_by: Mapped[User | None] = relationship(foreign_keys=[voided_by_id])
    sections: Mapped[list[VisitSection]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", lazy="raise",
        foreign_keys="VisitSection.visit_id",
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def editable(self) -> bool:
        """Drafts and amendments can change; a signed or voided visit cannot."""
        return self.status in (VisitStatus.DRAFT, VisitStatus.AMENDING)

    @property
    def voided(self) -> bool:
        """Voided: started in error, kept but never counted, edited or signed."""
        return self.status == VisitStatus.VOIDED


class VisitSection(Base):
    """The answers of one section of one visit (repeat groups are lists inside ``answers``)."""

    __tablename__ = "visit_section"
    __table_args__ = (
        sa.UniqueConstraint("visit_id", "section_key", name="uq_visit_section_key"),
        sa.CheckConstraint(
            "status in ('empty', 'in_progress', 'complete', 'not_assessed')", name="status_valid"
        ),
        sa.CheckConstraint(
            "status <> 'not_assessed' OR not_assessed_reason IS NOT NULL", name="not_assessed_reason"
        ),
        # The review dashboard's sections done, and its carried-forward sections.
        sa.Index("ix_visit_section_key_status", "section_key", "status", "visit_id"),
        sa.Index("ix_visit_section_carried", "carried_forward_from", "visit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    section_key: Mapped[str] = mapped_column(sa.String(40))
    answers: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    status: Mapped[SectionStatus] = mapped_column(status_type(SectionStatus, 16), default=SectionStatus.EMPTY)
    n_answered: Mapped[int] = mapped_column(default=0)
    n_required: Mapped[int] = mapped_column(default=0)
    not_assessed_reason: Mapped[str | None] = mapped_column(sa.String(20))
    carried_forward_from: Mapped[int | None] = mapped_column(sa.ForeignKey("visit.id"))
    rev: Mapped[int] = mapped_column(default=0)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)

    visit: Mapped[Visit] = relationship(back_populates="sections", foreign_keys=[visit_id])


class InstrumentScore(Base):
    """A queryable copy of each instrument's result, rewritten with every save."""

    __tablename__ = "instrument_score"
    __table_args__ = (
        sa.UniqueConstraint("visit_id", "instrument", name="uq_instrument_score_visit"),
        # The visit list's band filter: an instrument's visits in some bands.
        sa.Index("ix_instrument_score_band", "instrument", "band", "visit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    instrument: Mapped[str] = mapped_column(sa.String(30), index=True)
    score: Mapped[float | None]
    band: Mapped[str | None] = mapped_column(sa.String(40))
    band_label: Mapped[str | None] = mapped_column(sa.String(120))
    positive: Mapped[bool | None]
    n_answered: Mapped[int] = mapped_column(default=0)
    n_items: Mapped[int] = mapped_column(default=0)
    subscores: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    notes: Mapped[list[str] | None] = mapped_column(sa.JSON())


class Finding(Base):
    """The clinician's likelihood for one pain-generator category (from the differential)."""

    __tablename__ = "finding"
    __table_args__ = (
        sa.UniqueConstraint("visit_id", "category", name="uq_finding_visit_category"),
        # The visit list's pain-generator filter.
        sa.Index("ix_finding_category_likelihood", "category", "likelihood", "visit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(sa.String(40), index=True)
    likelihood: Mapped[str] = mapped_column(sa.String(20))


class VisitAlert(Base):
    """A red flag or instrument alert raised for a visit; some must be acknowledged."""

    __tablename__ = "alert"
    __table_args__ = (
        sa.UniqueConstraint("visit_id", "kind", name="uq_alert_visit_kind"),
        sa.CheckConstraint(
            "acknowledged_at IS NULL OR (acknowledged_by_id IS NOT NULL AND action_taken IS NOT NULL)",
            name="ack_complete",
        ),
        # The visit list's and dashboard's alert filters: alerts waiting for an acknowledgement.
        sa.Index("ix_alert_pending", "acknowledged_at", "must_acknowledge", "active", "severity", "visit_id"),
        # The red-flag filter (critical, active, kind LIKE 'red_flag.%'): read from the index alone.
        sa.Index("ix_alert_severity_kind", "severity", "active", "kind", "visit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(60))
    severity: Mapped[str] = mapped_column(sa.String(10))
    message: Mapped[str] = mapped_column(sa.Text)
    evidence: Mapped[list[str] | None] = mapped_column(sa.JSON())
    advice: Mapped[str | None] = mapped_column(sa.Text)
    must_acknowledge: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    raised_at: Mapped[datetime] = mapped_column(default=now_utc)
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    acknowledged_at: Mapped[datetime | None]
    action_taken: Mapped[str | None] = mapped_column(sa.Text)
    # The same alert, unchanged, acknowledged at an earlier visit of the patient: a copy of that
    # acknowledgement (visit_id, visit_date, by, at, action), so it is not raised anew.
    earlier_acknowledgement: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON())

    acknowledged_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def pending(self) -> bool:
        """Active, must be acknowledged, and acknowledged neither at this visit nor, unchanged,
        at an earlier one."""
        return (self.active and self.must_acknowledge and self.acknowledged_at is None
                and self.earlier_acknowledgement is None)


class VisitRevision(Base):
    """One signed revision of a visit, frozen at signing: the canonical answers (the exact JSON
    text that was hashed), their SHA-256, and the summary and full-record PDFs rendered once.

    Rows are never updated or deleted: database triggers refuse it on SQLite and PostgreSQL."""

    __tablename__ = "visit_revision"
    __table_args__ = (
        sa.UniqueConstraint("visit_id", "revision", name="uq_visit_revision_number"),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
        sa.CheckConstraint("meaning in ('authored', 'reviewed')", name="meaning_valid"),
        sa.CheckConstraint("revision = 1 OR amendment_reason IS NOT NULL", name="amendment_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id"), index=True)
    revision: Mapped[int]
    signed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    signed_at: Mapped[datetime]
    meaning: Mapped[str] = mapped_column(sa.String(12))
    amendment_reason: Mapped[str | None] = mapped_column(sa.Text)
    checklist_version: Mapped[str] = mapped_column(sa.String(20))
    answers_json: Mapped[str] = mapped_column(sa.Text, deferred=True)
    answers_sha256: Mapped[str] = mapped_column(sa.String(64))
    summary_pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    summary_pdf_sha256: Mapped[str] = mapped_column(sa.String(64))
    record_pdf: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    record_pdf_sha256: Mapped[str] = mapped_column(sa.String(64))

    signer: Mapped[User] = relationship(lazy="joined", innerjoin=True)
