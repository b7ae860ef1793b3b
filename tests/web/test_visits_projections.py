"""What a visit stores beside its answers, read back from the tables: the ``finding`` rows the
differential is projected into, and the checklist version a visit is captured with.

Saves go through the real section form (read back from the page with ``page_form``, one value
changed, posted with its CSRF-free test config), as a browser without JavaScript would.
Expected rows are literals: the category keys and likelihood values of the differential
(clinical-reference section "Pain generators"; checklist ``categories.PAIN_GENERATORS`` /
``LIKELIHOODS``), written out by hand.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

import fbss_eval.checklist as checklist
from fbss_eval.extensions import db
from fbss_eval.models import Finding
from fbss_eval.models import Visit
from tests.web.conftest import soup
from tests.web.visits_support import days_ago
from tests.web.visits_support import page_form
from tests.web.visits_support import post_section
from tests.web.visits_support import section_row
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit

# The version of the checklist this code base captures visits with. A literal on purpose: when
# the checklist is released as a new version, change it here after checking that new visits
# store the new version (and old visits keep theirs).
CURRENT_CHECKLIST_VERSION = checklist.VERSION


@pytest.fixture
def visit_id(as_clinician, patient) -> int:
    return start_visit(as_clinician, patient.id, days_ago(3))


def findings(visit_id: int) -> set[tuple[str, str]]:
    db.session.expire_all()
    return {(f.category, f.likelihood)
            for f in db.session.scalars(sa.select(Finding).where(Finding.visit_id == visit_id))}


def save_differential(client, visit_id: int, likelihoods: dict[str, str]):
    """Post the differential page's own form with these ``lh_<category>`` choices (others as the
    page shows them)."""
    page = soup(client.get(section_url(visit_id, "differential")))
    form = page_form(page)
    for category, likelihood in likelihoods.items():
        name = f"lh_{category}"
        offered = [str(node.get("value")) for node in page.find_all("input", attrs={"name": name})]
        assert offered == ["not_assessed", "unlikely", "possible", "probable", "confirmed"], name
        form.setlist(name, [likelihood] if likelihood else [])
    response = post_section(client, visit_id, "differential", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def test_a_new_visit_has_no_findings(as_clinician, visit_id):
    assert findings(visit_id) == set()


def test_saving_the_differential_writes_one_finding_per_assessed_category(as_clinician, visit_id):
    save_differential(as_clinician, visit_id, {
        "facet": "probable",
        "sij": "possible",
        "discogenic": "unlikely",
        "instability": "confirmed",
        "infection": "not_assessed",
        "epidural_fibrosis": "not_assessed",
    })
    assert findings(visit_id) == {
        ("facet", "probable"),
        ("sij", "possible"),
        ("discogenic", "unlikely"),
        ("instability", "confirmed"),
    }
    rows = db.session.scalars(sa.select(Finding).where(Finding.visit_id == visit_id)).all()
    assert len(rows) == 4  # one row per category, no duplicates


def test_not_assessed_likelihoods_are_not_written(as_clinician, visit_id):
    save_differential(as_clinician, visit_id, {"infection": "not_assessed", "myofascial": "not_assessed"})
    assert section_row(visit_id, "differential").answers["lh_infection"] == "not_assessed"
    assert findings(visit_id) == set()


def test_a_re_save_replaces_the_findings(as_clinician, visit_id):
    save_differential(as_clinician, visit_id, {"facet": "probable", "sij": "possible", "infection": "unlikely"})
    assert findings(visit_id) == {("facet", "probable"), ("sij", "possible"), ("infection", "unlikely")}

    save_differential(as_clinician, visit_id, {
        "facet": "unlikely",          # changed
        "sij": "",                    # cleared
        "infection": "not_assessed",  # no longer assessed
        "wrong_level": "confirmed",   # new
    })
    assert findings(visit_id) == {("facet", "unlikely"), ("wrong_level", "confirmed")}

    save_differential(as_clinician, visit_id, {"facet": "", "wrong_level": ""})
    assert findings(visit_id) == set()


def test_findings_belong_to_their_own_visit(as_clinician, patient, visit_id):
    save_differential(as_clinician, visit_id, {"facet": "probable"})
    later = start_visit(as_clinician, patient.id, days_ago(1), kind="follow_up")
    save_differential(as_clinician, later, {"sij": "confirmed"})
    assert findings(visit_id) == {("facet", "probable")}
    assert findings(later) == {("sij", "confirmed")}


def test_a_differential_marked_not_assessed_keeps_its_answers_but_no_findings(as_clinician, visit_id):
    save_differential(as_clinician, visit_id, {"facet": "probable"})
    rev = section_row(visit_id, "differential").rev
    response = as_clinician.post(f"/visits/{visit_id}/sections/differential/not-assessed",
                                 data={"reason": "not_asked", "rev": str(rev)})
    assert response.status_code == 302
    assert section_row(visit_id, "differential").answers["lh_facet"] == "probable"
    assert findings(visit_id) == set()


def test_a_started_visit_stores_the_current_checklist_version(as_clinician, visit_id):
    db.session.expire_all()
    assert db.session.get(Visit, visit_id).checklist_version == CURRENT_CHECKLIST_VERSION
    stored = db.session.execute(sa.text("SELECT checklist_version FROM visit WHERE id = :id"),
                                {"id": visit_id}).scalar_one()
    assert stored == CURRENT_CHECKLIST_VERSION
    page = as_clinician.get(section_url(visit_id, "visit")).get_data(as_text=True)
    assert f"checklist {CURRENT_CHECKLIST_VERSION}" in page


def test_saving_a_section_keeps_the_version_the_visit_was_started_with(as_clinician, visit_id):
    save_differential(as_clinician, visit_id, {"facet": "probable"})
    db.session.expire_all()
    assert db.session.get(Visit, visit_id).checklist_version == CURRENT_CHECKLIST_VERSION


def test_the_data_dictionary_prints_the_current_checklist_version(runner):
    result = runner.invoke(args=["checklist", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["checklist_version"] == CURRENT_CHECKLIST_VERSION
    assert {row["version"] for row in data["fields"]} == {CURRENT_CHECKLIST_VERSION}

    result = runner.invoke(args=["checklist", "--format", "csv"])
    assert result.exit_code == 0, result.output
    versions = {line.rsplit(",", 1)[-1] for line in result.output.splitlines()[1:] if line}
    assert versions == {CURRENT_CHECKLIST_VERSION}
