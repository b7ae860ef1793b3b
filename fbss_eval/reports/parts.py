"""The pieces of a visit report that have a layout of their own: the red-flag screen, the
neurology grid, diagnostic blocks with their positivity rule, instruments with their citation,
the differential, pointers, candidacy, the trend's changes, and the summary's choice of lines.

Pure functions of checklist definitions, pruned answers and computed results: no Flask, no
database. Imports ``model`` and ``format``; ``build.build_visit_report`` assembles the pieces.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..checklist.categories import CATEGORY_LABELS
from ..checklist.categories import LIKELIHOODS
from ..checklist.categories import PAIN_GENERATORS
from ..checklist.derived import Derived
from ..checklist.instruments.base import Instrument
from ..checklist.instruments.mcid import MCID_PCT
from ..checklist.instruments.mcid import NRS_MCID_POINTS
from ..checklist.instruments.mcid import ODI_MCID_POINTS
from ..checklist.instruments.mcid import improvement
from ..checklist.rules.base import Pointer
from ..checklist.rules.blocks import block_outcome
from ..checklist.rules.candidacy import CandidacyReport
from ..checklist.rules.psychosocial import BMI_OBESE
from ..checklist.schema import Result
from ..checklist.schema import Section
from ..checklist.schema import SummaryMode
from ..checklist.sections.examination import REFLEXES
from ..checklist.sections.examination import ROOT_TESTS
from ..checklist.sections.psychosocial import bmi
from ..checklist.sections.red_flags import SCREEN_KEYS
from ..checklist.settings import ScoringSettings
from .chart import Mark
from .chart import mcid_mark
from .format import format_value
from .format import number
from .model import BlockInfo
from .model import CandidacyInfo
from .model import CriterionInfo
from .model import DifferentialRow
from .model import InstrumentInfo
from .model import Line
from .model import NeuroGrid
from .model import PointerInfo
from .model import RedFlagSummary
from .model import SectionReport
from .model import TrendPanel

CRITERION_LABELS = {"met": "Met", "unmet": "Not met", "unknown": "Unknown"}
_LIKELIHOOD_RANK = {opt.value: rank for rank, opt in enumerate(LIKELIHOODS)}
_LIKELIHOOD_LABELS = {opt.value: opt.label for opt in LIKELIHOODS}


# --- red-flag screen -------------------------------------------------------------------------

def red_flag_summary(
    section: Section | None, row: Any, answers: Mapping[str, Any] | None, complete: bool
) -> RedFlagSummary:
    """Count and name the screen's answers."""
    if row is not None and row.status == "not_assessed":
        return RedFlagSummary("not_assessed", "Not assessed", False, len(SCREEN_KEYS), 0, (), (), len(SCREEN_KEYS))
    answers = answers or {}
    labels = {f.key: f.label for f in section.fields()} if section else {}
    positive = tuple(labels.get(k, k) for k in SCREEN_KEYS if answers.get(k) == "yes")
    unknown = tuple(labels.get(k, k) for k in SCREEN_KEYS if answers.get(k) == "unknown")
    n_no = sum(1 for k in SCREEN_KEYS if answers.get(k) == "no")
    unanswered = len(SCREEN_KEYS) - n_no - len(positive) - len(unknown)
    state = "recorded" if answers else "not_recorded"
    return RedFlagSummary(state, None if answers else "Not recorded", complete, len(SCREEN_KEYS), n_no,
                          positive, unknown, unanswered)


# --- examination -----------------------------------------------------------------------------

def _neuro_key_sets() -> tuple[list[tuple[str, str, str, str, str]], list[tuple[str, str, str]]]:
    roots = [(root, f"motor_{root.lower()}_left", f"motor_{root.lower()}_right",
              f"sensory_{root.lower()}_left", f"sensory_{root.lower()}_right") for root, _, _ in ROOT_TESTS]
    reflexes = [(f"{label} ({roots_})", f"reflex_{key}_left", f"reflex_{key}_right") for key, label, roots_ in REFLEXES]
    return roots, reflexes


def neuro_keys() -> tuple[str, ...]:
    """The examination fields shown in the neurology grid."""
    roots, reflexes = _neuro_key_sets()
    return tuple(k for row in roots for k in row[1:]) + tuple(k for row in reflexes for k in row[1:])


def neuro_grid(section: Section | None, answers: Mapping[str, Any]) -> NeuroGrid | None:
    """The grid, or None when no neurology was recorded."""
    if section is None:
        return None
    fields = {f.key: f for f in section.fields()}

    def cell(key: str) -> str:
        field = fields.get(key)
        return format_value(field, answers[key]) if field is not None and key in answers else "—"

    roots, reflexes = _neuro_key_sets()
    if not any(k in answers for k in neuro_keys()):
        return None
    return NeuroGrid(
        roots=tuple((row[0], *(cell(k) for k in row[1:])) for row in roots),  # type: ignore[misc]
        reflexes=tuple((row[0], cell(row[1]), cell(row[2])) for row in reflexes),
    )


# --- blocks ----------------------------------------------------------------------------------

_BLOCK_COLUMNS = ("date", "type", "level", "side")
_BLOCK_RESULT = ("relief_pct", "duration_hours", "concordant", "pain_score", "pressure_psi", "control_disc_painless")


def _yes_no(value: Any, yes: str, no: str) -> str:
    return {"yes": yes, "no": no}.get(str(value), "")


def _block_result(row: Mapping[str, Any]) -> str:
    """'80% relief for 6 h, concordant' / 'pain 8/10 at 30 psi, concordant, control disc painless'."""
    def num(key: str) -> str | None:
        value = row.get(key)
        return number(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    if row.get("type") == "discography":
        bits = [f"pain {num('pain_score')}/10" if num("pain_score") else "",
                f"at {num('pressure_psi')} psi" if num("pressure_psi") else "",
                _yes_no(row.get("concordant"), "concordant", "not concordant"),
                _yes_no(row.get("control_disc_painless"), "control disc painless", "control disc painful")]
    else:
        relief = f"{num('relief_pct')}% relief" if num("relief_pct") is not None else "relief not recorded"
        if num("duration_hours") is not None:
            relief += f" for {num('duration_hours')} h"
        bits = [relief, _yes_no(row.get("concordant"), "concordant", "not the usual pain")]
    return ", ".join(b for b in bits if b)


def blocks(section: Section | None, answers: Mapping[str, Any], settings: ScoringSettings) -> tuple[BlockInfo, ...]:
    """Every recorded block with the positivity rule applied (``rules.blocks.block_outcome``)."""
    if section is None or "blocks" not in answers:
        return ()
    group = next(g for g in section.groups() if g.key == "blocks")
    fields = {f.key: f for f in group.fields}
    out: list[BlockInfo] = []
    for number_, row in enumerate(answers["blocks"], start=1):
        outcome = block_outcome(row, settings)

        def text(key: str, row: Mapping[str, Any] = row) -> str:
            return format_value(fields[key], row[key]) if key in fields and key in row else "—"

        result = _block_result(row)
        details = tuple(f"{f.label}: {format_value(f, row[f.key])}" for f in group.fields
                        if f.key in row and f.key not in _BLOCK_COLUMNS + _BLOCK_RESULT)
        out.append(BlockInfo(
            number=number_, date=text("date"), type=text("type"), levels=text("level"), side=text("side"),
            result=result or "—",
            outcome={True: "Positive", False: "Negative"}.get(outcome.positive, "Indeterminate")
            if outcome.positive is not None else "Indeterminate",
            rule=outcome.rule, unverified=outcome.unverified, details=details,
        ))
    return tuple(out)


# --- instruments -----------------------------------------------------------------------------

def instrument_info(instrument: Instrument, result: Result | None, note: str | None) -> InstrumentInfo:
    """Plain data for one instrument; ``note`` says why there is no result."""
    if result is None:
        state = "not_assessed" if note and note.startswith("Not assessed") else "not_recorded"
        return InstrumentInfo(instrument.key, instrument.name, instrument.short_name, "—", "", False, "", "", (),
                              instrument.source, state, note)
    subscores = ", ".join(f"{k.replace('_', ' ')} {number(v) if v is not None else '—'}"
                          for k, v in result.subscores.items())
    return InstrumentInfo(
        key=instrument.key, name=instrument.name, short_name=instrument.short_name,
        score="—" if result.score is None else number(result.score),
        band=result.band_label or "", positive=bool(result.positive),
        answered=f"{result.n_answered}/{result.n_items}", subscores=subscores, notes=tuple(result.notes),
        source=instrument.source, state="scored" if result.score is not None else "not_scored", note=None,
    )


def item_answers(instrument: Instrument, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """Every answered field of an instrument, context fields then items, as "Label: answer",
    the item's score in brackets unless the option label already shows it."""
    out: list[str] = []
    for field in instrument.extra_fields + instrument.items:
        if field.key not in answers:
            continue
        text = format_value(field, answers[field.key])
        option = field.option(str(answers[field.key])) if field.type == "choice" else None
        if option is not None and option.score is not None and field in instrument.items:
            score = number(option.score)
            if not (text.startswith(score) or f"({score})" in text):
                text += f" ({score})"
        out.append(f"{field.label}: {text}")
    return tuple(out)


# --- differential and pointers ---------------------------------------------------------------

def pointer_info(pointer: Pointer) -> PointerInfo:
    """Plain data for a pointer; categories by label."""
    return PointerInfo(pointer.title, tuple(CATEGORY_LABELS.get(k, k) for k in pointer.suggests), pointer.reasons,
                       pointer.source, pointer.rule, pointer.unverified)


def differential_rows(
    section: Section | None, answers: Mapping[str, Any], pointers: list[Pointer]
) -> tuple[DifferentialRow, ...]:
    """Weighed categories, most likely first (checklist order within a likelihood)."""
    if section is None:
        return ()
    rows = []
    for category in PAIN_GENERATORS:
        likelihood = answers.get(f"lh_{category.value}")
        if not likelihood or likelihood == "not_assessed":
            continue
        rows.append(DifferentialRow(
            category=category.label,
            likelihood=_LIKELIHOOD_LABELS.get(likelihood, likelihood),
            likelihood_key=likelihood,
            evidence=str(answers.get(f"ev_{category.value}", "")),
            pointers=tuple(p.title for p in pointers if category.value in p.suggests),
        ))
    return tuple(sorted(rows, key=lambda r: -_LIKELIHOOD_RANK.get(r.likelihood_key, 0)))


def plainly_unlikely(row: DifferentialRow, *, full: bool = True) -> bool:
    """Judged unlikely with no evidence written (listed in one line rather than as a row). The
    full record keeps a row for one a pointer suggests, to show pointer and judgement side by
    side; the summary prints its pointers, with their reasons, under the table anyway."""
    return row.likelihood_key == "unlikely" and not row.evidence and (not full or not row.pointers)


def not_weighed(answers: Mapping[str, Any]) -> tuple[str, ...]:
    """Categories left without a likelihood (or marked not assessed)."""
    return tuple(c.label for c in PAIN_GENERATORS if answers.get(f"lh_{c.value}") in (None, "", "not_assessed"))


# --- candidacy -------------------------------------------------------------------------------

def status_label(report: CandidacyReport) -> str:
    """The report's overall status in words; with a red flag left unaddressed, "Not met until
    addressed" and the flags."""
    if report.blocked_by:
        return "Not met until addressed: " + "; ".join(report.blocked_by) + " (red flag)"
    return CRITERION_LABELS.get(report.status, report.status)


def candidacy_info(key: str, report: CandidacyReport) -> CandidacyInfo:
    """Plain data for a candidacy report."""
    return CandidacyInfo(
        key=key, title=report.title, status=report.status,
        status_label=status_label(report),
        criteria=tuple(CriterionInfo(c.criterion, c.status, CRITERION_LABELS.get(c.status, c.status), c.evidence,
                                     c.unverified) for c in report.criteria),
        notes=tuple(report.notes), source=report.source,
    )


# --- trend -----------------------------------------------------------------------------------

# Measures whose change since the first visit is judged against a minimal important change
# (Ostelo et al., Spine 2008;33(1):90-94: NRS 2 points, ODI 10 points, or 30% of baseline).
CHANGE_MEASURES: dict[str, tuple[str, float]] = {
    "back_nrs_now": ("Back pain now", NRS_MCID_POINTS),
    "leg_nrs_now": ("Leg pain now", NRS_MCID_POINTS),
    "odi": ("ODI", ODI_MCID_POINTS),
}
CHANGE_SOURCE = (f"MCID: NRS {NRS_MCID_POINTS:g} points, ODI {ODI_MCID_POINTS:g} points, or {MCID_PCT:g}% "
                 "of the first value (Ostelo et al., Spine 2008)")


def mcid_marks(panel: TrendPanel) -> tuple[Mark, ...]:
    """The dashed MCID lines of a PDF trend chart, as the patient page draws them
    (``reports/trend.py``): for pain and ODI, the first recorded value less the MCID, where that
    is not below 0; labelled ``MCID: <value>``, led by the series' name when the chart has two."""
    lead = len(panel.series) > 1
    marks = (mcid_mark(series.values, CHANGE_MEASURES[series.key][1], f"{series.label} " if lead else "")
             for series in panel.series if series.key in CHANGE_MEASURES)
    return tuple(mark for mark in marks if mark is not None)


def trend_changes(dates: tuple[str, ...], panels: tuple[TrendPanel, ...]) -> tuple[str, ...]:
    """For pain and ODI: the first recorded value, this visit's, the change and whether it is
    an important improvement. Nothing when this visit or every earlier one has no value."""
    out: list[str] = []
    for series in (s for panel in panels for s in panel.series if s.key in CHANGE_MEASURES):
        label, points = CHANGE_MEASURES[series.key]
        current = series.values[-1]
        earlier = [(d, v) for d, v in zip(dates[:-1], series.values[:-1], strict=True) if v is not None]
        if current is None or not earlier:
            continue
        first_date, first = earlier[0]
        change = improvement(first, current, mcid_points=points)
        head = f"{label} {number(first)} ({first_date}) → {number(current)}"
        if change.delta == 0:
            out.append(f"{head}: unchanged")
            continue
        sign = "+" if change.delta > 0 else "-"
        percent = "" if change.pct_change is None else f" ({change.pct_change:+.0f}%)"
        if change.important_improvement:
            verdict = "an important improvement"
        elif change.delta > 0:
            verdict = "worse"
        else:
            verdict = "better, not by an important margin"
        out.append(f"{head}: {sign}{number(abs(change.delta))} points{percent}, {verdict}")
    return tuple(out)


# --- derived lines ---------------------------------------------------------------------------

def with_bmi(report: SectionReport, answers: Mapping[str, Any]) -> SectionReport:
    """The psychosocial report with the BMI computed from height and weight (a summary line)."""
    value = bmi(answers.get("height_cm"), answers.get("weight_kg"))
    if value is None:
        return report
    flag = f" (>= {BMI_OBESE:g}: risk factor)" if value >= BMI_OBESE else ""
    line = Line("bmi", "BMI (computed)", f"{value:g} kg/m²{flag}", summary=True)
    return replace(report, lines=(*report.lines, line))


def with_derived(report: SectionReport, derived: Derived) -> SectionReport:
    """The surgical history's report with the values computed from its dates on the visit date
    (months since the last operation, the pain-free interval after it), summary lines placed
    after the number of operations."""
    lines: list[Line] = []
    last = derived.last_operation
    if last is not None:
        lines.append(Line("months_since_last_computed", "Months since the last operation (computed from its date)",
                          f"{number(last.months_before)} months", summary=True))
    if derived.pain_free is not None:
        interval = derived.pain_free
        lines.append(Line("pain_free_interval", "Pain-free interval after it (computed from the dates)",
                          f"{number(interval.months)} months ({number(interval.weeks)} weeks)", summary=True))
    if not lines or report.state != "recorded":
        return report
    keys = [line.key for line in report.lines]
    at = keys.index("n_prior_operations") + 1 if "n_prior_operations" in keys else len(keys)
    return replace(report, lines=(*report.lines[:at], *lines, *report.lines[at:]))


def summarised(report: SectionReport, mode: SummaryMode) -> SectionReport:
    """A section's report with only the answers the summary prints (every one, or the lines of
    fields marked ``summary``, by the section's ``mode``), and the count of the rest. Free text
    (a ``textarea`` field: a note, a report, a summary) is always printed, in full: notes are
    what a colleague reads first."""
    if mode == "all":
        return report
    kept = tuple(line for line in report.lines if line.summary or line.long)
    return replace(report, lines=kept, omitted=len(report.lines) - len(kept))

