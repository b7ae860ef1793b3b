"""A visit's history names who did each event, once an event (mutation testing,
tests/MUTATION.md "services/ and reports/": joining the audit rows to the wrong users survived)."""

from __future__ import annotations

import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import Visit
from fbss_eval.services.revisions import visit_history
from tests.web.visits_support import days_ago
from tests.web.visits_support import post_section
from tests.web.visits_support import start_visit


def test_each_audited_event_is_listed_once_with_its_users_name(as_clinician, patient, users):  # type: ignore[no-untyped-def]
    vid = start_visit(as_clinician, patient.id, days_ago(3))
    post_section(as_clinician, vid, "red_flags", {"rf_inf_fever": "no"})
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.entity == "visit", AuditEvent.entity_id == vid))
    history = visit_history(db.session.get(Visit, vid))
    assert len(history) == events >= 2
    assert {entry.who for entry in history} == {users.clinician.full_name}
    assert [entry.action for entry in history][:2] == ["Visit started", "Saved"]
