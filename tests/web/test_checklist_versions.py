"""A later checklist version never alters how an old visit reads (design.md section 3).

The test releases a new checklist version the way an engineer would: the examination section is
changed in the checklist data (a field relabelled, an option removed, another option's label
reworded, a required field added) and ``VERSION`` is bumped. A visit captured before, with the
current version, must still show, validate, count and print its examination with that version's
definitions (read from ``checklist/releases/<version>.json``); a visit started after uses the new
ones. Runs on every configured database.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from pypdf import PdfReader

import fbss_eval.checklist as checklist
import fbss_eval.checklist.sections as checklist_sections
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section
from fbss_eval.extensions import db
from tests.web.conftest import field_error
from tests.web.conftest import soup
from tests.web.visits_support import days_ago
from tests.web.visits_support import post_section
from tests.web.visits_support import section_row
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored

# The version a visit is captured with before the test releases a new one: the current one
# (never hard-coded: it changes with every checklist release).
OLD_VERSION = checklist.VERSION
NEW_VERSION = "2099.1.1"
OLD_GAIT_LABEL = "Gait"
NEW_GAIT_LABEL = "Walking pattern observed"
REMOVED = "foot_drop"  # "Foot drop / high-stepping" is not an option of the new version
OLD_STOOPED = "Stooped, forward-leaning"
NEW_STOOPED = "Stooped posture when walking"
NEW_FIELD = Field("morning_stiffness_min", "Morning stiffness duration", "integer", unit="min", min=0, max=240,
                  required=True)


def _new_surgical_history(old: Section) -> Section:
    """The operations list without facetectomy among its procedures."""
    group = old.item("operations")
    assert isinstance(group, RepeatGroup)
    fields = tuple(
        dataclasses.replace(f, options=tuple(o for o in f.options if o.value != "facetectomy"))
        if f.key == "procedure" else f
        for f in group.fields
    )
    items = tuple(dataclasses.replace(group, fields=fields) if i.key == "operations" else i for i in old.items)
    return dataclasses.replace(old, items=items)


def _new_examination(old: Section) -> Section:
    items = []
    for item in old.items:
        if isinstance(item, Field) and item.key == "gait":
            options = tuple(
                dataclasses.replace(opt, label=NEW_STOOPED) if opt.value == "stooped" else opt
                for opt in item.options if opt.value != REMOVED
            )
            item = dataclasses.replace(item, label=NEW_GAIT_LABEL, options=options)
        items.append(item)
    return dataclasses.replace(old, items=(*items, NEW_FIELD))


@pytest.fixture
def release_new_version(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """A call that releases NEW_VERSION: the changed examination in the checklist data, VERSION
    bumped (both undone after the test)."""

    def release() -> None:
        changes = {"examination": _new_examination, "surgical_history": _new_surgical_history}
        monkeypatch.setattr(checklist_sections, "BEFORE_INSTRUMENTS", tuple(
            changes[s.key](s) if s.key in changes else s for s in checklist_sections.BEFORE_INSTRUMENTS))
        monkeypatch.setattr(checklist, "VERSION", NEW_VERSION)

    return release


def stored_version(visit_id: int) -> str:
    """The checklist_version column of the visit row, read with plain SQL."""
    query = sa.text("SELECT checklist_version FROM visit WHERE id = :id")
    return db.session.execute(query, {"id": visit_id}).scalar_one()


def gait_choices(page: BeautifulSoup) -> set[str]:
    """The option values the gait question offers (radio buttons or a drop-down)."""
    radios = {node["value"] for node in page.find_all("input", attrs={"name": "gait"})}
    select = page.find("select", attrs={"name": "gait"})
    options = {node["value"] for node in select.find_all("option") if node["value"]} if select else set()
    return radios | options


def gait_label(page: BeautifulSoup) -> str:
    """The gait question's label: a fieldset's legend (radio buttons) or the drop-down's label."""
    node = page.find(id="gait")
    assert node is not None, "no gait question"
    label = node.find("legend") if node.name == "fieldset" else page.find("label", attrs={"for": "gait"})
    assert label is not None, "no label for gait"
    return label.get_text(" ", strip=True)


def record_text(client, visit_id: int) -> str:
    """The full-record PDF's text without white space (cells and line breaks cannot split a phrase)."""
    response = client.get(f"/visits/{visit_id}/record.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_started_visit_stores_the_current_checklist_version(as_clinician, patient):
    visit_id = start_visit(as_clinician, patient.id, days_ago(2))
    assert stored_version(visit_id) == checklist.VERSION
    assert (Path(checklist.__file__).parent / "releases" / f"{checklist.VERSION}.json").is_file()


def test_an_old_visit_reads_validates_and_prints_with_its_own_version(as_clinician, patient,
                                                                      release_new_version):
    old_id = start_visit(as_clinician, patient.id, days_ago(30))  # captured with the current version
    assert stored_version(old_id) == OLD_VERSION
    release_new_version()
    new_id = start_visit(as_clinician, patient.id, days_ago(1), kind="follow_up")
    assert stored_version(new_id) == NEW_VERSION  # new visits are captured with the current version

    # The section page: the old visit shows the old field, options and labels; the new one the new.
    old_page = soup(as_clinician.get(section_url(old_id, "examination")))
    new_page = soup(as_clinician.get(section_url(new_id, "examination")))
    assert gait_label(old_page) == OLD_GAIT_LABEL
    assert gait_label(new_page) == NEW_GAIT_LABEL
    assert REMOVED in gait_choices(old_page)
    assert REMOVED not in gait_choices(new_page)
    assert "stooped" in gait_choices(old_page) & gait_choices(new_page)
    assert OLD_STOOPED in old_page.get_text()
    assert NEW_STOOPED not in old_page.get_text()
    assert NEW_STOOPED in new_page.get_text()
    assert OLD_STOOPED not in new_page.get_text()
    assert old_page.find(attrs={"name": NEW_FIELD.key}) is None
    assert new_page.find(attrs={"name": NEW_FIELD.key}) is not None

    # Saving validates against the visit's own version.
    assert post_section(as_clinician, old_id, "examination", {"gait": REMOVED}).status_code == 302
    assert stored(old_id, "examination") == {"gait": REMOVED}
    refused = post_section(as_clinician, new_id, "examination", {"gait": REMOVED})
    assert refused.status_code == 422
    assert field_error(soup(refused), "gait") == "Choose one of the options listed."
    assert stored(new_id, "examination") == {}
    response = post_section(as_clinician, new_id, "examination", {"gait": "stooped", NEW_FIELD.key: "45"})
    assert response.status_code == 302
    assert stored(new_id, "examination") == {"gait": "stooped", NEW_FIELD.key: 45}
    post_section(as_clinician, old_id, "examination", {"gait": REMOVED, NEW_FIELD.key: "45"})
    assert stored(old_id, "examination") == {"gait": REMOVED}  # not a question of the old version

    # Completeness counts the questions of the visit's own version: one more required in the new.
    old_required = sum(1 for f in _old_examination().fields() if f.required)
    assert section_row(old_id, "examination").n_required == old_required
    assert section_row(new_id, "examination").n_required == old_required + 1

    # The summary page of each visit opens.
    assert as_clinician.get(f"/visits/{old_id}").status_code == 200
    assert as_clinician.get(f"/visits/{new_id}").status_code == 200

    # The printed record: the old visit prints the old labels, the new visit the new ones.
    old_record = record_text(as_clinician, old_id)
    new_record = record_text(as_clinician, new_id)
    assert squashed("Foot drop / high-stepping") in old_record
    assert squashed(NEW_GAIT_LABEL) not in old_record
    assert squashed(NEW_GAIT_LABEL) in new_record
    assert squashed(NEW_STOOPED) in new_record
    assert squashed(NEW_FIELD.label) in new_record


def test_history_carried_into_a_new_version_keeps_only_what_that_version_asks(as_clinician, patient,
                                                                              release_new_version):
    old_id = start_visit(as_clinician, patient.id, days_ago(30))
    history = {"records_reviewed": "full",
               "operations-0-date": "2020-03-01", "operations-0-procedure": "facetectomy",
               "operations-1-date": "2021-05-01", "operations-1-procedure": "laminectomy"}
    assert post_section(as_clinician, old_id, "surgical_history", history).status_code == 302
    captured = {"records_reviewed": "full", "operations": [{"date": "2020-03-01", "procedure": "facetectomy"},
                                                           {"date": "2021-05-01", "procedure": "laminectomy"}]}
    assert stored(old_id, "surgical_history") == captured
    release_new_version()
    new_id = start_visit(as_clinician, patient.id, days_ago(1), kind="follow_up")
    assert stored(new_id, "surgical_history") == {
        "records_reviewed": "full", "operations": [{"date": "2020-03-01"},
                                                   {"date": "2021-05-01", "procedure": "laminectomy"}]}
    assert section_row(new_id, "surgical_history").carried_forward_from == old_id
    assert stored(old_id, "surgical_history") == captured  # the old visit keeps what it captured
    page = soup(as_clinician.get(section_url(old_id, "surgical_history")))
    chosen = page.find("select", attrs={"name": "operations-0-procedure"}).find("option", selected=True)
    assert chosen["value"] == "facetectomy"


def test_without_the_release_both_visits_read_the_same(as_clinician, patient):
    """The control: with one version, two visits show the same examination (so the test above
    sees the release, not a difference between the two visits)."""
    first = start_visit(as_clinician, patient.id, days_ago(30))
    second = start_visit(as_clinician, patient.id, days_ago(1), kind="follow_up")
    pages = [soup(as_clinician.get(section_url(v, "examination"))) for v in (first, second)]
    assert gait_label(pages[0]) == gait_label(pages[1]) == OLD_GAIT_LABEL
    assert gait_choices(pages[0]) == gait_choices(pages[1])
    assert REMOVED in gait_choices(pages[0])


def test_a_visit_with_an_unknown_checklist_version_says_so(as_clinician, patient):
    from fbss_eval.checklist.versions import UnknownChecklistVersion
    from fbss_eval.models import Visit
    from fbss_eval.services import visits as visit_service

    visit_id = start_visit(as_clinician, patient.id, days_ago(1))
    visit = db.session.get(Visit, visit_id)
    visit.checklist_version = "1999.1.1"
    with pytest.raises(UnknownChecklistVersion, match="'1999.1.1' is not a released version"):
        visit_service.sections_of(visit)
    db.session.rollback()


def _old_examination() -> Section:
    from fbss_eval.checklist.sections.examination import SECTION

    return SECTION


def test_the_checklist_command_prints_the_fingerprint_and_refuses_to_rewrite_a_release(runner):
    from fbss_eval.checklist import versions

    result = runner.invoke(args=["checklist", "--fingerprint"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{checklist.VERSION} {versions.current_fingerprint()}",
                                          f"matches releases/{checklist.VERSION}.json"]
    refused = runner.invoke(args=["checklist", "--release"])
    assert refused.exit_code == 1
    assert f"{checklist.VERSION}.json exists" in refused.output
