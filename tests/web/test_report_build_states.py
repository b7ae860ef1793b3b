"""What the visit report (``reports.build``) says about a pending alert and an SCS candidacy
that is still unknown (mutation testing, tests/MUTATION.md "services/ and reports/": both texts
could be dropped with no test failing)."""

from __future__ import annotations

import re

from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS
from fbss_eval.extensions import db
from fbss_eval.models import Visit
from fbss_eval.reports.build import build_visit_report
from tests.web.visits_support import days_ago
from tests.web.visits_support import post_section
from tests.web.visits_support import start_visit


def test_a_red_flag_alert_not_acknowledged_says_so_in_the_report(as_clinician, patient):  # type: ignore[no-untyped-def]
    vid = start_visit(as_clinician, patient.id, days_ago(5))
    post_section(as_clinician, vid, "red_flags", {**{k: "no" for k in SCREEN_KEYS}, "rf_inf_fever": "yes"})
    report = build_visit_report(db.session.get(Visit, vid))
    states = {a.message: a.state for a in report.alerts if a.severity == "critical"}
    assert states, report.alerts
    assert set(states.values()) == {"Not yet acknowledged"}


def test_an_unknown_scs_candidacy_key_fact_counts_the_unknown_criteria(as_clinician, patient):  # type: ignore[no-untyped-def]
    vid = start_visit(as_clinician, patient.id, days_ago(5))
    post_section(as_clinician, vid, "plan", {"options": ["scs_evaluation"]})
    report = build_visit_report(db.session.get(Visit, vid))
    facts = {line.label: line.value for line in report.key_facts}
    value = facts["SCS candidacy (NICE TA159)"]
    found = re.fullmatch(r"Unknown \((\d+) of 12 criteria unknown\)", value)
    assert found, value
    assert 1 <= int(found.group(1)) <= 12
