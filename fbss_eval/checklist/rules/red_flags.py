"""Red flags (reference 3.a): positive screen answers become must-acknowledge alerts.

These are alerts, not pointers: the visit shows them on every page until the clinician
acknowledges each with the action taken.
"""

from __future__ import annotations

from ..schema import Alert
from ..sections.red_flags import COMPUTED_ITEMS
from ..sections.red_flags import CONDITIONS
from ..sections.red_flags import SCREEN_KEYS
from .base import VisitData

SECTION = "red_flags"


def red_flag_alerts(data: VisitData) -> list[Alert]:
    """One critical, must-acknowledge alert per condition with any 'yes' answer, then one
    warning listing the items answered 'unknown' (asked but not established)."""
    alerts: list[Alert] = []
    unknown: list[str] = []
    for cond in CONDITIONS:
        positive = []
        feature = False  # a computed risk factor (age over 55) alone raises no alert
        for key, label in cond.items:
            answer = data.derived.screen_answer(key) or data.get(SECTION, key)  # age: computed
            if answer == "yes":
                positive.append(f"{label}: yes")
                feature = feature or key not in COMPUTED_ITEMS
            elif answer == "unknown":
                unknown.append(label)
        if positive and feature:
            alerts.append(
                Alert(
                    kind=f"red_flag.{cond.key}",
                    severity="critical",
                    message=f"Red flag: {cond.title.lower()} ({cond.source})",
                    must_acknowledge=True,
                    evidence=tuple(positive),
                    action=cond.action,
                )
            )
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


def red_flag_screen_complete(data: VisitData) -> bool:
    """True when every screen item has an answer (yes, no or unknown)."""
    return all(data.get(SECTION, key) in ("yes", "no", "unknown") for key in SCREEN_KEYS)


def red_flag_screen_negative(data: VisitData) -> bool:
    """True when every screen item is answered 'no' (complete and nothing positive or unknown)."""
    return all(data.get(SECTION, key) == "no" for key in SCREEN_KEYS)


def missing_red_flag_items(data: VisitData) -> list[str]:
    """Labels of the screen items not yet answered, in screen order."""
    return [
        label
        for cond in CONDITIONS
        for key, label in cond.items
        if key in SCREEN_KEYS and data.get(SECTION, key) not in ("yes", "no", "unknown")
    ]
