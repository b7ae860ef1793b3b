"""The enum-typed status columns, on every configured database: Python sees ``VisitStatus`` /
``SectionStatus`` members, the database holds the same short strings as before (so its check
constraints and any report query keep reading 'draft', 'complete' ...)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from fbss_eval.checklist import all_sections
from fbss_eval.extensions import db
from fbss_eval.models import Patient
from fbss_eval.models import SectionStatus
from fbss_eval.models import Visit
from fbss_eval.models import VisitSection
from fbss_eval.models import VisitStatus
from fbss_eval.services import visits as service
from fbss_eval.services.transitions import TransitionError
from fbss_eval.services.transitions import set_section_status
from fbss_eval.services.unit_of_work import unit_of_work


def _visit(users) -> int:
    with unit_of_work():
        patient = Patient(mrn="ST-1", family_name="Doe", given_name="Jane", birth_date=date(1970, 5, 17),
                          sex="female", created_by_id=users.clinician.id)
        db.session.add(patient)
        db.session.flush()
        visit = service.start_visit(patient, users.clinician, date(2026, 11, 2), "initial")
        pcs = next(s for s in all_sections() if s.key == "pcs")
        service.mark_not_assessed(visit, pcs, "declined", 0, users.clinician)
    return visit.id


def test_statuses_load_as_enum_members_and_are_stored_as_the_old_strings(app, users) -> None:
    visit_id = _visit(users)
    db.session.remove()  # a fresh session: everything below is read back from the database
    visit = db.session.get(Visit, visit_id)
    assert visit is not None
    assert visit.status is VisitStatus.DRAFT
    rows = service.section_rows(visit)
    assert rows["pcs"].status is SectionStatus.NOT_ASSESSED
    assert rows["visit"].status is SectionStatus.IN_PROGRESS  # only the date and type answered
    stored = db.session.execute(sa.text(
        "SELECT v.status, s.status FROM visit v JOIN visit_section s ON s.visit_id = v.id "
        "WHERE v.id = :id AND s.section_key = 'pcs'"), {"id": visit_id}).one()
    assert tuple(stored) == ("draft", "not_assessed")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)
                             .where(Visit.status == VisitStatus.DRAFT)) == 1


def test_a_value_outside_the_enum_is_refused_before_the_database(app, users) -> None:
    visit_id = _visit(users)
    row = db.session.scalar(sa.select(VisitSection).where(VisitSection.visit_id == visit_id,
                                                          VisitSection.section_key == "pcs"))
    assert row is not None
    row.status = "finished"  # type: ignore[assignment]
    with pytest.raises(sa.exc.StatementError, match="finished") as caught:
        db.session.flush()
    assert not isinstance(caught.value, sa.exc.DBAPIError)  # the enum refused it, not the check constraint
    db.session.rollback()
    with pytest.raises(ValueError, match="finished"):
        set_section_status(row, SectionStatus("finished"))


def test_a_visit_status_cannot_be_given_to_a_section(app, users) -> None:
    visit_id = _visit(users)
    row = db.session.scalar(sa.select(VisitSection).where(VisitSection.visit_id == visit_id))
    assert row is not None
    with pytest.raises(TransitionError):
        set_section_status(row, VisitStatus.SIGNED)  # type: ignore[arg-type]
