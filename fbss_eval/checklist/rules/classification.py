"""ICD-11 chronic pain after spinal surgery (CPSS, under MG30.21): the app rule of reference 3.0.

A PSPS-T2 / CPSS conclusion needs (a) prior spinal surgery, (b) pain >= 3 months after the most
recent surgery and (c) red flags screened and negative or addressed (infection and malignancy
excluded). Recorded data are used first; the clinician's ICD answers in the differential section
fill the gaps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..sections.red_flags import ITEM_LABELS
from ..sections.red_flags import RISK_FACTOR_KEYS
from ..sections.red_flags import SCREEN_KEYS
from .base import VisitData
from .candidacy import CandidacyReport
from .candidacy import Criterion
from .candidacy import answer_status
from .candidacy import as_date
from .candidacy import as_number
from .candidacy import n_operations
from .red_flags import raised_red_flags

MIN_MONTHS = 3  # ICD-11 MG30.21 [V]
DAYS_PER_MONTH = 30.4375
_LABELS = ITEM_LABELS

RedFlagCheck = Callable[[VisitData], bool | None]


def _clinician(data: VisitData, key: str) -> str | None:
    value = data.get("differential", key)
    return f"clinician: {value}" if answer_status(value) else None


def _prior_surgery(data: VisitData) -> Criterion:
    name = "(a) Prior spinal surgery"
    ops = n_operations(data)
    if ops is not None:
        return Criterion(name, "met" if ops >= 1 else "unmet", f"{ops} operation(s) recorded")
    status = answer_status(data.get("differential", "icd_prior_spinal_surgery"))
    return Criterion(name, status or "unknown",
                     _clinician(data, "icd_prior_spinal_surgery") or "no surgery recorded")


def _months_since_surgery(data: VisitData, today: date) -> tuple[float, str] | None:
    """From the operation dates on the visit date (computed, never a stale answer); an old
    visit's answer "months since the last operation" only when no operation has a date."""
    dates = [d for d in (as_date(row.get("date"))
                         for row in data.rows("surgical_history", "operations")) if d]
    if not dates:
        months = as_number(data.get("surgical_history", "months_since_last"))
        return None if months is None else (months, f"{months:g} months since the last operation")
    visit = as_date(data.get("visit", "visit_date")) or today
    last = max(dates)
    months = round((visit - last).days / DAYS_PER_MONTH, 1)
    return months, f"last operation {last.isoformat()}, {months:g} months before the visit"


def _pain_duration(data: VisitData, today: date) -> Criterion:
    name = f"(b) Pain >= {MIN_MONTHS} months after the most recent surgery"
    since = _months_since_surgery(data, today)
    if since is not None:
        months, evidence = since
        return Criterion(name, "met" if months >= MIN_MONTHS else "unmet", evidence)
    status = answer_status(data.get("differential", "icd_pain_3_months"))
    return Criterion(name, status or "unknown",
                     _clinician(data, "icd_pain_3_months") or "date of last operation unknown")


def _red_flags(data: VisitData, check: RedFlagCheck | None) -> Criterion:
    name = "(c) Red flags screened and negative or addressed (infection, malignancy excluded)"
    addressed = data.get("differential", "icd_red_flags_addressed") == "yes"
    if check is not None:
        clear = check(data)
        if clear:
            return Criterion(name, "met", "red-flag screen negative")
        if addressed:
            return Criterion(name, "met", "red flags recorded as addressed (clinician)")
        return Criterion(name, "unknown" if clear is None else "unmet",
                         "red-flag screen not established" if clear is None
                         else "red-flag screen positive")
    answers = data.answers.get("red_flags") or {}
    said_yes = [key for key, value in answers.items()
                if value == "yes" or (isinstance(value, list) and "yes" in value)]
    # A risk factor alone is not a red flag (Downie et al., BMJ 2013;347:f7095).
    positive = [_LABELS.get(key, key) for key in said_yes if key not in RISK_FACTOR_KEYS]
    risk = [_LABELS[key] for key in said_yes if key in RISK_FACTOR_KEYS]
    raised = raised_red_flags(data)
    addressed = addressed or bool(raised) and all(flag.addressed for flag in raised)
    if positive:
        evidence = "positive: " + "; ".join(positive)
        if addressed:
            return Criterion(name, "met", evidence + " (recorded as addressed by the clinician)")
        return Criterion(name, "unmet", evidence)
    open_items = [key for key in SCREEN_KEYS if answers.get(key) in (None, "", "unknown")]
    if not answers or open_items:
        evidence = ("red-flag screen not done" if not answers
                    else f"{len(open_items)} screen item(s) unanswered or unknown")
        if addressed:
            return Criterion(name, "met", evidence + "; recorded as addressed by the clinician")
        return Criterion(name, "unknown", evidence)
    if risk:
        return Criterion(name, "met", "no red-flag feature; risk factor(s) alone: " + "; ".join(risk))
    return Criterion(name, "met", "red-flag screen negative")


def icd11_cpss_check(
    data: VisitData,
    red_flags_clear: RedFlagCheck | None = None,
    today: date | None = None,
) -> CandidacyReport:
    """The three ICD-11 CPSS criteria, each met / unmet / unknown with its evidence.

    ``red_flags_clear`` may decide (c): True = negative, False = positive, None = not
    established; by default the red-flag section's answers are read (any 'yes' = positive).
    """
    criteria = (
        _prior_surgery(data),
        _pain_duration(data, today or date.today()),
        _red_flags(data, red_flags_clear),
    )
    return CandidacyReport(
        title="ICD-11 chronic pain after spinal surgery (CPSS, MG30.21) / PSPS-T2",
        criteria=criteria,
        source="ICD-11 MG30.21 chronic postsurgical pain; Christelis et al., Pain Med 2021 "
        "(PSPS), 22(4):807-818",
        notes=("PSPS-T2 is a proposed term; ICD-11's title is chronic pain after spinal surgery",
               "The postsurgical aetiology should be highly probable; pain continuing from a "
               "pre-existing problem does not count"),
    )
