"""Every dataclass of a visit report: plain, frozen data of strings and numbers.

The print template reads only these (never an ORM object), so rendering is a pure function of
this data and the templates. Imports nothing of the rest of the package (the bottom layer:
``model`` <- ``format`` <- ``parts`` <- ``build``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# --- answers as text -------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One answered question: its label and its value as text."""

    key: str
    label: str
    value: str
    long: bool = False  # free text: printed full width, after the short answers
    summary: bool = False  # the visit summary prints it (``Field.summary``)


@dataclass(frozen=True)
class Table:
    """Rows of a repeat group (or any list) as text cells. ``details`` holds, per row, the
    answers that are not columns ("Label: value" strings), printed under the row. ``listed``:
    printed as a list of entries, one line an entry led by its first cell, not as a table."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    details: tuple[tuple[str, ...], ...] = ()
    listed: bool = False


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


# --- header ----------------------------------------------------------------------------------


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
    # Printed in every page footer of a signed revision (21 CFR 11.50): who, when (UTC and local),
    # the meaning, the revision and the SHA-256 of its frozen answers; empty until signed.
    signature: tuple[str, ...] = ()
    voided: bool = False  # started in error: printed with a VOID watermark, who voided it and why
    void_note: str | None = None


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


# --- layouts of their own --------------------------------------------------------------------


@dataclass(frozen=True)
class RedFlagSummary:
    """The screen in one glance: items answered yes or unknown by label, the count of no."""

    state: str  # recorded / not_assessed / not_recorded
    note: str | None
    complete: bool
    n_items: int
    n_no: int
    positive: tuple[str, ...]
    unknown: tuple[str, ...]
    unanswered: int


@dataclass(frozen=True)
class NeuroGrid:
    """Motor, sensory and reflex findings by root and side."""

    roots: tuple[tuple[str, str, str, str, str], ...]  # root, motor L, motor R, sensory L, sensory R
    reflexes: tuple[tuple[str, str, str], ...]  # reflex (roots), left, right


@dataclass(frozen=True)
class BlockInfo:
    """One diagnostic block, its result, whether it is positive and by which criterion."""

    number: int
    date: str
    type: str
    levels: str
    side: str
    result: str
    outcome: str  # Positive / Negative / Indeterminate
    rule: str
    unverified: bool
    details: tuple[str, ...]


@dataclass(frozen=True)
class InstrumentInfo:
    """An instrument's score, band and citation (or why there is none)."""

    key: str
    name: str
    short_name: str
    score: str
    band: str
    positive: bool
    answered: str
    subscores: str
    notes: tuple[str, ...]
    source: str
    state: str  # scored / not_scored / not_assessed / not_recorded
    note: str | None
    # The full record's answers, item by item ("Neutral label: answer (item score)"), context
    # fields first; empty in the summary. Neutral labels only: no licensed item text.
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class DifferentialRow:
    """A pain generator the clinician weighed, with evidence and the pointers that suggest it."""

    category: str
    likelihood: str
    likelihood_key: str
    evidence: str
    pointers: tuple[str, ...]


@dataclass(frozen=True)
class PointerInfo:
    """A pointer with the findings that triggered it."""

    title: str
    suggests: tuple[str, ...]
    reasons: tuple[str, ...]
    source: str
    rule: str
    unverified: bool


@dataclass(frozen=True)
class CriterionInfo:
    """One candidacy criterion."""

    criterion: str
    status: str
    status_label: str
    evidence: str
    unverified: bool


@dataclass(frozen=True)
class CandidacyInfo:
    """A candidacy report with its criteria."""

    key: str
    title: str
    status: str
    status_label: str
    criteria: tuple[CriterionInfo, ...]
    notes: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class TrendSeries:
    """One measure's values, one per visit (None when not recorded)."""

    key: str
    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class TrendPanel:
    """A small chart: measures sharing one axis."""

    title: str
    maximum: float
    series: tuple[TrendSeries, ...]


@dataclass(frozen=True)
class Trend:
    """Values across the patient's visits up to this one (oldest first)."""

    dates: tuple[str, ...]
    panels: tuple[TrendPanel, ...]
    changes: tuple[str, ...] = ()  # pain and ODI since the first visit, against the MCID
    change_source: str = ""


# --- the document ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitReport:
    """Everything the visit PDF prints, as plain data."""

    full: bool  # the full record (every answer) rather than the summary
    patient: PatientInfo
    visit: VisitInfo
    status: StatusInfo
    generated_at: str
    alerts: tuple[AlertInfo, ...]
    red_flags: RedFlagSummary
    headline: tuple[Headline, ...]
    key_facts: tuple[Line, ...]
    sections: Mapping[str, SectionReport]
    extra_sections: tuple[str, ...]
    neuro: NeuroGrid | None
    blocks: tuple[BlockInfo, ...]
    instruments: tuple[InstrumentInfo, ...]
    differential: tuple[DifferentialRow, ...]
    unlikely: tuple[str, ...]  # judged unlikely, with no evidence written and no pointer: one line
    not_weighed: tuple[str, ...]
    pointers: tuple[PointerInfo, ...]
    psps_t2: str | None
    candidacy: tuple[CandidacyInfo, ...]
    trend: Trend | None
