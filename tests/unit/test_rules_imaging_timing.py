"""When an imaging study or an EMG is too soon after an operation to read (clinical-reference 3.c:
acute post-operative changes settle after about a month, the app's rule < 28 days;
3.d: EMG in the first 10-14 days shows only pre-existing changes, the app's rule < 14 days), pinned
at the day the caveat stops, with its exact wording.

Written against the mutation run (tests/MUTATION.md): ``<`` could become ``<=`` unnoticed.
"""

from __future__ import annotations

import pytest

from fbss_eval.checklist.rules.electrodiagnostics import active_denervation
from tests.unit.test_rules_imaging import _emg
from tests.unit.test_rules_imaging import _imaging
from tests.unit.test_rules_imaging import _run

OPS = [{"date": "2024-08-01", "procedure": "microdiscectomy"}]


@pytest.mark.parametrize(("studied", "days"), [("2024-08-01", 0), ("2024-08-28", 27), ("2024-08-29", None)])
def test_imaging_within_four_weeks_of_surgery_is_caveated(studied: str, days: int | None) -> None:
    (pointer,) = _imaging("recurrent_herniation", date=studied, ops=OPS)
    caveats = [r for r in pointer.reasons if "days after" in r]
    expected = [] if days is None else [
        f"{days} days after Operation 1 (2024-08-01, Microdiscectomy): the first weeks after surgery are hard to "
        "interpret"]
    assert caveats == expected


@pytest.mark.parametrize(("studied", "days"), [("2024-08-01", 0), ("2024-08-14", 13), ("2024-08-15", None)])
def test_emg_in_the_first_two_weeks_is_caveated(studied: str, days: int | None) -> None:
    answers = _emg(findings=["active_denervation"], denervation_site="limb_myotomal", side="left")
    answers["electrodiagnostics"]["studies"][0]["date"] = studied
    answers["surgical_history"] = {"operations": OPS}
    (pointer,) = _run(active_denervation, answers)
    assert pointer.reasons[0].startswith(f"EMG/NCS 1 ({studied}, L5 left): active denervation")
    caveats = [r for r in pointer.reasons if r.startswith("Done ")]
    expected = [] if days is None else [
        f"Done {days} days after Operation 1 (2024-08-01, Microdiscectomy): in the first 10-14 days EMG shows only "
        "pre-existing changes"]
    assert caveats == expected
