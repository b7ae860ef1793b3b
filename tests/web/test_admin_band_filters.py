"""The visit list's band filter for the instruments beyond ODI / PHQ-9 (test_admin_visits.py has
those): NRS, DN4, STarT Back, PCS, FABQ, TSK-17 and LANSS. Runs on SQLite and, with
TEST_DATABASE_URL set, on PostgreSQL.

Five visits (one patient each, so nothing is carried forward), saved through the services with
answers from the reference's worked examples or chosen at its cut-offs; each visit's band per
instrument was worked out by hand (the comments give the totals):

    p: DN4 4/10 positive; STarT Back total 5, psychosocial 2 medium; PCS 30 (>= 30 relevant);
       NRS back now 7, back average 5, leg now 3; FABQ-PA 15 > 14 elevated; TSK-17 41 high;
       LANSS 12 likely.
    q: DN4 3/10 negative; STarT Back 4/4 high; PCS 26; NRS back now 4, back average 7, leg now 6;
       FABQ PA 12 / W 21 not elevated; TSK-17 37 (boundary, not high); S-LANSS 11 unlikely.
    r: DN4-interview 3/7, no examination (interview positive); STarT Back 3/3 low; PCS 33;
       NRS back now 3, leg now 7; FABQ PA 14 / W 35 elevated (W > 34); TSK-11 (no band);
       S-LANSS 12 likely.
    s: DN4-interview 2/7, no examination (interview negative); STarT Back 2/0 low; PCS 20;
       NRS back now 0, leg now 0; FABQ PA 14 / W 34 (both at the boundary, not elevated);
       TSK-17 38 high; LANSS 11 unlikely.
    t: nothing scored.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from fbss_eval.models import Visit
from tests.conftest import login
from tests.web.conftest import make_patient
from tests.web.conftest import soup
from tests.web.review_support import ago
from tests.web.review_support import make_visit

OPTIONAL = ["rmdq", "fabq", "tsk", "lanss"]


@pytest.fixture
def app_overrides() -> dict[str, object]:
    return {"FBSS_OPTIONAL_INSTRUMENTS": OPTIONAL}


def yes_no(prefix: str, pattern: str, start: int = 1) -> dict[str, str]:
    return {f"{prefix}_{i}": "1" if c == "Y" else "0" for i, c in enumerate(pattern, start=start)}


def numbered(prefix: str, scores: tuple[int, ...], **extra: str) -> dict[str, str]:
    return {f"{prefix}_{i}": str(s) for i, s in enumerate(scores, start=1)} | extra


def pain(day: int, **nrs: int) -> dict[str, Any]:
    return {"visit_date": ago(day).isoformat(), "visit_type": "follow_up", "nrs_recall": "7d", **nrs}


def dn4(interview: str, exam: str | None) -> dict[str, str]:
    if exam is None:
        return yes_no("dn4", interview) | {"dn4_exam_done": "no"}
    return yes_no("dn4", interview) | yes_no("dn4", exam, start=8) | {"dn4_exam_done": "yes"}


def sbst(items: str, item9: str) -> dict[str, str]:
    return yes_no("sbst", items) | {"sbst_9": item9}


def lanss(items: str, version: str) -> dict[str, str]:
    return {f"lanss_{i}": "yes" if c == "Y" else "no" for i, c in enumerate(items, start=1)} | {
        "lanss_version": version}


TSK11 = (1, 2, 3, 5, 6, 7, 10, 11, 13, 15, 17)
SCORED: dict[str, dict[str, dict[str, Any]]] = {
    "p": {
        "visit": pain(5, back_nrs_now=7, back_nrs_avg=5, leg_nrs_now=3),
        "dn4": dn4("YNYYNNN", "YNN"),  # 3 + 1 = 4
        "startback": sbst("YNYYNYNN", "very_much"),  # total 5, psychosocial 2
        "pcs": numbered("pcs", (2, 2, 2, 2, 2, 3, 3, 2, 3, 2, 2, 2, 3)),  # 30
        "fabq": numbered("fabq", (2, 4, 4, 4, 3, 2, 2, 6, 2, 2, 3, 3, 6, 6, 1, 0)),  # PA 15, W 15
        "tsk": numbered("tsk", (2, 2, 3, 2, 2, 3, 2, 3, 2, 3, 2, 3, 2, 2, 3, 2, 3), tsk_version="17"),  # 41
        "lanss": lanss("YNYNYNY", "lanss"),  # 5 + 3 + 1 + 3 = 12
    },
    "q": {
        "visit": pain(4, back_nrs_now=4, back_nrs_avg=7, leg_nrs_now=6),
        "dn4": dn4("YNNYNYN", "NNN"),  # 3
        "startback": sbst("NNNNYYYN", "very_much"),  # total 4, psychosocial 4
        "pcs": numbered("pcs", (2,) * 13),  # 26
        "fabq": numbered("fabq", (3,) * 16),  # PA 12, W 21
        "tsk": numbered("tsk", (3, 2, 2, 3, 2, 2, 2, 3, 2, 2, 2, 3, 2, 2, 3, 3, 3), tsk_version="17"),  # 37
        "lanss": lanss("YNNYYNY", "s_lanss"),  # 5 + 2 + 1 + 3 = 11
    },
    "r": {
        "visit": pain(3, back_nrs_now=3, leg_nrs_now=7),
        "dn4": dn4("YNNYNYN", None),  # interview 3/7
        "startback": sbst("NNNNYYYN", "slightly"),  # total 3, psychosocial 3
        "pcs": numbered("pcs", (3, 3, 2, 2, 3, 2, 3, 3, 3, 2, 2, 2, 3)),  # 33
        "fabq": numbered("fabq", (6, 4, 4, 3, 3, 6, 6, 6, 6, 6, 6, 5, 6, 6, 0, 6)),  # PA 14, W 35
        "tsk": {f"tsk_{n}": "2" for n in TSK11} | {"tsk_version": "11"},  # 22, no cut-off
        "lanss": lanss("YNYNYNY", "s_lanss"),  # 12
    },
    "s": {
        "visit": pain(2, back_nrs_now=0, leg_nrs_now=0),
        "dn4": dn4("YNNYNNN", None),  # interview 2/7
        "startback": sbst("YYNNNNNN", "moderately"),  # total 2, psychosocial 0
        "pcs": numbered("pcs", (1, 2, 1, 0, 1, 3, 3, 2, 2, 2, 1, 0, 2)),  # 20
        "fabq": numbered("fabq", (6, 4, 4, 3, 3, 6, 6, 6, 6, 6, 5, 5, 6, 6, 0, 6)),  # PA 14, W 34
        "tsk": numbered("tsk", (3, 2, 2, 3, 2, 2, 2, 3, 2, 2, 2, 3, 3, 2, 3, 3, 3), tsk_version="17"),  # 38
        "lanss": lanss("NNYYYYN", "lanss"),  # 3 + 2 + 1 + 5 = 11
    },
    "t": {},
}


@pytest.fixture
def admin(app: Flask, users: Any) -> FlaskClient:
    client = app.test_client()
    login(client, "ada")
    return client


def seed(users: Any) -> dict[int, str]:
    """The five visits, by id."""
    out: dict[int, str] = {}
    for number, (name, sections) in enumerate(SCORED.items(), start=1):
        patient = make_patient(users.clinician, mrn=f"BAND-{number}", family_name=f"Band{name.upper()}")
        visit: Visit = make_visit(patient, users.clinician, ago(10 - number), "follow_up", sections)
        out[visit.id] = name
    return out


@pytest.fixture
def visits(app: Flask, users: Any) -> dict[int, str]:
    return seed(users)


def listed(client: FlaskClient, visits: dict[int, str], band: str) -> set[str]:
    response = client.get("/admin/visits", query_string={"band": band})
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    rows = soup(response).select("#visit-list tr[data-visit-id]")
    return {visits.get(int(str(row["data-visit-id"])), "?") for row in rows}


@pytest.mark.parametrize(("band", "expected"), [
    ("dn4:positive", {"p"}),
    ("dn4:negative", {"q"}),
    ("dn4:interview_positive", {"r"}),
    ("dn4:interview_negative", {"s"}),
    ("startback:low", {"p", "q", "r", "s"}),
    ("startback:medium", {"p", "q"}),
    ("startback:high", {"q"}),
    ("pcs:clinically_relevant", {"p", "r"}),
    ("pcs:below_threshold", {"q", "s"}),
    ("fabq:elevated", {"p", "r"}),
    ("fabq:not_elevated", {"q", "s"}),
    ("tsk:high", {"p", "s"}),
    ("tsk:not_high", {"q"}),
    ("lanss:likely", {"p", "r"}),
    ("lanss:unlikely", {"q", "s"}),
    ("back_nrs_now:none", {"p", "q", "r", "s"}),
    ("back_nrs_now:mild", {"p", "q", "r"}),
    ("back_nrs_now:moderate", {"p", "q"}),
    ("back_nrs_now:severe", {"p"}),
    ("back_nrs_avg:moderate", {"p", "q"}),
    ("back_nrs_avg:severe", {"q"}),
    ("leg_nrs_now:mild", {"p", "q", "r"}),
    ("leg_nrs_now:moderate", {"q", "r"}),
    ("leg_nrs_now:severe", {"r"}),
    ("leg_nrs_avg:none", set()),
])
def test_each_band_filter_lists_exactly_the_visits_in_that_band(
    admin: FlaskClient, visits: dict[int, str], band: str, expected: set[str]
) -> None:
    assert listed(admin, visits, band) == expected


def test_the_band_choices_say_which_thresholds_are_unverified(admin: FlaskClient) -> None:
    page = soup(admin.get("/admin/visits"))
    options = {str(o["value"]): o.get_text() for o in page.select("select#band option")}
    assert options["dn4:positive"] == "DN4: Positive (DN4/10 >= 4)"
    assert options["startback:high"] == "STarT Back: High risk (psychosocial >= 4) or worse"
    assert options["pcs:clinically_relevant"] == (
        "PCS: Clinically relevant catastrophising (PCS >= 30) — unverified threshold (configurable)")
    assert options["leg_nrs_now:severe"] == (
        "Leg pain now (NRS): Severe pain (7-10) or worse — unverified threshold (configurable)")
    assert not any(value.startswith("rmdq:") for value in options)  # the RMDQ has no bands
    hint = page.select_one("#band-hint")
    assert hint is not None
    assert " ".join(hint.get_text().split()) == (
        "The band given when the visit was saved. “Unverified threshold”: the published sources do not "
        "settle the cut-off; the clinic's scoring setting applies.")


def test_a_clinic_setting_moves_the_boundary_and_the_choice_shows_it(app: Flask, users: Any) -> None:
    """With PCS flagged only above 30 and NRS mild up to 4, PCS 30 is not flagged and back pain 4 is
    mild (visit p: PCS 30; q: back now 4)."""
    app.config["FBSS_SCORING"] = {"pcs_inclusive": False, "nrs_mild_max": 4}
    visits = seed(users)
    client = app.test_client()
    login(client, "ada")
    assert listed(client, visits, "pcs:clinically_relevant") == {"r"}
    assert listed(client, visits, "pcs:below_threshold") == {"p", "q", "s"}
    assert listed(client, visits, "back_nrs_now:moderate") == {"p"}
    options = {str(o["value"]): o.get_text() for o in soup(client.get("/admin/visits")).select("select#band option")}
    assert options["pcs:clinically_relevant"].startswith("PCS: Clinically relevant catastrophising (PCS > 30)")
    assert options["back_nrs_now:moderate"].startswith("Back pain now (NRS): Moderate pain (5-6) or worse")
