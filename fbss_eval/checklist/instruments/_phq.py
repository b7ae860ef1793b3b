"""What PHQ-9 and GAD-7 share: response options and the (UNVERIFIED) proration policy."""

from __future__ import annotations

from collections.abc import Sequence

from ..settings import ScoringSettings
from .base import scale
from .common import missing_reason

# Free to use (phqscreeners.com). The lowest option is "Not at all" (not "Not at all sure").
OPTIONS = scale("Not at all", "Several days", "More than half the days", "Nearly every day")


def prorated_total(
    values: Sequence[int | float | None], settings: ScoringSettings
) -> tuple[float | None, str | None, bool]:
    """(total, reason when no total, prorated?) under ``settings.phq_gad_max_prorated``.

    No total when any item is missing, unless local policy allows proration of up to
    ``phq_gad_max_prorated`` missing items: total = mean of answered x number of items
    (commonly quoted PHQ rule, UNVERIFIED).
    """
    answered = [value for value in values if value is not None]
    n_missing = len(values) - len(answered)
    if n_missing == 0:
        return float(sum(answered)), None, False
    allowed = settings.phq_gad_max_prorated
    if not answered or n_missing > allowed:
        return None, missing_reason(n_missing, allowed), False
    return sum(answered) / len(answered) * len(values), None, True
