"""The section page's SQL statements: a small constant whatever the data (design.md section 6: no
N+1), and its fields' HTML, filled in from a copy made once per field, the same as the
``item_field`` macro writes (fbss_eval/field_html.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask import render_template_string
from werkzeug.datastructures import MultiDict

from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section
from fbss_eval.checklist.versions import all_sections_for
from fbss_eval.checklist.versions import released_versions
from fbss_eval.extensions import db
from fbss_eval.field_html import checklist_field
from fbss_eval.forms.builder import section_form_class
from tests.conftest import login
from tests.web.conftest import make_patient
from tests.web.review_support import make_visit

# The pages measured: the largest (no evaluation beside it), one with repeat-group rows, an
# instrument, and the differential (every pointer and the candidacy reports).
PAGES = ("examination", "surgical_history", "odi", "differential")
# Today: the session and its user; the visit with its patient and clinician; this hour's record of
# access; the section rows; the alerts; a form kept across an expired session. Never more.
MOST = 6


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _operations(n: int) -> list[dict[str, Any]]:
    return [{"date": f"20{10 + k}-03-0{1 + k % 9}", "procedure": "microdiscectomy"} for k in range(n)]


def _answers(operations: int) -> dict[str, dict[str, Any]]:
    return {
        "red_flags": {"rf_ces_bladder_bowel": "yes"},  # a critical alert
        "odi": {f"odi_{k}": "3" for k in range(1, 11)},
        "surgical_history": {"operations": _operations(operations)},
        "examination": {"slr_left": "positive", "waddell_signs": 2},
    }


def test_a_section_page_runs_the_same_few_statements_whatever_the_data(app: Flask, users: Any) -> None:
    """One visit in the database, then 30 more (of other patients and of the same one, with more
    operations and alerts): each page runs the same statements, at most ``MOST``."""
    patient = make_patient(users.clinician)
    visit = make_visit(patient, users.clinician, date(2026, 1, 5), "initial", _answers(1))
    client = app.test_client()
    login(client, "carl")

    def measure() -> list[int]:
        out = []
        for key in PAGES:
            url = f"/visits/{visit.id}/sections/{key}"
            client.get(url)  # warm: this hour's record of access is written once
            with counted(app) as statements:
                response = client.get(url)
            assert response.status_code == 200
            out.append(len(statements))
        return out

    small = measure()
    assert max(small) <= MOST, small
    for n in range(15):
        other = make_patient(users.clinician, mrn=f"MRN-B{n}", family_name=f"Bulk{n}")
        make_visit(other, users.other, date(2025, 6, 1 + n), "initial", _answers(5))
        make_visit(patient, users.clinician, date(2025, 1, 1 + n), "follow_up", _answers(5))
    visit = make_visit(patient, users.clinician, date(2026, 2, 1), "follow_up", _answers(8))
    assert measure() == small


TYPED = {"integer": "7", "decimal": "7,5", "date": "2020-02-29", "text": 'a "quoted" <b>&amp;</b>',
         "textarea": 'a "quoted" <b>&amp;</b>', "boolean": "no"}


def _values(spec: Field) -> list[str]:
    if spec.type == "choice":
        return [spec.options[-1].value]
    if spec.type == "multichoice":
        return [spec.options[0].value, spec.options[-1].value]
    return [TYPED[spec.type]]


def _filled(section: Section, rows: int) -> MultiDict[str, str]:
    """Posted-form data answering every field: numbers, dates, text with characters to escape,
    the last option of each choice, two options of each multiple choice; ``rows`` rows per group."""
    data: MultiDict[str, str] = MultiDict()
    for item in section.items:
        if isinstance(item, RepeatGroup):
            for row in range(rows):
                for spec in item.fields:
                    data.setlist(f"{item.key}-{row}-{spec.key}", _values(spec))
        else:
            data.setlist(item.key, _values(item))
    return data


def _macro(spec: Field, field: Any, answers: dict[str, Any], scope: str = "") -> str:
    return render_template_string('{% from "_macros/checklist.html" import item_field %}'
                                  "{{ item_field(spec, field, answers, scope=scope) }}",
                                  spec=spec, field=field, answers=answers, scope=scope)


@pytest.mark.parametrize("version", released_versions())
def test_every_field_is_written_as_the_macro_writes_it(app: Flask, version: str) -> None:
    """Every field of every section of each released checklist, blank and answered, shown and
    hidden (by its enable-when), in repeat-group rows too: the same HTML as the macro."""
    compared = 0
    with app.test_request_context():
        for section in all_sections_for(version):
            form_class = section_form_class(section)
            for data in (MultiDict(), _filled(section, rows=2)):
                form = form_class(formdata=data, meta={"csrf": False})
                for answers in ({}, {"__none__": True}, {k: v for k, v in data.items()}):
                    for item in section.items:
                        if isinstance(item, RepeatGroup):
                            for entry in form[item.key].entries:
                                scope = f"{entry.name}-"
                                for spec in item.fields:
                                    field = entry.form[spec.key]
                                    assert str(checklist_field(spec, field, answers, scope)) == \
                                        _macro(spec, field, answers, scope), (section.key, field.id)
                                    compared += 1
                        else:
                            field = form[item.key]
                            assert str(checklist_field(item, field, answers)) == _macro(item, field, answers), \
                                (section.key, field.id)
                            compared += 1
    assert compared > 1000


def test_a_field_with_an_error_keeps_its_message_beside_it(app: Flask) -> None:
    """A field in error is not filled in from its copy: its message, aria-invalid and
    aria-describedby are there (and the fields around it are unchanged)."""
    section = next(s for s in all_sections_for(released_versions()[-1]) if s.key == "odi")
    with app.test_request_context():
        form = section_form_class(section)(formdata=MultiDict({"odi_1": "forged"}), meta={"csrf": False})
        form.validate()
        html = str(checklist_field(section.item("odi_1"), form["odi_1"], {}))  # type: ignore[arg-type]
        assert 'class="field-error" id="odi_1-error">Choose one of the options listed.</p>' in html
        assert 'aria-describedby="odi_1-error"' in html or 'odi_1-error"' in html.split("<legend>")[0]
        assert html == _macro(section.item("odi_1"), form["odi_1"], {})  # type: ignore[arg-type]
