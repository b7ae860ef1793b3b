"""Red flags: features raise must-acknowledge alerts, risk factors alone a warning.

A condition is *raised* (a red flag) when any of its features is answered yes; the risk factors
that combine with it and are present are named in its alert. A risk factor with none of its
related features raises a warning, not critical and not a banner: "raises the suspicion of
infection if fever, wound signs or raised ESR/CRP" (Downie et al., BMJ 2013;347:f7095). The
combinations are data, in ``sections.red_flags.CONDITIONS``.

Age over 55 is read through ``screen_answer``: a value computed from the birth date, when the
caller has one (``age_over_55``), wins over the answer given on the screen (older visits).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..schema import Alert
from ..sections.red_flags import AGE_OVER_55
from ..sections.red_flags import CONDITION_BY_KEY
from ..sections.red_flags import CONDITIONS
from ..sections.red_flags import DOWNIE
from ..sections.red_flags import ITEM_LABELS
from ..sections.red_flags import SCREEN_KEYS
from ..sections.red_flags import RedFlagCondition
from ..sections.red_flags import features_of
from .base import VisitData

SECTION = "red_flags"
ANSWERS = ("yes", "no", "unknown")


def screen_answer(data: VisitData, key: str, age_over_55: bool | None = None) -> str | None:
    """A screen item's answer (yes / no / unknown, else None). For age over 55 a computed value
    (``age_over_55``, else the visit's derived values: from the birth date on the visit date) wins
    over an answer recorded before it was computed (checklist 2026.11.1)."""
    if key == AGE_OVER_55 and age_over_55 is None and data.derived is not None:
        age_over_55 = data.derived.age_over_55
    if key == AGE_OVER_55 and age_over_55 is not None:
        return "yes" if age_over_55 else "no"
    value = data.get(SECTION, key)
    return value if value in ANSWERS else None


@dataclass(frozen=True)
class RaisedFlag:
    """A condition raised by the screen: the features answered yes and the risk factors present
    that combine with them (labels), and whether the clinician recorded it as addressed."""

    condition: RedFlagCondition
    features: tuple[str, ...]
    risk_factors: tuple[str, ...]
    addressed: bool

    @property
    def evidence(self) -> tuple[str, ...]:
        """What the alert names: each feature, then each risk factor."""
        return (*(f"{label}: yes" for label in self.features),
                *(f"{label}: yes (risk factor)" for label in self.risk_factors))


def _yes(data: VisitData, keys: Iterable[str], age_over_55: bool | None) -> tuple[str, ...]:
    return tuple(ITEM_LABELS[key] for key in keys if screen_answer(data, key, age_over_55) == "yes")


def addressed_conditions(data: VisitData) -> set[str]:
    """The condition keys the clinician recorded as addressed (investigated and excluded, or
    treated)."""
    chosen = data.get(SECTION, "rf_addressed", [])
    return {value for value in chosen if value in CONDITION_BY_KEY} if isinstance(chosen, list) else set()


def raised_red_flags(data: VisitData, age_over_55: bool | None = None) -> list[RaisedFlag]:
    """Every condition with a feature answered yes, in screen order."""
    addressed = addressed_conditions(data)
    raised = []
    for cond in CONDITIONS:
        features = _yes(data, features_of(cond), age_over_55)
        if features:
            raised.append(RaisedFlag(cond, features, _yes(data, cond.risk_factors, age_over_55),
                                     cond.key in addressed))
    return raised


def unaddressed_red_flags(data: VisitData) -> list[RaisedFlag]:
    """The raised red flags not recorded as addressed, infection first (a contraindication to
    SCS), then in screen order."""
    flags = [flag for flag in raised_red_flags(data) if not flag.addressed]
    return sorted(flags, key=lambda flag: flag.condition.key != "infection")


def risk_factor_warnings(data: VisitData, age_over_55: bool | None = None) -> list[Alert]:
    """One warning per condition whose risk factors are present while none of its features is."""
    warnings = []
    for cond in CONDITIONS:
        if not cond.risk_factors or _yes(data, features_of(cond), age_over_55):
            continue
        present = _yes(data, cond.risk_factors, age_over_55)
        if present:
            what = cond.short.removeprefix("possible ")
            warnings.append(Alert(
                kind=f"red_flag_risk.{cond.key}",
                severity="warning",
                message=(f"Risk factor for {what}, not a red flag by itself: it raises the "
                         f"suspicion of {what} if {cond.suspicion} ({DOWNIE})"),
                evidence=tuple(f"{label}: yes (risk factor)" for label in present),
                action=f"Ask about and look for {cond.suspicion}.",
            ))
    return warnings


def red_flag_alerts(data: VisitData, age_over_55: bool | None = None) -> list[Alert]:
    """One critical, must-acknowledge alert per raised condition (its features, and the risk
    factors that combine with them), then the risk-factor warnings, then one warning listing the
    items answered 'unknown' (asked but not established)."""
    alerts = [
        Alert(
            kind=f"red_flag.{flag.condition.key}",
            severity="critical",
            message=f"Red flag: {flag.condition.title.lower()} ({flag.condition.source})",
            must_acknowledge=True,
            evidence=flag.evidence,
            action=flag.condition.action,
        )
        for flag in raised_red_flags(data, age_over_55)
    ]
    alerts += risk_factor_warnings(data, age_over_55)
    unknown = [ITEM_LABELS[key] for key in SCREEN_KEYS if screen_answer(data, key, age_over_55) == "unknown"]
    if unknown:
        alerts.append(
            Alert(
                kind="red_flag.unknown",
                severity="warning",
                message=f"Red-flag screen: {len(unknown)} item(s) not established",
                evidence=tuple(f"{label}: unknown" for label in unknown),
                action="Establish these items before concluding that red flags are absent.",
            )
        )
    return alerts


def red_flag_screen_complete(data: VisitData, age_over_55: bool | None = None) -> bool:
    """True when every screen item has an answer (yes, no or unknown)."""
    return all(screen_answer(data, key, age_over_55) is not None for key in SCREEN_KEYS)


def red_flag_screen_negative(data: VisitData, age_over_55: bool | None = None) -> bool:
    """True when every screen item is answered 'no' (complete and nothing positive or unknown)."""
    return all(screen_answer(data, key, age_over_55) == "no" for key in SCREEN_KEYS)


def missing_red_flag_items(data: VisitData, age_over_55: bool | None = None) -> list[str]:
    """Labels of the screen items not yet answered, in screen order."""
    return [ITEM_LABELS[key] for key in SCREEN_KEYS if screen_answer(data, key, age_over_55) is None]


def no_to_all(answers: Mapping[str, Any]) -> tuple[dict[str, Any], int]:
    """The "No to all" shortcut: every screen item still blank recorded as 'no'. An item already
    answered (yes, no or unknown) is kept as it is, so a 'yes' is never overwritten or hidden.
    Returns the new answers and how many items it recorded."""
    filled = dict(answers)
    count = 0
    for key in SCREEN_KEYS:
        if filled.get(key) not in ANSWERS:
            filled[key] = "no"
            count += 1
    return filled, count


def alert_headline(kind: str, message: str) -> str:
    """A few words naming an alert, for its acknowledged chip: the condition of a red flag
    ("possible infection"), else the alert's message."""
    family, _, key = kind.partition(".")
    cond = CONDITION_BY_KEY.get(key) if family == "red_flag" else None
    return cond.short if cond else message
