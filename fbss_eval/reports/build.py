"""The plain-data report of a visit: what the PDFs (and any other export) print.

Two documents come from it. The *visit summary* (the default) is what a clinician hands to a
colleague: every section, but of a section whose ``summary`` is "marked" only the answers of
fields marked ``summary=True``, with a count of what was left out. The *full record* prints
every answer. What goes where is read from the checklist's own attributes (``Field.summary``,
``own_layout``, ``key_fact``, ``column``, ``heading``; ``RepeatGroup.own_layout`` and
``summary_list``), so a field added to the checklist reaches both documents with no edit here.

``build_visit_report`` is the only function of the package that reads the database. It returns
frozen dataclasses of strings and numbers (``model``), never ORM objects, so the print template
cannot lazy-load anything and rendering is a pure function of this data and the checklist
version. Answers are read as recorded (``services.visits.recorded_answers``: not-assessed
sections dropped, hidden fields pruned) and scored by ``services.visits.evaluation_of``, as the
visit's pages and its stored projections are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..checklist.evaluate import Evaluation
from ..checklist.instruments import INSTRUMENTS
from ..checklist.schema import Field
from ..checklist.schema import Result
from ..checklist.schema import Section
from ..extensions import db
from ..models import InstrumentScore
from ..models import SectionStatus
from ..models import User
from ..models import Visit
from ..models import VisitAlert
from ..models import VisitSection
from ..models import VisitStatus
from ..models.base import now_utc
from ..models.patient import SEX_LABELS
from ..models.patient import Sex
from ..services.patients import age
from ..services.signing import signature_of
from ..services.visits import NOT_ASSESSED_REASONS
from ..services.visits import active_alerts
from ..services.visits import evaluation_of
from ..services.visits import recorded_answers
from ..services.visits import scoring_settings
from ..services.visits import section_rows
from ..services.visits import sections_of
from ..services.voiding import void_note
from . import parts
from .format import group_table
from .format import lines
from .format import number
from .format import section_lines
from .model import AlertInfo
from .model import CandidacyInfo
from .model import Headline
from .model import InstrumentInfo
from .model import Line
from .model import PatientInfo
from .model import SectionReport
from .model import StatusInfo
from .model import Trend
from .model import TrendPanel
from .model import TrendSeries
from .model import VisitInfo
from .model import VisitReport

STATUS_LABELS = {
    VisitStatus.DRAFT.value: "Draft: not signed",
    VisitStatus.SIGNED.value: "Signed",
    VisitStatus.AMENDING.value: "Amendment in progress: not signed",
    VisitStatus.VOIDED.value: "VOID: started in error, not a valid record",
}
# The headline: one NRS figure per region (now, with the average beside it), then instruments.
HEADLINE_NRS = (
    ("back_nrs_now", "back_nrs_avg", "Back pain"),
    ("leg_nrs_now", "leg_nrs_avg", "Leg pain"),
)
HEADLINE_INSTRUMENTS = ("odi", "phq9", "gad7", "dn4", "paindetect")
SCORE_SUFFIX = {"odi": "%", "phq9": "/27", "gad7": "/21", "dn4": "/10", "paindetect": "/38"}
# Trend panels: (title, axis maximum, ((score key, legend), ...)).
TREND_PANELS: tuple[tuple[str, float, tuple[tuple[str, str], ...]], ...] = (
    ("Pain now (NRS 0-10)", 10, (("back_nrs_now", "Back"), ("leg_nrs_now", "Leg"))),
    ("ODI (%)", 100, (("odi", "ODI"),)),
    ("PHQ-9 / GAD-7", 27, (("phq9", "PHQ-9"), ("gad7", "GAD-7"))),
)
TIME_FORMAT = "%Y-%m-%d %H:%M UTC"
# Sections with a layout of their own in the print template; any other section is printed
# generically (``extra_sections``), so a section added to the checklist is never left out.
PLACED = frozenset({"visit", "red_flags", "surgical_history", "examination", "imaging", "electrodiagnostics",
                    "blocks", "psychosocial", "treatments", "differential", "plan"})
# Candidacy reports printed only when the plan considers the option they assess.
CANDIDACY_WHEN_PLANNED = {"biologic_disc_repair": "biologic_disc_repair_evaluation"}


def build_visit_report(visit: Visit, generated_at: datetime | None = None, *, full: bool = False) -> VisitReport:
    """The plain-data summary of a visit, or its full record with ``full`` (a handful of
    queries, no lazy loads afterwards)."""
    sections = sections_of(visit)
    settings = scoring_settings()
    rows = section_rows(visit)
    recorded = recorded_answers(sections, rows)
    evaluation = evaluation_of(visit, rows)
    by_key = {s.key: s for s in sections}

    reports = {s.key: _section_report(s, rows.get(s.key), recorded.get(s.key), full=full)
               for s in sections if not s.instrument}
    if "psychosocial" in reports:
        reports["psychosocial"] = parts.with_bmi(reports["psychosocial"], recorded.get("psychosocial", {}))
    if "surgical_history" in reports:
        reports["surgical_history"] = parts.with_derived(reports["surgical_history"], evaluation.derived)
    if not full:
        reports = {key: parts.summarised(report, by_key[key].summary) for key, report in reports.items()}
    differential = recorded.get("differential", {})
    spec_differential = by_key.get("differential")
    weighed = parts.differential_rows(spec_differential, differential, evaluation.pointers)
    return VisitReport(
        full=full,
        patient=_patient(visit),
        visit=_visit(visit, by_key),
        status=_status(visit),
        generated_at=(generated_at or now_utc()).strftime(TIME_FORMAT),
        alerts=tuple(_alert(a) for a in active_alerts(visit.id)),
        red_flags=parts.red_flag_summary(by_key.get("red_flags"), rows.get("red_flags"), recorded.get("red_flags"),
                                         evaluation.red_flag_screen_complete),
        headline=_headline(evaluation, rows, by_key),
        key_facts=_key_facts(recorded, sections, evaluation),
        sections=reports,
        extra_sections=tuple(s.key for s in sections if not s.instrument and s.key not in PLACED),
        neuro=parts.neuro_grid(by_key.get("examination"), recorded.get("examination", {})),
        blocks=parts.blocks(by_key.get("blocks"), recorded.get("blocks", {}), settings),
        instruments=tuple(_instrument(s, rows.get(s.key), evaluation.results.get(s.instrument or ""),
                                      recorded.get(s.key) if full else None)
                          for s in sections if s.instrument),
        differential=tuple(r for r in weighed if not parts.plainly_unlikely(r, full=full)),
        unlikely=tuple(r.category for r in weighed if parts.plainly_unlikely(r, full=full)),
        not_weighed=parts.not_weighed(differential),
        pointers=tuple(parts.pointer_info(p) for p in evaluation.pointers),
        psps_t2=_option_label(spec_differential, "psps_t2_category", differential),
        candidacy=_candidacy(evaluation, recorded.get("plan", {})),
        trend=_trend(visit, evaluation),
    )


def _option_label(section: Section | None, key: str, answers: Mapping[str, Any]) -> str | None:
    if section is None or key not in answers:
        return None
    item = section.item(key)
    return item.option_label(answers[key]) if isinstance(item, Field) else None


def _patient(visit: Visit) -> PatientInfo:
    patient = visit.patient
    sex = SEX_LABELS.get(Sex(patient.sex), patient.sex) if patient.sex in set(Sex) else patient.sex
    return PatientInfo(
        name=patient.display_name,
        mrn=patient.mrn,
        birth_date=patient.birth_date.isoformat(),
        age=age(patient.birth_date, visit.visit_date),
        sex=sex,
    )


def _visit(visit: Visit, by_key: Mapping[str, Section]) -> VisitInfo:
    visit_type = _option_label(by_key.get("visit"), "visit_type", {"visit_type": visit.visit_type})
    return VisitInfo(
        id=visit.id,
        date=visit.visit_date.isoformat(),
        type=visit_type or visit.visit_type.replace("_", " "),
        clinician=visit.clinician.full_name,
        checklist_version=visit.checklist_version,
        completeness_pct=visit.completeness_pct,
    )


def _status(visit: Visit) -> StatusInfo:
    signer = db.session.get(User, visit.signed_by_id) if visit.signed_by_id else None
    signed = visit.status == VisitStatus.SIGNED.value
    return StatusInfo(
        status=visit.status,
        label=STATUS_LABELS.get(visit.status, visit.status),
        draft=not signed,
        revision=visit.revision,
        signed_by=signer.full_name if signer else None,
        signed_at=visit.signed_at.strftime(TIME_FORMAT) if visit.signed_at else None,
        signature=_signature_lines(visit),
        voided=visit.status == VisitStatus.VOIDED.value,
        void_note=void_note(visit),
    )


def _signature_lines(visit: Visit) -> tuple[str, ...]:
    signature = signature_of(visit)
    if signature is None:
        return ()
    return (f"Signed by {signature.name} · {signature.signed_at_utc} ({signature.signed_at_local}) · "
            f"{signature.meaning} · revision {signature.revision}",
            f"Answers SHA-256 {signature.answers_sha256}")


def _alert(alert: VisitAlert) -> AlertInfo:
    earlier = alert.earlier_acknowledgement
    if alert.acknowledged_at is not None:
        who = alert.acknowledged_by.full_name if alert.acknowledged_by else "?"
        state = f"Acknowledged by {who}, {alert.acknowledged_at.strftime(TIME_FORMAT)}: {alert.action_taken}"
    elif earlier:
        state = (f"Acknowledged earlier, at the visit of {earlier.get('visit_date') or '?'}, by "
                 f"{earlier.get('by') or '?'}, {earlier.get('at') or '?'}: {earlier.get('action') or ''}; "
                 "unchanged since")
    elif alert.must_acknowledge:
        state = "Not yet acknowledged"
    else:
        state = ""
    return AlertInfo(alert.severity, alert.message, tuple(alert.evidence or ()), alert.advice, state)


def _not_assessed(row: VisitSection | None) -> str | None:
    """"Not assessed: <reason>" for a section marked not assessed, else None."""
    if row is None or row.status != SectionStatus.NOT_ASSESSED.value:
        return None
    reason = row.not_assessed_reason or ""
    return f"Not assessed: {NOT_ASSESSED_REASONS.get(reason, reason)}"


def _section_report(
    section: Section, row: VisitSection | None, answers: Mapping[str, Any] | None, *, full: bool
) -> SectionReport:
    """A section's lines (fields without a layout of their own) and the tables of its repeat
    groups; the summary prints a group marked ``summary_list`` as a list of entries."""
    note = _not_assessed(row)
    if note is not None:
        return SectionReport(section.key, section.title, "not_assessed", note)
    if not answers:
        return SectionReport(section.key, section.title, "not_recorded", "Not recorded")
    tables = tuple(
        (group.label, group_table(group, answers[group.key], listed=group.summary_list and not full))
        for group in section.groups()
        if group.key in answers and not group.own_layout
    )
    return SectionReport(section.key, section.title, "recorded", None, section_lines(section.fields(), answers),
                         tables)


def _headline(
    evaluation: Evaluation, rows: Mapping[str, VisitSection], by_key: Mapping[str, Section]
) -> tuple[Headline, ...]:
    items: list[Headline] = []
    for now_key, avg_key, region in HEADLINE_NRS:
        now, avg = evaluation.nrs.get(now_key), evaluation.nrs.get(avg_key)
        now_score = None if now is None else now.score
        avg_score = None if avg is None else avg.score
        if now is not None and now_score is not None:
            average = "" if avg_score is None else f" · average {number(avg_score)}/10"
            items.append(Headline(f"{region} now", f"{number(now_score)}/10", (now.band_label or "") + average))
        elif avg is not None and avg_score is not None:
            items.append(Headline(f"{region}, average", f"{number(avg_score)}/10", avg.band_label or ""))
    if not items:
        items.append(Headline("Pain (NRS)", "—", "not recorded"))
    for key in HEADLINE_INSTRUMENTS:
        if key not in by_key:
            continue
        instrument = INSTRUMENTS[key]
        result = evaluation.results.get(key)
        if _not_assessed(rows.get(key)) is not None:
            items.append(Headline(instrument.short_name, "—", "not assessed"))
        elif result is None:
            items.append(Headline(instrument.short_name, "—", "not recorded"))
        else:
            value = "—" if result.score is None else number(result.score) + SCORE_SUFFIX.get(key, "")
            band = result.band_label or ("not scored: " + result.notes[0] if result.notes else "")
            items.append(Headline(instrument.short_name, value, band, bool(result.positive)))
    return tuple(items)


def _key_facts(
    recorded: Mapping[str, Any], sections: tuple[Section, ...], evaluation: Evaluation
) -> tuple[Line, ...]:
    """The conclusion in a few lines: the answers of fields with a ``key_fact`` place (complaint,
    working conclusion, PSPS-T2, plan ...) in that order, then the SCS candidacy status."""
    placed = sorted(((f.key_fact, s.key, f) for s in sections for f in s.fields() if f.key_fact is not None),
                    key=lambda entry: entry[0])
    facts = [line for _, key, f in placed for line in lines((f,), recorded.get(key, {}))]
    scs = evaluation.candidacy.get("scs")
    if scs is not None and "scs_evaluation" in (recorded.get("plan", {}).get("options") or []):
        unknown = len(scs.by_status("unknown"))
        status = parts.status_label(scs)
        detail = f" ({unknown} of {len(scs.criteria)} criteria unknown)" if scs.status == "unknown" else ""
        facts.append(Line("scs_candidacy", "SCS candidacy (NICE TA159)", status + detail))
    return tuple(facts)


def _instrument(
    section: Section, row: VisitSection | None, result: Result | None, answers: Mapping[str, Any] | None
) -> InstrumentInfo:
    """An instrument's score; with ``answers`` (the full record) its item answers too."""
    instrument = INSTRUMENTS[section.instrument or ""]
    note = _not_assessed(row)
    if note is not None:
        return parts.instrument_info(instrument, None, note)
    info = parts.instrument_info(instrument, result, None if result else "Not recorded")
    return replace(info, items=parts.item_answers(instrument, answers)) if answers else info


def _candidacy(evaluation: Evaluation, plan: Mapping[str, Any]) -> tuple[CandidacyInfo, ...]:
    options = plan.get("options") or []
    return tuple(
        parts.candidacy_info(key, report)
        for key, report in evaluation.candidacy.items()
        if key not in CANDIDACY_WHEN_PLANNED or CANDIDACY_WHEN_PLANNED[key] in options
    )


def _trend(visit: Visit, evaluation: Evaluation) -> Trend | None:
    """This visit's figures and those of the patient's earlier visits (by date, then id)."""
    earlier = db.session.execute(
        sa.select(Visit.id, Visit.visit_date)
        .where(Visit.patient_id == visit.patient_id, Visit.id != visit.id, Visit.status != VisitStatus.VOIDED,
               sa.or_(Visit.visit_date < visit.visit_date,
                      sa.and_(Visit.visit_date == visit.visit_date, Visit.id < visit.id)))
        .order_by(Visit.visit_date, Visit.id)
    ).all()
    if not earlier:
        return None
    keys = [key for _, _, series in TREND_PANELS for key, _ in series]
    scores: dict[tuple[int, str], float | None] = {
        (visit_id, instrument): score
        for visit_id, instrument, score in db.session.execute(
            sa.select(InstrumentScore.visit_id, InstrumentScore.instrument, InstrumentScore.score).where(
                InstrumentScore.visit_id.in_([v.id for v in earlier]), InstrumentScore.instrument.in_(keys))
        )
    }
    current = {**evaluation.results, **evaluation.nrs}
    for key in keys:
        scores[(visit.id, key)] = current[key].score if key in current else None
    ids = [v.id for v in earlier] + [visit.id]
    dates = tuple(v.visit_date.isoformat() for v in earlier) + (visit.visit_date.isoformat(),)
    panels = tuple(
        TrendPanel(title, maximum, tuple(
            TrendSeries(key, legend, tuple(scores.get((visit_id, key)) for visit_id in ids))
            for key, legend in series))
        for title, maximum, series in TREND_PANELS
    )
    changes = parts.trend_changes(dates, panels)
    return Trend(dates, panels, changes, parts.CHANGE_SOURCE if changes else "")
