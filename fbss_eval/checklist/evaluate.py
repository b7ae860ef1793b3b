"""One pure function from a visit's answers to everything computed from them.

Scores, bands, alerts (red flags, PHQ-9 item 9 ...), pointers for the differential, candidacy
reports and section progress all come from here, so the pages, the PDF and the projections
written to the database can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from . import sections as _sections  # noqa: F401 - sections load before the rules that read them
from .completeness import Progress
from .completeness import progress
from .derived import Derived
from .derived import derive
from .instruments import INSTRUMENTS
from .instruments.nrs import nrs_result
from .rules import pointers as run_rules
from .rules.base import Pointer
from .rules.base import VisitData
from .rules.candidacy import CandidacyReport
from .rules.candidacy import biologic_disc_repair_candidacy
from .rules.candidacy import revision_surgery_considerations
from .rules.candidacy import scs_candidacy
from .rules.classification import icd11_cpss_check
from .rules.red_flags import red_flag_alerts
from .rules.red_flags import red_flag_screen_complete
from .schema import Alert
from .schema import Result
from .schema import Section
from .settings import DEFAULT_SETTINGS
from .settings import ScoringSettings

NRS_FIELDS = ("back_nrs_now", "back_nrs_avg", "leg_nrs_now", "leg_nrs_avg")


@dataclass(frozen=True)
class Evaluation:
    """Everything the app computes for one visit."""

    results: dict[str, Result]
    nrs: dict[str, Result]
    alerts: list[Alert]
    pointers: list[Pointer]
    progress: dict[str, Progress]
    red_flag_screen_complete: bool
    candidacy: dict[str, CandidacyReport] = field(default_factory=dict)
    derived: Derived = field(default_factory=Derived)

    def alert(self, kind: str) -> Alert | None:
        """The alert of this kind, if raised."""
        return next((a for a in self.alerts if a.kind == kind), None)


def score_instruments(
    answers: Mapping[str, Mapping[str, Any]], sections: Iterable[Section], settings: ScoringSettings
) -> dict[str, Result]:
    """Score every instrument section that has any answer."""
    results: dict[str, Result] = {}
    for section in sections:
        if section.instrument and answers.get(section.key):
            results[section.instrument] = INSTRUMENTS[section.instrument].score(answers[section.key], settings)
    return results


def evaluate(
    answers: Mapping[str, Mapping[str, Any]],
    sections: tuple[Section, ...],
    settings: ScoringSettings = DEFAULT_SETTINGS,
    today: date | None = None,
    age_over_55: bool | None = None,
    birth_date: date | None = None,
) -> Evaluation:
    """Compute scores, alerts, pointers, candidacy and progress for a visit's answers; the values
    derived from dates (age from ``birth_date``, months since each operation ...) are computed on
    the visit date (its answer, else ``today``). ``age_over_55``, when given, overrides the age
    computed from ``birth_date`` (the red-flag rules read it instead of any recorded answer)."""
    results = score_instruments(answers, sections, settings)
    visit_answers = answers.get("visit", {})
    nrs = {
        key: nrs_result(key, visit_answers.get(key), settings)
        for key in NRS_FIELDS
        if visit_answers.get(key) not in (None, "")
    }
    derived = derive(answers, birth_date, today)
    data = VisitData(answers, results, derived)
    if age_over_55 is None:
        age_over_55 = derived.age_over_55
    alerts = red_flag_alerts(data, age_over_55) + [alert for result in results.values() for alert in result.alerts]
    candidacy = {
        "icd11": icd11_cpss_check(data, today=today),
        "scs": scs_candidacy(data, settings, today=today, age_over_55=age_over_55),
        "biologic_disc_repair": biologic_disc_repair_candidacy(data, settings, age_over_55),
        "revision_surgery": revision_surgery_considerations(data, settings, age_over_55),
    }
    return Evaluation(
        results=results,
        nrs=nrs,
        alerts=alerts,
        pointers=run_rules(data, settings),
        progress={section.key: progress(section, answers.get(section.key, {})) for section in sections},
        red_flag_screen_complete=red_flag_screen_complete(data, age_over_55),
        candidacy=candidacy,
        derived=derived,
    )
