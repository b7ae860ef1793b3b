"""The bulk demo seeder (``flask seed-demo``, ``fbss_eval/demo/bulk.py``): the same seed and day give
the same answers; the rows it writes in bulk are what the services would store: the audit hash
chain verifies (and goes on verifying after ordinary audited work), every visit re-evaluates to
its stored projections, every stored answer passes the checklist's validation."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import sqlalchemy as sa

from fbss_eval.checklist.categories import PAIN_GENERATORS
from fbss_eval.checklist.validate import clean_answers
from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import Finding
from fbss_eval.models import InstrumentScore
from fbss_eval.models import Patient
from fbss_eval.models import Visit
from fbss_eval.models import VisitAlert
from fbss_eval.models import VisitSection
from fbss_eval.services import audit
from fbss_eval.services import visits as visit_service
from fbss_eval.services.unit_of_work import unit_of_work


def seed(runner, *args: str) -> str:
    result = runner.invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    return result.output


def answers_digest() -> str:
    """SHA-256 of every demo visit's answers, in MRN, date and section order (no ids)."""
    rows = db.session.execute(
        sa.select(Patient.mrn, Visit.visit_date, VisitSection.section_key, VisitSection.answers)
        .join(Visit, Visit.patient_id == Patient.id).join(VisitSection, VisitSection.visit_id == Visit.id)
        .order_by(Patient.mrn, Visit.visit_date, VisitSection.section_key))
    text = json.dumps([[mrn, day.isoformat(), key, answers] for mrn, day, key, answers in rows], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def delete_seeded() -> None:
    for model in (VisitAlert, Finding, InstrumentScore, VisitSection, Visit, Patient):
        db.session.execute(sa.delete(model))
    db.session.commit()


def test_visits_in_all_are_spread_over_the_patients(app, runner):
    output = seed(runner, "--patients", "3", "--visits", "8", "--seed", "4", "--today", "2026-11-30")
    assert "Added 3 patients and 8 visits (seed 4)" in output
    per_patient = Counter(db.session.scalars(
        sa.select(Patient.mrn).join(Visit, Visit.patient_id == Patient.id)))
    assert sorted(per_patient.items()) == [("DEMO-4-000001", 3), ("DEMO-4-000002", 3), ("DEMO-4-000003", 2)]


def test_the_same_seed_and_day_give_the_same_answers_digest(app, runner):
    args = ["--patients", "4", "--visits", "9", "--today", "2026-11-30"]
    seed(runner, *args, "--seed", "21")
    first = answers_digest()
    delete_seeded()
    seed(runner, *args, "--seed", "21")
    assert answers_digest() == first
    delete_seeded()
    seed(runner, *args, "--seed", "22")
    assert answers_digest() != first


def test_the_bulk_written_audit_chain_verifies_and_goes_on(app, runner, users):
    seed(runner, "--patients", "4", "--visits", "10", "--seed", "3")
    check = audit.verify_chain()
    assert check.bad_id is None, check.problem
    visits = db.session.scalar(sa.select(sa.func.count(Visit.id)))
    assert visits == 10
    # One "create" row per visit, one "update" row per section with answers (first visits start empty).
    actions = Counter(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.entity == "visit")))
    assert actions["create"] == 10
    assert actions["update"] >= 10 * (len(visit_service.visit_sections()) - 5)
    acknowledged = db.session.scalar(sa.select(sa.func.count(VisitAlert.id)).where(
        VisitAlert.acknowledged_at.is_not(None)))
    assert actions["acknowledge_alert"] == acknowledged
    # Ordinary audited work after the bulk rows links to them (ids continue after the bulk ones).
    with unit_of_work():
        audit.record("login", "user", users.clinician.id, user=users.clinician)
    newest = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(2)).all()
    assert newest[0].action == "login"
    assert newest[0].prev_hash == newest[1].row_hash
    check = audit.verify_chain()
    assert check.bad_id is None, check.problem
    assert check.rows == db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


def test_seeded_visits_evaluate_to_their_stored_projections(app, runner):
    seed(runner, "--patients", "5", "--visits", "12", "--seed", "9")
    sections = visit_service.visit_sections()
    for visit in db.session.scalars(sa.select(Visit)):
        rows = visit_service.section_rows(visit)
        assert set(rows) == {s.key for s in sections}
        for section in sections:
            clean, errors = clean_answers(section, rows[section.key].answers)
            assert errors == {}, section.key
            assert clean == rows[section.key].answers, section.key
        evaluation = visit_service.evaluation_of(visit)
        for section in sections:
            progress = evaluation.progress[section.key]
            row = rows[section.key]
            assert (row.status, row.n_answered, row.n_required) == (progress.status, progress.answered,
                                                                     progress.required), section.key
        required = [s for s in sections if s.required]
        done = sum(rows[s.key].status == "complete" for s in required)
        assert visit.completeness_pct == round(100 * done / len(required))
        scores = {s.instrument: (s.score, s.band, s.positive, s.n_answered, s.n_items) for s in
                  db.session.scalars(sa.select(InstrumentScore).where(InstrumentScore.visit_id == visit.id))}
        expected = {key: (r.score, r.band, r.positive, r.n_answered, r.n_items)
                    for key, r in {**evaluation.results, **evaluation.nrs}.items()}
        assert scores == expected
        findings = {f.category: f.likelihood for f in
                    db.session.scalars(sa.select(Finding).where(Finding.visit_id == visit.id))}
        differential = rows["differential"].answers
        assert findings == {c.value: differential[f"lh_{c.value}"] for c in PAIN_GENERATORS
                            if differential.get(f"lh_{c.value}") not in (None, "not_assessed")}
        alerts = {a.kind: (a.severity, a.evidence, a.must_acknowledge, a.active) for a in
                  db.session.scalars(sa.select(VisitAlert).where(VisitAlert.visit_id == visit.id))}
        assert alerts == {a.kind: (a.severity, list(a.evidence), a.must_acknowledge, True)
                          for a in evaluation.alerts}


def test_a_bulk_seeded_visit_takes_an_ordinary_save(app, runner):
    """The rows are ordinary rows: the service saves a section over them, with a fresh rev."""
    seed(runner, "--patients", "1", "--visits", "2", "--seed", "5")
    visit = db.session.scalars(sa.select(Visit).order_by(Visit.visit_date.desc())).first()
    section = visit_service.find_section(visit, "visit")
    row = visit_service.section_rows(visit)["visit"]
    answers = dict(row.answers, chief_complaint="Back pain after the second operation.")
    with unit_of_work():
        visit_service.save_section(visit, section, answers, row.rev, visit.clinician)
    assert visit_service.section_rows(visit)["visit"].rev == 2
    assert audit.verify_chain().bad_id is None
