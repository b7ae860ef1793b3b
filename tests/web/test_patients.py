"""Patients: create, view, edit; validation beside each field and in the summary with nothing
typed lost; search by name or MRN; pagination; odd input never gives a 500."""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import Patient
from tests.web.conftest import field_error
from tests.web.conftest import input_value
from tests.web.conftest import make_patient
from tests.web.conftest import page_text
from tests.web.conftest import patient_form
from tests.web.conftest import soup
from tests.web.conftest import summary_errors


def patient_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Patient.id)))


def listed(response) -> list[tuple[str, str]]:
    """(name, MRN) of every row in the patient list."""
    rows = soup(response).select("table.data tbody tr")
    return [(row.find("a").get_text(strip=True), row.select_one("td.mono").get_text(strip=True)) for row in rows]


# --- create, view, edit -------------------------------------------------------------------------------


def test_create_then_view(as_clinician, users):
    response = as_clinician.post("/patients/new", data=patient_form(mrn="AB-12/3.4", family_name="Doe"))
    assert response.status_code == 302
    patient = db.session.scalar(sa.select(Patient))
    assert response.location == f"/patients/{patient.id}"
    assert (patient.mrn, patient.family_name, patient.given_name, patient.birth_date, patient.sex) == (
        "AB-12/3.4", "Doe", "Jane", date(1970, 5, 17), "female")
    assert patient.created_by_id == users.clinician.id
    text = page_text(as_clinician.get(response.location))
    assert "DOE, Jane" in text
    assert "AB-12/3.4" in text
    assert "1970-05-17" in text
    assert "registered" in text  # the flash message


def test_surrounding_white_space_is_dropped(as_clinician):
    as_clinician.post("/patients/new", data=patient_form(mrn="  MRN-9 ", family_name=" Doe  "))
    patient = db.session.scalar(sa.select(Patient))
    assert (patient.mrn, patient.family_name) == ("MRN-9", "Doe")


def test_edit_shows_the_current_values_and_saves_changes(as_clinician, patient):
    page = soup(as_clinician.get(f"/patients/{patient.id}/edit"))
    assert input_value(page, "family_name") == "Doe"
    assert input_value(page, "birth_date") == "1970-05-17"
    assert input_value(page, "sex") == "female"
    response = as_clinician.post(f"/patients/{patient.id}/edit", data=patient_form(family_name="Roe", sex="other"))
    assert response.status_code == 302
    assert response.location == f"/patients/{patient.id}"
    saved = db.session.get(Patient, patient.id)
    assert (saved.family_name, saved.sex, saved.mrn) == ("Roe", "other", "MRN-0001")


def test_editing_without_changes_says_so(as_clinician, patient):
    response = as_clinician.post(f"/patients/{patient.id}/edit", data=patient_form(), follow_redirects=True)
    assert "No changes to save" in page_text(response)


def test_unknown_patient_is_404(as_clinician):
    assert as_clinician.get("/patients/999").status_code == 404
    assert as_clinician.get("/patients/999/edit").status_code == 404
    assert as_clinician.post("/patients/999/edit", data=patient_form()).status_code == 404


# --- validation ---------------------------------------------------------------------------------------


def assert_error(page, field: str, message: str) -> None:
    """The message is beside the field and in the summary (linked to the field)."""
    assert message in field_error(page, field), f"{field}: {field_error(page, field)!r}"
    assert message in summary_errors(page).get(field, ""), f"summary: {summary_errors(page)}"
    node = page.find(attrs={"name": field})
    assert node.get("aria-invalid") == "true"
    assert f"{field}-error" in node.get("aria-describedby", "")


def assert_preserved(page, data: dict[str, str]) -> None:
    for name, value in data.items():
        assert input_value(page, name) == value, f"{name} lost: {input_value(page, name)!r} != {value!r}"


def post_invalid(client, url, data):
    response = client.post(url, data=data)
    assert response.status_code == 200  # re-rendered, not redirected
    return soup(response)


def test_missing_names(as_clinician):
    data = patient_form(family_name="", given_name="")
    page = post_invalid(as_clinician, "/patients/new", data)
    assert_error(page, "family_name", "Enter the family name.")
    assert_error(page, "given_name", "Enter the given name.")
    assert set(summary_errors(page)) == {"family_name", "given_name"}
    assert_preserved(page, {k: v for k, v in data.items() if v})
    assert patient_count() == 0


def test_a_form_with_nothing_filled_lists_every_field(as_clinician):
    page = post_invalid(as_clinician, "/patients/new", {})
    assert set(summary_errors(page)) == {"mrn", "family_name", "given_name", "birth_date", "sex"}
    assert "There are 5 problems" in page.get_text()


def test_future_birth_date(as_clinician):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    data = patient_form(birth_date=tomorrow)
    page = post_invalid(as_clinician, "/patients/new", data)
    assert_error(page, "birth_date", "cannot be in the future")
    assert_preserved(page, data)
    assert patient_count() == 0


def test_today_is_an_acceptable_birth_date(as_clinician):
    response = as_clinician.post("/patients/new", data=patient_form(birth_date=date.today().isoformat()))
    assert response.status_code == 302


def test_bad_date_text_is_kept_and_explained(as_clinician):
    for typed in ("31/02/2020", "2020-02-31", "yesterday", "2020-13-01"):
        data = patient_form(birth_date=typed)
        page = post_invalid(as_clinician, "/patients/new", data)
        assert_error(page, "birth_date", "Enter a real date as YYYY-MM-DD")
        assert_preserved(page, data)  # the bad text itself is shown back
    assert patient_count() == 0


def test_birth_date_before_1900(as_clinician):
    page = post_invalid(as_clinician, "/patients/new", patient_form(birth_date="1899-12-31"))
    assert_error(page, "birth_date", "after 1900")


def test_duplicate_mrn_is_refused_case_insensitively(as_clinician, patient):
    data = patient_form(mrn="mrn-0001", family_name="Other", given_name="Person")
    page = post_invalid(as_clinician, "/patients/new", data)
    assert_error(page, "mrn", "Another patient already has this MRN.")
    assert_preserved(page, data)
    assert patient_count() == 1


def test_editing_to_another_patients_mrn_is_refused(as_clinician, users, patient):
    second = make_patient(users.clinician, mrn="MRN-0002", family_name="Roe")
    page = post_invalid(as_clinician, f"/patients/{second.id}/edit", patient_form(mrn="Mrn-0001", family_name="Roe"))
    assert_error(page, "mrn", "Another patient already has this MRN.")
    assert db.session.get(Patient, second.id).mrn == "MRN-0002"


def test_a_patient_keeps_its_own_mrn_on_edit(as_admin, patient):
    # A change of the MRN, even of its case only, is an admin's act with a reason (issue 11).
    response = as_admin.post(f"/patients/{patient.id}/edit",
                             data=patient_form(mrn="mrn-0001", mrn_reason="Spelled as on the hospital record"))
    assert response.status_code == 302
    assert db.session.get(Patient, patient.id).mrn == "mrn-0001"


def test_mrn_with_bad_characters(as_clinician):
    for mrn in ("AB 12", "<script>", "12;DROP", "-12", "MRN_1", "Ünï-1", "A%"):
        data = patient_form(mrn=mrn)
        page = post_invalid(as_clinician, "/patients/new", data)
        assert_error(page, "mrn", "Use letters, digits, '-', '/' or '.' only.")
        assert_preserved(page, data)
    assert patient_count() == 0


def test_over_long_values(as_clinician):
    data = patient_form(mrn="A" * 41, family_name="F" * 101, given_name="G" * 101)
    page = post_invalid(as_clinician, "/patients/new", data)
    assert_error(page, "mrn", "The MRN has at most 40 characters.")
    assert_error(page, "family_name", "At most 100 characters.")
    assert_error(page, "given_name", "At most 100 characters.")
    assert_preserved(page, data)


def test_values_at_the_length_limits_are_accepted(as_clinician):
    data = patient_form(mrn="A" * 40, family_name="F" * 100, given_name="G" * 100)
    assert as_clinician.post("/patients/new", data=data).status_code == 302
    assert db.session.scalar(sa.select(Patient.family_name)) == "F" * 100


def test_an_invalid_sex_choice(as_clinician):
    page = post_invalid(as_clinician, "/patients/new", patient_form(sex="martian"))
    assert summary_errors(page).get("sex")


def test_unicode_and_markup_are_stored_and_escaped(as_clinician):
    data = patient_form(family_name="<b>Ñúñez</b>", given_name="Zoë 李")
    response = as_clinician.post("/patients/new", data=data, follow_redirects=True)
    body = response.get_data(as_text=True).lower()  # the page shows the family name in capitals
    assert "<b>" not in body
    assert "&lt;b&gt;" in body
    assert "zoë 李" in body
    assert db.session.scalar(sa.select(Patient.family_name)) == "<b>Ñúñez</b>"


def test_edit_validation_keeps_what_was_typed(as_clinician, patient):
    data = patient_form(family_name="Changed", birth_date="31/02/2020")
    page = post_invalid(as_clinician, f"/patients/{patient.id}/edit", data)
    assert_error(page, "birth_date", "Enter a real date")
    assert_preserved(page, data)
    assert db.session.get(Patient, patient.id).family_name == "Doe"


# --- search ---------------------------------------------------------------------------------------------


@pytest.fixture
def several(users):
    people = [
        ("MRN-1001", "Smith", "John"), ("MRN-1002", "Smith", "Mary"), ("MRN-1003", "Smithers", "Anna"),
        ("MRN-2001", "Jones", "Johnny"), ("XMRN-10", "Brown", "Peter"), ("AB-1", "O_Neil", "Sean"),
        ("AB-2", "OxNeil", "Sean"), ("AB-3", "Percent", "Hundred"), ("AB-4", "Müller", "Jürgen"),
        ("AB-5", "Öztürk", "Élodie"),
    ]
    for mrn, family, given in people:
        make_patient(users.clinician, mrn=mrn, family_name=family, given_name=given)


def names(client, q) -> set[str]:
    response = client.get("/", query_string={"q": q})
    assert response.status_code == 200
    return {name for name, _ in listed(response)}


def test_search_by_family_name(as_clinician, several):
    assert names(as_clinician, "smith") == {"SMITH, John", "SMITH, Mary", "SMITHERS, Anna"}
    assert names(as_clinician, "SMITHERS") == {"SMITHERS, Anna"}


def test_search_by_given_name(as_clinician, several):
    assert names(as_clinician, "john") == {"SMITH, John", "JONES, Johnny"}


def test_search_by_family_comma_given(as_clinician, several):
    assert names(as_clinician, "Smith, Ma") == {"SMITH, Mary"}
    assert names(as_clinician, "smith,john") == {"SMITH, John"}


def test_search_by_mrn_prefix(as_clinician, several):
    assert names(as_clinician, "MRN-10") == {"SMITH, John", "SMITH, Mary", "SMITHERS, Anna"}
    assert names(as_clinician, "mrn-2001") == {"JONES, Johnny"}
    assert "BROWN, Peter" not in names(as_clinician, "MRN")  # XMRN-10: a prefix, not a substring


def test_search_is_case_insensitive_beyond_ascii(as_clinician, several):
    for q, expected in [("müll", "MÜLLER, Jürgen"), ("MÜLLER", "MÜLLER, Jürgen"), ("öztürk", "ÖZTÜRK, Élodie"),
                        ("ÖZT", "ÖZTÜRK, Élodie"), ("élodie", "ÖZTÜRK, Élodie"), ("Öztürk, é", "ÖZTÜRK, Élodie")]:
        assert names(as_clinician, q) == {expected}, q


def test_like_wildcards_are_taken_literally(as_clinician, several):
    for q, expected in [("%", set()), ("_", {"O_NEIL, Sean"}), ("O_N", {"O_NEIL, Sean"}), ("S%h", set()),
                        ("\\", set()), ("%, %", set())]:
        assert names(as_clinician, q) == expected, q


def test_an_empty_search_lists_everyone_in_name_order(as_clinician, several):
    response = as_clinician.get("/")
    rows = [name for name, _ in listed(response)]
    assert len(rows) == 10
    assert rows[:4] == ["BROWN, Peter", "JONES, Johnny", "MÜLLER, Jürgen", "O_NEIL, Sean"]
    assert "10 patients" in page_text(response)


def test_no_match_offers_to_register(as_clinician, several):
    text = page_text(as_clinician.get("/", query_string={"q": "zzz"}))
    assert "No patient matches" in text
    assert "0 patients" in text


# --- pagination ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("app_overrides", [{"PATIENTS_PER_PAGE": 3}])
def test_pagination(as_clinician, users):
    for n in range(7):
        make_patient(users.clinician, mrn=f"P-{n}", family_name=f"Family{n}", given_name="X")
    first = as_clinician.get("/")
    assert [mrn for _, mrn in listed(first)] == ["P-0", "P-1", "P-2"]
    assert "Page 1 of 3" in page_text(first)
    assert [mrn for _, mrn in listed(as_clinician.get("/?page=2"))] == ["P-3", "P-4", "P-5"]
    last = as_clinician.get("/?page=3")
    assert [mrn for _, mrn in listed(last)] == ["P-6"]
    assert "Page 3 of 3" in page_text(last)
    # The next link keeps the query.
    filtered = as_clinician.get("/?q=family")
    link = soup(filtered).find("a", rel="next")
    assert link is not None
    assert "q=family" in link["href"]
    assert "page=2" in link["href"]
    # Out of range pages clamp to the nearest real page.
    assert [mrn for _, mrn in listed(as_clinician.get("/?page=99"))] == ["P-6"]
    assert [mrn for _, mrn in listed(as_clinician.get("/?page=-1"))] == ["P-0", "P-1", "P-2"]
    assert [mrn for _, mrn in listed(as_clinician.get("/?page=abc"))] == ["P-0", "P-1", "P-2"]


ODD_QUERIES = [
    {"page": "-1"}, {"page": "abc"}, {"page": "0"}, {"page": "9" * 30}, {"q": "x" * 500}, {"q": "Ω≈ç√∫˜µ≤≥÷"},
    {"q": "🙂 Smith"}, {"q": "'; DROP TABLE patient; --"}, {"q": "a\x00b"}, {"q": "\x00"}, {"q": ","},
    {"q": " , "}, {"q": "%%%___"}, {"q": "\\%"}, {"q": ["a", "b"]}, {"q": "Smith", "page": "9" * 30},
]


def test_odd_search_input_never_fails(as_clinician, several):
    failures = []
    for query in ODD_QUERIES:
        response = as_clinician.get("/", query_string=query)
        if response.status_code not in (200, 400) or "Traceback" in response.get_data(as_text=True):
            failures.append(f"{query!r}: {response.status_code}")
    assert not failures, failures
    assert patient_count() == 10  # and nothing was dropped


def test_a_nul_character_is_a_bad_request(as_clinician, several):
    assert as_clinician.get("/", query_string={"q": "a\x00b"}).status_code == 400
    assert as_clinician.post("/patients/new", data=patient_form(family_name="a\x00b")).status_code == 400


ODD_FORMS = [
    {"family_name": "a\x00b"}, {"mrn": "A\x00"}, {"given_name": "\x00"}, {"birth_date": "\x00"},
    {"birth_date": "9" * 40}, {"sex": "\x00"}, {"family_name": "𝕯𝖔𝖊"}, {"birth_date": "0000-00-00"},
    {"birth_date": "-2000-01-01"}, {"mrn": "A" * 5000}, {"family_name": "\u202eevil"},
]


def test_odd_form_input_never_fails(as_clinician):
    failures = []
    for n, changes in enumerate(ODD_FORMS):
        data = patient_form(**{"mrn": f"ODD-{n}", **changes})
        for url in ("/patients/new", "/patients/1/edit"):
            response = as_clinician.post(url, data=data)
            if response.status_code not in (200, 302, 400, 404):
                failures.append(f"{url} {changes!r}: {response.status_code}")
    assert not failures, failures


def test_huge_or_zero_ids_are_not_found(as_clinician):
    for path in ("/patients/99999999999999999999", "/patients/2147483648/edit", "/patients/9223372036854775808",
                 "/patients/0", "/patients/-1", "/patients/1e3", "/patients/%00"):
        assert as_clinician.get(path).status_code in (400, 404), path


# --- search by MRN digits and by name in either order (issue 10, item 9) -------------------------------


@pytest.fixture
def okafor(users):
    make_patient(users.clinician, mrn="MRN-448812", family_name="Okafor", given_name="Daniel")
    make_patient(users.clinician, mrn="MRN-448899", family_name="Okafor", given_name="Grace")
    make_patient(users.clinician, mrn="MRN-120448", family_name="Daniels", given_name="Ruth")


def test_search_by_the_digits_of_an_mrn(as_clinician, okafor):
    assert names(as_clinician, "448812") == {"OKAFOR, Daniel"}
    assert names(as_clinician, " 448812 ") == {"OKAFOR, Daniel"}
    assert names(as_clinician, "4488") == {"OKAFOR, Daniel", "OKAFOR, Grace"}
    assert names(as_clinician, "448") == {"OKAFOR, Daniel", "OKAFOR, Grace", "DANIELS, Ruth"}  # anywhere in it
    assert names(as_clinician, "MRN-448812") == {"OKAFOR, Daniel"}  # the whole MRN, as before
    assert names(as_clinician, "44") == set()  # two digits are too few to search MRNs by


def test_search_by_given_then_family_name_and_the_other_way_round(as_clinician, okafor):
    assert names(as_clinician, "Daniel Okafor") == {"OKAFOR, Daniel"}
    assert names(as_clinician, "Okafor Daniel") == {"OKAFOR, Daniel"}
    assert names(as_clinician, "  okafor   DANIEL ") == {"OKAFOR, Daniel"}
    assert names(as_clinician, "Grace Okafor") == {"OKAFOR, Grace"}
    assert names(as_clinician, "Okafor") == {"OKAFOR, Daniel", "OKAFOR, Grace"}
    assert names(as_clinician, "Daniel Smith") == set()  # every word must match
    assert names(as_clinician, "Okafor, Daniel") == {"OKAFOR, Daniel"}  # "Family, Given", as before
