"""Creating, changing and finding patients; every change is audited with old and new values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Patient
from ..models import User
from . import audit
from .records import FieldProblem
from .records import claim_version

FIELDS = ("mrn", "family_name", "given_name", "birth_date", "sex")
LABELS = {"mrn": "MRN", "family_name": "Family name", "given_name": "Given name",
          "birth_date": "Date of birth", "sex": "Sex"}
CHANGE_ACTIONS = ("create", "update", "change_mrn")


class DuplicateMRNError(FieldProblem):
    """Another patient already has this MRN."""

    def __init__(self, mrn: str) -> None:
        super().__init__("mrn", "Another patient already has this MRN.")
        self.mrn = mrn


def find_patient(patient_id: int) -> Patient | None:
    """The patient with this id, or None."""
    return db.session.get(Patient, patient_id)


def snapshot(patient: Patient) -> dict[str, Any]:
    """The audited fields of a patient as plain values."""
    return {name: getattr(patient, name) for name in FIELDS}


def mrn_taken(mrn: str, exclude_id: int | None = None) -> bool:
    """True when another patient has this MRN (compared case-insensitively)."""
    query = sa.select(Patient.id).where(sa.func.upper(Patient.mrn) == mrn.upper())
    if exclude_id is not None:
        query = query.where(Patient.id != exclude_id)
    return db.session.scalar(query) is not None


def _check_mrn(mrn: str, exclude_id: int | None = None) -> None:
    if mrn_taken(mrn, exclude_id):
        raise DuplicateMRNError(mrn)


def create(data: dict[str, Any], by: User) -> Patient:
    """Add a patient (MRN unique, case-insensitively) and audit it."""
    _check_mrn(data["mrn"])
    patient = Patient(**{name: data[name] for name in FIELDS}, created_by_id=by.id)
    db.session.add(patient)
    db.session.flush()
    audit.record("create", "patient", patient.id, audit.diff({}, snapshot(patient)), user=by)
    return patient


def update(
    patient: Patient, data: dict[str, Any], by: User, version: int, mrn_reason: str | None = None
) -> dict[str, list[Any]]:
    """Change a patient as loaded at ``version``; returns (and audits) ``{field: [old, new]}``.

    Name, birth-date and sex corrections are open to every clinician (reading and correcting
    across the clinic is intended, design.md section 5). Changing the MRN, the key other systems
    file the patient under, is an admin's act with a reason, audited on its own row. A save from
    a form loaded before someone else's save raises ``StaleRecordError``."""
    mrn_changed = data["mrn"] != patient.mrn
    if mrn_changed and not by.is_admin:
        raise FieldProblem("mrn", "Only an administrator can change the MRN.", status=403)
    if mrn_changed and not (mrn_reason or "").strip():
        raise FieldProblem("mrn_reason", "Give the reason for changing the MRN.")
    _check_mrn(data["mrn"], exclude_id=patient.id)
    before = snapshot(patient)
    changes = audit.diff(before, {**before, **{name: data[name] for name in FIELDS}})
    if not changes:
        return changes
    claim_version(patient, version, "patient", CHANGE_ACTIONS)
    for name in FIELDS:
        setattr(patient, name, data[name])
    if mrn_changed:
        reason = (mrn_reason or "").strip()
        audit.record("change_mrn", "patient", patient.id, {"mrn": changes.pop("mrn"), "reason": [None, reason]},
                     user=by)
    if changes:
        audit.record("update", "patient", patient.id, changes, user=by)
    return {**changes, **({"mrn": [before["mrn"], data["mrn"]]} if mrn_changed else {})}


@dataclass(frozen=True)
class Page:
    """One page of search results."""

    items: list[Patient]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))


MRN_DIGITS_MIN = 3  # fewer digits would match a large share of the MRNs


def search(query: str, page: int, per_page: int) -> Page:
    """Patients whose MRN starts with the query, or holds its digits ("448812" finds
    MRN-448812); or whose names contain it, or contain each of its words in either order
    ("Daniel Okafor" and "Okafor Daniel"); or "Family, Given"."""
    stmt = sa.select(Patient)
    text = " ".join(query.split())
    if text:
        like = f"%{_escape_like(text.lower())}%"
        prefix = f"{_escape_like(text.upper())}%"
        conditions: list[sa.ColumnElement[bool]] = [
            sa.func.upper(Patient.mrn).like(prefix, escape="\\"),
            sa.func.lower(Patient.family_name).like(like, escape="\\"),
            sa.func.lower(Patient.given_name).like(like, escape="\\"),
        ]
        digits = text.replace("-", "").replace(" ", "")
        if digits.isdigit() and len(digits) >= MRN_DIGITS_MIN:  # isdigit: no LIKE wildcard can be in it
            conditions.append(sa.func.upper(Patient.mrn).like(f"%{digits}%"))
        words = text.lower().replace(",", " ").split()
        if len(words) > 1:  # every word in one of the names, in any order
            conditions.append(sa.and_(*(
                sa.or_(sa.func.lower(Patient.family_name).like(f"%{_escape_like(w)}%", escape="\\"),
                       sa.func.lower(Patient.given_name).like(f"%{_escape_like(w)}%", escape="\\"))
                for w in words
            )))
        if "," in text:  # "Family, Given"
            family, _, given = (part.strip().lower() for part in text.partition(","))
            conditions.append(
                sa.and_(
                    sa.func.lower(Patient.family_name).like(f"{_escape_like(family)}%", escape="\\"),
                    sa.func.lower(Patient.given_name).like(f"{_escape_like(given)}%", escape="\\"),
                )
            )
        stmt = stmt.where(sa.or_(*conditions))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    items = db.session.scalars(
        stmt.order_by(Patient.family_name, Patient.given_name, Patient.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(items), page, per_page, total)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def age(birth_date: date, on: date | None = None) -> int:
    """Age in whole years on a date (today by default)."""
    on = on or date.today()
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
