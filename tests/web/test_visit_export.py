"""The CSV zip of visits (/admin/visits/export.zip): its files, columns equal to the data dictionary,
a round trip of the answers (export, read back, the visit's answers), the score columns as the
screen shows them, repeat groups keyed by visit id and row number, formula escaping, the filter,
and the audit row of each export."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from fbss_eval.checklist import dictionary
from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.services import visits as visit_service
from fbss_eval.services.csv_cells import escape_text
from fbss_eval.services.csv_cells import unescape_text
from fbss_eval.services.visit_export import export_visits_zip
from tests.conftest import login

FORMULA = '=HYPERLINK("http://evil.example","click")'
# ODI: nine sections answered (section 8 left blank), 24 points: 24/45 x 100 = 53.333...
ODI = {f"odi_{n}": v for n, v in zip((1, 2, 3, 4, 5, 6, 7, 9, 10), "333333222", strict=True)}
# PHQ-9: items 1-8 at 2, item 9 at 1: 17, moderately severe; item 9 >= 1 raises the alert.
PHQ9 = {**{f"phq9_{n}": "2" for n in range(1, 9)}, "phq9_9": "1"}
VISIT = {"visit_date": "2026-01-05", "visit_type": "initial", "chief_complaint": FORMULA, "nrs_recall": "now",
         "back_nrs_now": 7, "pain_distribution": ["low_back", "buttock"], "patient_goals": "-walk the dog\n+sleep"}
HISTORY = {"operations": [
    {"date": "2019-03-04", "procedure": "microdiscectomy", "centre_surgeon": "@St Elsewhere"},
    {"date": "2021-06-07", "procedure": "laminotomy", "preop_back_pct": 40},
], "n_prior_operations": 2}


def section(key: str) -> Any:
    return next(s for s in visit_service.visit_sections() if s.key == key)


def make_visit(users: Any, patient: Any, when: date = date(2026, 1, 5), answers: dict[str, Any] | None = None) -> Any:
    visit = visit_service.start_visit(patient, users.clinician, when, "initial")
    db.session.commit()
    chosen = answers if answers is not None else {"visit": {**VISIT, "visit_date": when.isoformat()},
                                                  "odi": ODI, "phq9": PHQ9, "surgical_history": HISTORY}
    for key, values in chosen.items():
        row = visit_service.section_rows(visit)[key] if key in visit_service.section_rows(visit) else None
        visit_service.save_section(visit, section(key), values, row.rev if row else 0, users.clinician)
        db.session.commit()
    return visit


def unzip(data: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
                for name in archive.namelist()}


def header_of(data: bytes, name: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return next(csv.reader(io.StringIO(archive.read(name).decode("utf-8"))))


@pytest.fixture
def admin(client, users):
    login(client, "ada")
    return client


def download(admin: Any, **query: str) -> bytes:
    response = admin.get("/admin/visits/export.zip", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    assert response.is_streamed
    return response.get_data()


def parse(spec_type: str, text: str) -> Any:
    """A cell read back into the stored answer (independent of the code under test)."""
    if text == "":
        return None
    if spec_type == "integer":
        return int(text)
    if spec_type == "decimal":
        return float(text)
    if spec_type == "multichoice":
        return text.split(" ")
    if spec_type == "boolean":
        return {"True": True, "False": False}[text]
    return unescape_text(text)


def test_the_zip_holds_visits_each_repeat_group_and_the_dictionary(admin, users, patient):
    make_visit(users, patient)
    files = unzip(download(admin))
    groups = {dictionary.group_file(r["section"], r["group"]) for r in dictionary.field_rows() if r["group"]}
    assert set(files) == {"visits.csv", "data_dictionary.csv", *groups}
    assert len(groups) == 5  # operations, two kinds of studies, blocks, treatments


def test_the_visit_columns_are_the_dictionarys(admin, users, patient):
    make_visit(users, patient)
    data = download(admin)
    header = header_of(data, "visits.csv")
    meta = ["visit_id", "patient_id", "mrn", "visit_date", "visit_type", "status", "clinician",
            "checklist_version", "revision", "completeness_pct"]
    rows = unzip(data)["data_dictionary.csv"]
    listed = [r["column"] for r in rows if r["kind"] == "field" and not r["group"]] + \
             [r["column"] for r in rows if r["kind"] == "score"]
    assert header == meta + listed
    for name in {dictionary.group_file(r["section"], r["group"]) for r in rows if r["kind"] == "field" and r["group"]}:
        section_key, group_key, _ = name.split(".")
        fields = [r["column"] for r in rows if r["section"] == section_key and r["group"] == group_key]
        assert header_of(data, name) == ["visit_id", "row", *fields]


def test_a_round_trip_gives_the_visits_answers(admin, users, patient):
    visit = make_visit(users, patient)
    files = unzip(download(admin))
    (row,) = files["visits.csv"]
    assert row["visit_id"] == str(visit.id)
    assert row["mrn"] == patient.mrn
    assert row["status"] == "draft"
    recorded = visit_service.recorded_answers(visit_service.sections_of(visit), visit_service.section_rows(visit))
    types = {r["column"]: (r["section"], r["field"], r["type"]) for r in files["data_dictionary.csv"]
             if r["kind"] == "field" and not r["group"]}
    read_back: dict[str, dict[str, Any]] = {}
    for column, (section_key, field, kind) in types.items():
        value = parse(kind, row[column])
        if value is not None:
            read_back.setdefault(section_key, {})[field] = value
    # Every answer but the repeat groups' rows (lists of rows: their own files) comes back as stored.
    expected = {key: {f: v for f, v in answers.items() if not (isinstance(v, list) and v and isinstance(v[0], dict))}
                for key, answers in recorded.items()}
    assert read_back == {key: answers for key, answers in expected.items() if answers}
    assert read_back["visit"]["chief_complaint"] == FORMULA
    # The values the test typed, literally.
    assert row["visit.back_nrs_now"] == "7"
    assert row["visit.pain_distribution"] == "low_back buttock"
    assert row["odi.odi_1"] == "3"
    assert row["odi.odi_8"] == ""


def test_repeat_groups_are_keyed_by_visit_and_row_number(admin, users, patient):
    visit = make_visit(users, patient)
    rows = unzip(download(admin))["surgical_history.operations.csv"]
    assert [(r["visit_id"], r["row"], r["date"], r["procedure"]) for r in rows] == [
        (str(visit.id), "1", "2019-03-04", "microdiscectomy"), (str(visit.id), "2", "2021-06-07", "laminotomy")]
    assert rows[0]["centre_surgeon"] == "'@St Elsewhere"
    assert rows[1]["preop_back_pct"] == "40"
    assert rows[0]["preop_back_pct"] == ""


def test_scores_bands_positive_and_the_item9_alert_as_the_screen_shows_them(admin, users, patient):
    make_visit(users, patient)
    (row,) = unzip(download(admin))["visits.csv"]
    assert row["odi.score"] == "53.3"  # as on screen; the projection keeps 53.333...
    assert (row["odi.band"], row["odi.band_label"], row["odi.positive"]) == ("severe", "Severe disability", "")
    assert row["phq9.score"] == "17"  # an integer as an integer, not 17.0
    assert (row["phq9.band"], row["phq9.band_label"]) == ("moderately_severe", "Moderately severe depression")
    assert row["phq9.positive"] == "True"
    assert row["phq9.item9_alert"] == "True"
    assert row["gad7.score"] == row["gad7.band"] == row["gad7.positive"] == ""  # not answered


def test_item9_at_zero_is_no_alert_and_unanswered_is_empty(admin, users, patient):
    make_visit(users, patient, answers={"phq9": {**PHQ9, "phq9_9": "0"}})
    make_visit(users, patient, when=date(2026, 2, 1), answers={"visit": {"nrs_recall": "now"}})
    rows = unzip(download(admin))["visits.csv"]
    assert [r["phq9.item9_alert"] for r in rows] == ["False", ""]
    assert rows[0]["phq9.score"] == "16"


def test_the_dictionary_says_what_positive_means_dn4_from_the_interview_alone(admin, users, patient):
    rows = unzip(download(admin))["data_dictionary.csv"]
    positive = {r["section"]: r["hint"] for r in rows if r["kind"] == "score" and r["field"].endswith("_positive")}
    assert set(positive) == set(dictionary.POSITIVE_MEANINGS)
    assert "interview alone" in positive["dn4"]
    assert "3 or more" in positive["dn4"]
    assert "10 or more" in positive["phq9"]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'quoted", "plain", ""])
def test_formula_escaping(text):
    escaped = escape_text(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unescape_text(escaped) == text
    assert escaped == (text if text in ("plain", "") else "'" + text)


def test_text_starting_with_a_formula_character_is_escaped_in_the_export(admin, users, patient):
    make_visit(users, patient)
    (row,) = unzip(download(admin))["visits.csv"]
    assert row["visit.chief_complaint"] == "'" + FORMULA
    assert row["visit.patient_goals"] == "'-walk the dog\n+sleep"


def test_the_filter_selects_visits_and_the_export_is_audited_with_it(admin, users, patient):
    early = make_visit(users, patient, when=date(2026, 1, 5), answers={"visit": {"nrs_recall": "now"}})
    late = make_visit(users, patient, when=date(2026, 3, 5), answers={"visit": {"nrs_recall": "now"}})
    assert [r["visit_id"] for r in unzip(download(admin))["visits.csv"]] == [str(early.id), str(late.id)]
    only = unzip(download(admin, date_from="2026-02-01", date_to="2026-12-31", status="draft"))["visits.csv"]
    assert [r["visit_id"] for r in only] == [str(late.id)]
    assert unzip(download(admin, status="signed"))["visits.csv"] == []
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "visits_export")
                                .order_by(AuditEvent.id)).all()
    assert [e.changes for e in events] == [
        {"filter": [None, {}]},
        {"filter": [None, {"status": "draft", "date_from": "2026-02-01", "date_to": "2026-12-31"}]},
        {"filter": [None, {"status": "signed"}]}]
    assert {e.username for e in events} == {"ada"}


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"date_from": "2026-13-01"}, "date_from", "Enter a real date as YYYY-MM-DD (for example 2024-03-31)."),
    ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "date_to", "The end date is before the start date."),
    ({"status": "everything"}, "status", "Not a valid choice."),
])
def test_an_invalid_filter_exports_nothing(admin, users, patient, query, field, message):
    make_visit(users, patient, answers={"visit": {"nrs_recall": "now"}})
    response = admin.get("/admin/visits/export.zip", query_string=query)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    from tests.web.conftest import field_error
    from tests.web.conftest import soup
    assert field_error(soup(response), field) == message
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "visits_export")) == 0


def test_the_service_takes_ids_or_a_select(users, patient, app):
    first = make_visit(users, patient, answers={"visit": {"nrs_recall": "now"}})
    second = make_visit(users, patient, when=date(2026, 2, 2), answers={"visit": {"nrs_recall": "now"}})
    from fbss_eval.models import Visit
    with app.test_request_context():
        by_ids = b"".join(export_visits_zip([second.id]))
        by_select = b"".join(export_visits_zip(sa.select(Visit).where(Visit.id == first.id)))
    assert [r["visit_id"] for r in unzip(by_ids)["visits.csv"]] == [str(second.id)]
    assert [r["visit_id"] for r in unzip(by_select)["visits.csv"]] == [str(first.id)]
