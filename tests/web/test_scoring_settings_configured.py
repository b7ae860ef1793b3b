"""A clinic's configured scoring settings (``FBSS_SCORING``) are the ones a visit is scored with
(mutation testing, tests/MUTATION.md "services/ and reports/": no test configured an override,
so ``services.visits.scoring_settings`` reading the wrong key survived)."""

from __future__ import annotations

import pytest

from fbss_eval.extensions import db
from fbss_eval.reports.build import build_visit_report
from fbss_eval.reports.model import Headline
from fbss_eval.services import visits as service
from tests.pdf.builders import make_patient
from tests.pdf.conftest import VISIT_DATE


@pytest.fixture
def app_overrides() -> dict[str, object]:
    # Moderate pain ends at 4 here instead of the default 6 (NRS 4-6 moderate).
    return {"FBSS_SCORING": {"nrs_moderate_max": 4}}


def test_a_configured_nrs_band_limit_scores_5_as_severe(app, users):  # type: ignore[no-untyped-def]
    assert service.scoring_settings().nrs_moderate_max == 4
    patient = make_patient(users.clinician)
    visit = service.start_visit(patient, users.clinician, VISIT_DATE, "initial")
    section = next(s for s in service.sections_of(visit) if s.key == "visit")
    row = service.section_rows(visit)["visit"]
    service.save_section(visit, section, {**row.answers, "nrs_recall": "now", "back_nrs_now": 5}, row.rev,
                         users.clinician)
    db.session.commit()
    assert build_visit_report(visit).headline[0] == Headline("Back pain now", "5/10", "Severe pain")
