"""One evaluation of a visit (``services.visits.evaluation_of``): the visit's pages, its stored
projections and its PDF report score the answers as recorded, hidden fields pruned.

Saving refuses an answer whose enable-when does not hold, but stored data can still hold one
(legacy data, a direct database edit): here a back-pain average although the recall period is
"now" (the average is asked only for a recall period, reference 2.3). None of the three shows it.
"""

from __future__ import annotations

import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import InstrumentScore
from fbss_eval.reports.build import build_visit_report
from fbss_eval.reports.model import Headline
from fbss_eval.services import visits as service

from .builders import make_patient
from .conftest import VISIT_DATE


def test_pages_projections_and_report_score_the_answers_as_recorded(app, users, as_clinician):
    patient = make_patient(users.clinician)
    visit = service.start_visit(patient, users.clinician, VISIT_DATE, "initial")
    section = next(s for s in service.sections_of(visit) if s.key == "visit")
    row = service.section_rows(visit)["visit"]
    service.save_section(visit, section, {**row.answers, "nrs_recall": "now", "back_nrs_now": 4}, row.rev,
                         users.clinician)
    row.answers = {**row.answers, "back_nrs_avg": 9}  # hidden: the recall period is "now"
    service.recompute(visit, service.section_rows(visit))
    db.session.commit()

    stored = set(db.session.scalars(sa.select(InstrumentScore.instrument).where(InstrumentScore.visit_id == visit.id)))
    assert "back_nrs_now" in stored
    assert "back_nrs_avg" not in stored
    for url in (f"/visits/{visit.id}", f"/visits/{visit.id}/sections/visit"):
        page = as_clinician.get(url).get_data(as_text=True)
        assert "back NRS now" in page, url
        assert "back NRS avg" not in page, url
    # NRS 4 -> 4-6 moderate (reference 2.3), and no average beside it.
    assert build_visit_report(visit).headline[0] == Headline("Back pain now", "4/10", "Moderate pain")
