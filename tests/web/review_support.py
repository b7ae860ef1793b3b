"""Visits for the admin's review tests (dashboard, visit list, completeness), made through the
visit services as the pages make them, with answers chosen so that each filter picks a known set.

``review_visits`` builds four visits (see ``ReviewVisits``); each test states which of them a
filter must return, by name, worked out by hand from the answers below and the bands of the
published instruments (ODI: Fairbank 2000, 0-20 minimal, 21-40 moderate, 41-60 severe, 61-80
crippled, 81-100 bed-bound; PHQ-9: Kroenke 2001, 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19
moderately severe, 20-27 severe).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

from fbss_eval.extensions import db
from fbss_eval.models import Patient
from fbss_eval.models import User
from fbss_eval.models import Visit
from fbss_eval.models import VisitStatus
from fbss_eval.models.base import now_utc
from fbss_eval.services import visits as visit_service
from tests.web.conftest import make_patient

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def odi(value: str) -> dict[str, str]:
    """Every ODI section scored ``value`` except section 8 (sex life), left blank."""
    return {f"odi_{n}": value for n in range(1, 11) if n != 8}


def phq9(value: str) -> dict[str, str]:
    """Every PHQ-9 item answered ``value``."""
    return {f"phq9_{n}": value for n in range(1, 10)}


def make_visit(patient: Patient, clinician: Any, when: date, kind: str,
               answers: dict[str, dict[str, Any]]) -> Visit:
    """Start a visit and save these sections (section key -> answers) through the services."""
    visit = visit_service.start_visit(patient, clinician, when, kind)
    sections = {s.key: s for s in visit_service.sections_of(visit)}
    rows = visit_service.section_rows(visit)
    entries = [(sections[key], values, rows[key].rev if key in rows else 0) for key, values in answers.items()]
    if entries:
        visit_service.save_sections(visit, entries, clinician)
    db.session.commit()
    return visit


def force_signed(visit: Visit, by: Any) -> None:
    """Mark a visit signed without the PDF (the list reads only the status)."""
    signer_id = by.id  # read first: a lazy load would flush the half-set row
    visit.status = VisitStatus.SIGNED
    visit.revision = 1
    visit.signed_at = now_utc()
    visit.signed_by_id = signer_id
    db.session.commit()


@dataclass
class ReviewVisits:
    """The four visits, by what sets them apart.

    a: Jane DOE (MRN-0001), carl, 30 days ago, initial, draft; cauda equina red flag (critical,
       unacknowledged); ODI 27/45 = 60% (severe); surgical history started (records reviewed,
       no operation).
    b: Adam SMITH (MRN-0002), olga, 3 days ago, follow-up, draft; ODI 9/45 = 20% (minimal);
       PHQ-9 18 (moderately severe; item 9 = 2: critical alert, unacknowledged); differential
       facet probable, PSPS-T2 technical failure; plan pain psychology.
    c: Zoe DORIAN (MRN-0003), carl, 10 days ago, pre-procedure, signed; ODI 45/45 = 100%
       (bed-bound); PHQ-9 0 (minimal); differential facet possible and SIJ confirmed, PSPS-T2
       undetermined; plan conservative care and pain psychology.
    d: Jane DOE again, olga, yesterday, follow-up, draft; surgical history carried forward from
       a and not confirmed; nothing else.
    """

    a: Visit
    b: Visit
    c: Visit
    d: Visit

    def names(self, ids: set[int]) -> set[str]:
        by_id = {self.a.id: "a", self.b.id: "b", self.c.id: "c", self.d.id: "d"}
        return {by_id.get(i, f"?{i}") for i in ids}


def review_visits(users: Any) -> ReviewVisits:
    carl, olga = users.clinician, users.other
    doe = make_patient(carl)
    smith = make_patient(carl, mrn="MRN-0002", family_name="Smith", given_name="Adam", sex="male")
    dorian = make_patient(carl, mrn="MRN-0003", family_name="Dorian", given_name="Zoe")
    a = make_visit(doe, carl, ago(30), "initial", {
        "red_flags": {"rf_ces_bladder_bowel": "yes"},
        "odi": odi("3"),
        "surgical_history": {"records_reviewed": "full"},
    })
    b = make_visit(smith, olga, ago(3), "follow_up", {
        "odi": odi("1"),
        "phq9": phq9("2"),
        "differential": {"lh_facet": "probable", "psps_t2_category": "technical_failure"},
        "plan": {"options": ["psychology_cbt"]},
    })
    c = make_visit(dorian, carl, ago(10), "pre_procedure", {
        "odi": odi("5"),
        "phq9": phq9("0"),
        "differential": {"lh_facet": "possible", "lh_sij": "confirmed", "psps_t2_category": "undetermined"},
        "plan": {"options": ["conservative_rehab", "psychology_cbt"]},
    })
    force_signed(c, carl)
    d = make_visit(doe, olga, ago(1), "follow_up", {})
    return ReviewVisits(a, b, c, d)


__all__ = ["ReviewVisits", "User", "ago", "make_visit", "review_visits"]
