"""The canonical answers a revision freezes: one stable JSON text (sorted keys, no white space,
characters as themselves), whatever order the database returns the keys in; and the
QuestionnaireResponse status read from the signing state."""

from __future__ import annotations

import hashlib
from datetime import date

from fbss_eval.extensions import db
from fbss_eval.models import Visit
from fbss_eval.services import signing
from fbss_eval.services import visits as visit_service
from tests.pdf.builders import make_patient


def test_the_canonical_answers_are_one_stable_text(app, users):
    visit = visit_service.start_visit(make_patient(users.clinician), users.clinician, date(2025, 6, 1), "initial")
    section = next(s for s in visit_service.visit_sections() if s.key == "visit")
    answers = {"visit_type": "initial", "visit_date": "2025-06-01", "chief_complaint": "Brûlure – jambe gauche",
               "back_nrs_now": 6}
    visit_service.save_section(visit, section, answers, 0, users.clinician)
    db.session.commit()
    vid, version = visit.id, visit.checklist_version
    expected = (
        '{"checklist_version":"' + version + '","sections":{"visit":{"answers":{"back_nrs_now":6,'
        '"chief_complaint":"Brûlure – jambe gauche","visit_date":"2025-06-01","visit_type":"initial"},'
        '"not_assessed_reason":null,"status":"in_progress"}},"visit_id":' + str(vid) + "}"
    )
    assert signing.canonical_answers(visit) == expected
    db.session.remove()  # read back from the database (JSONB on PostgreSQL keeps no key order)
    assert signing.canonical_answers(db.session.get(Visit, vid)) == expected
    assert signing.sha256(expected) == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_the_questionnaire_response_status_follows_the_signing_state(app, users):
    visit = Visit(status="draft", revision=0)
    assert signing.questionnaire_response_status(visit) == "in-progress"
    visit.status, visit.revision = "signed", 1
    assert signing.questionnaire_response_status(visit) == "completed"
    visit.status = "amending"
    assert signing.questionnaire_response_status(visit) == "in-progress"
    visit.status, visit.revision = "signed", 2
    assert signing.questionnaire_response_status(visit) == "amended"
