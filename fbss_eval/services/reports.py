"""The plain-data summary of a visit: what the PDFs (and any other export) print.

Two documents come from it. The *visit summary* (the default) is what a clinician hands to a
colleague: every section, but of each section's answers only those in ``SUMMARY_LINES``, with a
count of what was left out. The *full record* prints every answer.

``build_visit_report`` is the one function that reads the database for a report. It returns
frozen dataclasses of strings and numbers, never ORM objects, so the print template cannot
lazy-load anything and rendering is a pure function of this data and the checklist version
(a signed visit's PDF can be generated once and stored).

Answers are pruned of fields hidden by enable-when before anything is scored or printed, and
every label comes from the checklist (option labels, not stored values).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..checklist.categories import PAIN_GENERATORS
from ..checklist.evaluate import Evaluation
from ..checklist.evaluate import evaluate
from ..checklist.instruments import INSTRUMENTS
from ..checklist.schema import Field
from ..checklist.schema import Result
from ..checklist.schema import Section
from ..extensions import db
from ..models import InstrumentScore
from ..models import SectionStatus
from ..models import User
from ..models import Visit
from ..models import VisitStatus
from ..models.base import now_utc
from ..models.patient import SEX_LABELS
from ..models.patient import Sex
from . import report_parts as parts
from .patients import age
from .report_format import Column
from .report_format import Line
from .report_format import Table
from .report_format import group_table
from .report_format import lines
from .report_format import number
from .report_format import visible_answers
from .visits import NOT_ASSESSED_REASONS
from .visits import active_alerts
from .visits import scoring_settings
from .visits import section_rows
from .visits import sections_of

STATUS_LABELS = {
    VisitStatus.DRAFT.value: "Draft: not signed",
    VisitStatus.SIGNED.value: "Signed",
    VisitStatus.AMENDING.value: "Amendment in progress: not signed",
}
# The headline: one NRS figure per region (now, with the average beside it), then instruments.
HEADLINE_NRS = (
    ("back_nrs_now", "back_nrs_avg", "Back pain"),
    ("leg_nrs_now", "leg_nrs_avg", "Leg pain"),
)
HEADLINE_INSTRUMENTS = ("odi", "phq9", "gad7", "dn4", "paindetect")
SCORE_SUFFIX = {"odi": "%", "phq9": "/27", "gad7": "/21", "paindetect": "/38"}
# Trend panels: (title, axis maximum, ((score key, legend), ...)).
TREND_PANELS: tuple[tuple[str, float, tuple[tuple[str, str], ...]], ...] = (
    ("Pain now (NRS 0-10)", 10, (("back_nrs_now", "Back"), ("leg_nrs_now", "Leg"))),
    ("ODI (%)", 100, (("odi", "ODI"),)),
    ("PHQ-9 / GAD-7", 27, (("phq9", "PHQ-9"), ("gad7", "GAD-7"))),
)
TIME_FORMAT = "%Y-%m-%d %H:%M UTC"


@dataclass(frozen=True)
class PatientInfo:
    """Who the report is about."""

    name: str
    mrn: str
    birth_date: str
    age: int
    sex: str


@dataclass(frozen=True)
class VisitInfo:
    """The visit header."""

    id: int
    date: str
    type: str
    clinician: str
    checklist_version: str
    completeness_pct: int


@dataclass(frozen=True)
class StatusInfo:
    """Where the visit is in its life; signer, time and revision are None until signed."""

    status: str
    label: str
    draft: bool
    revision: int
    signed_by: str | None
    signed_at: str | None


@dataclass(frozen=True)
class AlertInfo:
    """An alert in force and what was done about it."""

    severity: str
    message: str
    evidence: tuple[str, ...]
    advice: str | None
    state: str


@dataclass(frozen=True)
class Headline:
    """One figure of the one-screen summary."""

    label: str
    value: str
    band: str
    flag: bool = False


@dataclass(frozen=True)
class SectionReport:
    """One section's printable content. ``state`` is recorded, not_assessed or not_recorded;
    ``note`` says why when it is not recorded (the not-assessed reason)."""

    key: str
    title: str
    state: str
    note: str | None
    lines: tuple[Line, ...] = ()
    tables: tuple[tuple[str, Table], ...] = ()
    omitted: int = 0  # answers left out of the summary (printed in the full record)


@dataclass(frozen=True)
class Trend:
    """Values across the patient's visits up to this one (oldest first)."""

    dates: tuple[str, ...]
    panels: tuple[parts.TrendPanel, ...]
    changes: tuple[str, ...] = ()  # pain and ODI since the first visit, against the MCID
    change_source: str = ""


@dataclass(frozen=True)
class VisitReport:
    """Everything the visit PDF prints, as plain data."""

    full: bool  # the full record (every answer) rather than the summary
    patient: PatientInfo
    visit: VisitInfo
    status: StatusInfo
    generated_at: str
    alerts: tuple[AlertInfo, ...]
    red_flags: parts.RedFlagSummary
    headline: tuple[Headline, ...]
    key_facts: tuple[Line, ...]
    sections: Mapping[str, SectionReport]
    extra_sections: tuple[str, ...]
    neuro: parts.NeuroGrid | None
    blocks: tuple[parts.BlockInfo, ...]
    instruments: tuple[parts.InstrumentInfo, ...]
    differential: tuple[parts.DifferentialRow, ...]
    unlikely: tuple[str, ...]  # judged unlikely, with no evidence written and no pointer: one line
    not_weighed: tuple[str, ...]
    pointers: tuple[parts.PointerInfo, ...]
    psps_t2: str | None
    candidacy: tuple[parts.CandidacyInfo, ...]
    trend: Trend | None
    listed: tuple[str, ...] = ()  # sections whose tables print as lists of entries (the summary)


# Sections with a layout of their own in the print template; any other section is printed
# generically (``extra_sections``), so a section added to the checklist is never left out.
PLACED = frozenset({"visit", "red_flags", "surgical_history", "examination", "imaging", "electrodiagnostics",
                    "blocks", "psychosocial", "treatments", "differential", "plan"})
# The columns of the repeat-group tables (a tuple shares one cell); other answers go under the row.
TABLE_COLUMNS: dict[tuple[str, str], tuple[Column, ...]] = {
    ("surgical_history", "operations"): ("date", ("procedure", "levels", "side"), "instrumentation",
                                         "immediate_outcome", "pain_free_weeks"),
    ("imaging", "studies"): ("date", ("modality", "levels"), "findings"),
    ("electrodiagnostics", "studies"): ("date", ("test", "roots", "side"), "findings"),
    ("treatments", "treatments"): (("category", "name"), "weeks", ("adherence", "response"), "relief_pct"),
}
# Column headings (by a column's first key) shorter than its fields' labels: a heading wraps on
# every page it repeats on.
COLUMN_HEADINGS: dict[tuple[str, str], dict[str, str]] = {
    ("surgical_history", "operations"): {"date": "Date", "procedure": "Procedure · levels · side",
                                         "immediate_outcome": "Immediate outcome (pain operated on)",
                                         "pain_free_weeks": "Pain-free interval"},
    ("imaging", "studies"): {"modality": "Modality · levels"},
    ("electrodiagnostics", "studies"): {"test": "Test · roots · side"},
    ("treatments", "treatments"): {"category": "Treatment · what exactly", "adherence": "Adherence · response",
                                   "relief_pct": "Relief"},
}
# Shown in the header or the headline, so not repeated in the section's own lines.
SKIP_LINES: dict[str, tuple[str, ...]] = {
    "visit": ("visit_date", "visit_type", "chief_complaint")
    + tuple(key for now, avg, _ in HEADLINE_NRS for key in (now, avg)),
    "differential": ("psps_t2_category",) + tuple(
        f"{prefix}_{category.value}" for category in PAIN_GENERATORS for prefix in ("lh", "ev")),
}
# The answers the visit summary prints, per section (in checklist order, whatever the order here).
# A section not named here prints every answer, so a section added to the checklist is never
# left out; what a summary leaves out is counted on the page and printed in the full record.
# Red-flag items, the neurology grid, the tables and the differential's likelihoods have layouts
# of their own and are always printed whole.
SUMMARY_LINES: dict[str, frozenset[str]] = {
    "visit": frozenset({"pain_distribution", "pain_side", "back_pct", "leg_pct", "pain_duration_months",
                        "pain_vs_preop", "pain_timing", "symptoms", "impact_work", "impact_daily",
                        "veteran_service_injury", "patient_goals"}),
    "red_flags": frozenset({"rf_pvr_ml", "rf_notes"}),
    "surgical_history": frozenset({"n_prior_operations", "months_since_last", "compensation_litigation",
                                   "opioids_before", "opioids_after"}),
    "examination": frozenset({"umn_signs", "slr_left", "slr_right", "slr_crossed", "femoral_stretch",
                              "sij_provocation_positive", "facet_loading", "waddell_signs", "gait", "hip_exam",
                              "peripheral_pulses", "peripheral_nerve_signs"}),
    "imaging": frozenset({"bloods_done", "esr", "crp", "wbc", "blood_cultures"}),
    "electrodiagnostics": frozenset({"emg_status"}),
    "blocks": frozenset({"blocks_status"}),
    "psychosocial": frozenset({"yellow_flags", "work_status", "off_work_weeks", "smoking", "pack_years", "bmi",
                               "alcohol_units_week", "substance_use", "sleep_disturbance", "expectations"}),
    "treatments": frozenset({"mdt_involvement", "mdt_date", "home_exercise"}),
    # Working conclusion, mechanism and PSPS-T2 are in the key facts; ICD-11 items in candidacy.
    "differential": frozenset({"summary"}),
    # The plan's options are in the key facts; SCS and disc-repair criteria in candidacy.
    "plan": frozenset({"urgent_referral_reason", "revision_type", "revision_approach", "revision_indication",
                       "scs_modality", "scs_decision", "follow_up_weeks", "summary"}),
}
# Sections whose repeat groups the summary prints as a list, one line an entry led by its date,
# rather than as a table (cheaper to render; the full record keeps the tables).
SUMMARY_LISTS = ("imaging", "electrodiagnostics")
# Candidacy reports printed only when the plan considers the option they assess.
CANDIDACY_WHEN_PLANNED = {"biologic_disc_repair": "biologic_disc_repair_evaluation"}


def build_visit_report(visit: Visit, generated_at: datetime | None = None, *, full: bool = False) -> VisitReport:
    """The plain-data summary of a visit, or its full record with ``full`` (a handful of
    queries, no lazy loads afterwards)."""
    sections = sections_of(visit)
    settings = scoring_settings()
    rows = section_rows(visit)
    # Answers as printed and scored: not-assessed sections left out, hidden fields dropped.
    recorded = {
        s.key: visible_answers(s, rows[s.key].answers or {})
        for s in sections
        if s.key in rows and rows[s.key].status != SectionStatus.NOT_ASSESSED.value
    }
    evaluation = evaluate(recorded, sections, settings, today=visit.visit_date)
    by_key = {s.key: s for s in sections}

    reports = {
        s.key: _section_report(s, rows.get(s.key), recorded.get(s.key), SKIP_LINES.get(s.key, ()) + _special_keys(s))
        for s in sections
        if not s.instrument
    }
    if "psychosocial" in reports:
        reports["psychosocial"] = parts.with_bmi(reports["psychosocial"], recorded.get("psychosocial", {}))
    if not full:
        reports = {key: summarised(report) for key, report in reports.items()}
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
        headline=_headline(evaluation, recorded, rows, by_key),
        key_facts=_key_facts(recorded, by_key, evaluation),
        sections=reports,
        extra_sections=tuple(s.key for s in sections if not s.instrument and s.key not in PLACED),
        neuro=parts.neuro_grid(by_key.get("examination"), recorded.get("examination", {})),
        blocks=parts.blocks(by_key.get("blocks"), recorded.get("blocks", {}), settings),
        instruments=tuple(_instrument(s, rows.get(s.key), evaluation.results.get(s.instrument or ""))
                          for s in sections if s.instrument),
        differential=tuple(r for r in weighed if not parts.plainly_unlikely(r, full=full)),
        unlikely=tuple(r.category for r in weighed if parts.plainly_unlikely(r, full=full)),
        not_weighed=parts.not_weighed(differential),
        pointers=tuple(parts.pointer_info(p) for p in evaluation.pointers),
        psps_t2=_option_label(spec_differential, "psps_t2_category", differential),
        candidacy=_candidacy(evaluation, recorded.get("plan", {})),
        trend=_trend(visit, evaluation),
        listed=() if full else SUMMARY_LISTS,
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
    )


def _alert(alert: Any) -> AlertInfo:
    if alert.acknowledged_at is not None:
        who = alert.acknowledged_by.full_name if alert.acknowledged_by else "?"
        state = f"Acknowledged by {who}, {alert.acknowledged_at.strftime(TIME_FORMAT)}: {alert.action_taken}"
    elif alert.must_acknowledge:
        state = "Not yet acknowledged"
    else:
        state = ""
    return AlertInfo(alert.severity, alert.message, tuple(alert.evidence or ()), alert.advice, state)


def _section_report(
    section: Section, row: Any, answers: Mapping[str, Any] | None, skip: tuple[str, ...] = ()
) -> SectionReport:
    if row is not None and row.status == SectionStatus.NOT_ASSESSED.value:
        reason = NOT_ASSESSED_REASONS.get(row.not_assessed_reason or "", row.not_assessed_reason or "")
        return SectionReport(section.key, section.title, "not_assessed", f"Not assessed: {reason}")
    if not answers:
        return SectionReport(section.key, section.title, "not_recorded", "Not recorded")
    tables = tuple(
        (group.label, group_table(group, answers[group.key], TABLE_COLUMNS.get((section.key, group.key), ()),
                                  COLUMN_HEADINGS.get((section.key, group.key))))
        for group in section.groups()
        if group.key in answers and (section.key, group.key) != ("blocks", "blocks")
    )
    return SectionReport(section.key, section.title, "recorded", None, lines(section.fields(), answers, skip), tables)


def summarised(report: SectionReport) -> SectionReport:
    """A section's report with only the answers the summary prints, and the count of the rest."""
    wanted = SUMMARY_LINES.get(report.key)
    if wanted is None:
        return report
    kept = tuple(line for line in report.lines if line.key in wanted)
    return replace(report, lines=kept, omitted=len(report.lines) - len(kept))


def _special_keys(section: Section) -> tuple[str, ...]:
    """Fields printed by a section's own layout (red-flag screen, neurology grid)."""
    if section.key == "red_flags":
        return parts.red_flag_screen_keys()
    if section.key == "examination":
        return parts.neuro_keys()
    return ()


def _headline(
    evaluation: Evaluation, recorded: Mapping[str, Any], rows: Mapping[str, Any], by_key: Mapping[str, Section]
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
        row = rows.get(key)
        result = evaluation.results.get(key)
        if row is not None and row.status == SectionStatus.NOT_ASSESSED.value:
            items.append(Headline(instrument.short_name, "—", "not assessed"))
        elif result is None:
            items.append(Headline(instrument.short_name, "—", "not recorded"))
        else:
            value = "—" if result.score is None else number(result.score) + SCORE_SUFFIX.get(key, "")
            band = result.band_label or ("not scored: " + result.notes[0] if result.notes else "")
            items.append(Headline(instrument.short_name, value, band, bool(result.positive)))
    return tuple(items)


def _key_facts(
    recorded: Mapping[str, Any], by_key: Mapping[str, Section], evaluation: Evaluation
) -> tuple[Line, ...]:
    """The conclusion in a few lines: complaint, working conclusion, PSPS-T2, plan, SCS status."""
    wanted = (("visit", "chief_complaint"), ("differential", "working_conclusion"),
              ("differential", "psps_t2_category"), ("differential", "pain_mechanism"), ("plan", "options"))
    facts: list[Line] = []
    for section_key, field_key in wanted:
        section = by_key.get(section_key)
        answers = recorded.get(section_key, {})
        if section is None or field_key not in answers:
            continue
        facts.extend(lines([f for f in section.fields() if f.key == field_key], answers))
    scs = evaluation.candidacy.get("scs")
    if scs is not None and "scs_evaluation" in (recorded.get("plan", {}).get("options") or []):
        unknown = len(scs.by_status("unknown"))
        status = parts.CRITERION_LABELS.get(scs.status, scs.status)
        detail = f" ({unknown} of {len(scs.criteria)} criteria unknown)" if scs.status == "unknown" else ""
        facts.append(Line("scs_candidacy", "SCS candidacy (NICE TA159)", status + detail))
    return tuple(facts)


def _instrument(section: Section, row: Any, result: Result | None) -> parts.InstrumentInfo:
    instrument = INSTRUMENTS[section.instrument or ""]
    if row is not None and row.status == SectionStatus.NOT_ASSESSED.value:
        reason = NOT_ASSESSED_REASONS.get(row.not_assessed_reason or "", row.not_assessed_reason or "")
        return parts.instrument_info(instrument, None, f"Not assessed: {reason}")
    return parts.instrument_info(instrument, result, None if result else "Not recorded")


def _candidacy(evaluation: Evaluation, plan: Mapping[str, Any]) -> tuple[parts.CandidacyInfo, ...]:
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
        .where(Visit.patient_id == visit.patient_id, Visit.id != visit.id,
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
        parts.TrendPanel(title, maximum, tuple(
            parts.TrendSeries(key, legend, tuple(scores.get((visit_id, key)) for visit_id in ids))
            for key, legend in series))
        for title, maximum, series in TREND_PANELS
    )
    changes = parts.trend_changes(dates, panels)
    return Trend(dates, panels, changes, parts.CHANGE_SOURCE if changes else "")
