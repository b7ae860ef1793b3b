"""Property-based: whatever is posted to any section (real field names, row names, junk keys; any
text, huge numbers, numbers and row indices in other scripts, control characters, several values
per name), the answer is never a 500, a refused save changed nothing in the database, and whatever
gets saved fits the checklist. The hostile values are those of tests/web/test_fuzz.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from fbss_eval.checklist import all_sections
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.validate import clean_answers
from fbss_eval.extensions import db
from tests.web.test_fuzz import HOSTILE
from tests.web.test_fuzz import OTHER_DIGITS
from tests.web.test_fuzz import check
from tests.web.test_fuzz import snapshot
from tests.web.visits_support import current_rev
from tests.web.visits_support import days_ago
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored

OPTIONAL = ("rmdq", "fabq", "tsk", "lanss")
SECTIONS = {section.key: section for section in all_sections(OPTIONAL)}
# Per section and database: ~330 random posts per database, ~25 s. More for a deeper search:
# FBSS_PROPERTY_EXAMPLES=500 pytest tests/web/test_visits_property.py
EXAMPLES = int(os.environ.get("FBSS_PROPERTY_EXAMPLES", "15"))
# Row numbers: ordinary, far beyond the list, and written with digits of other scripts.
ROW_INDEX = st.one_of(st.integers(0, 3).map(str), st.sampled_from(["29", "30", "59", "60", str(10**20), "01"]),
                      st.text(alphabet=st.sampled_from(OTHER_DIGITS + "0123"), min_size=1, max_size=3),
                      st.sampled_from(["-1", "", " 1", "1 "]))


@pytest.fixture
def app_overrides() -> dict[str, object]:
    return {"FBSS_OPTIONAL_INSTRUMENTS": list(OPTIONAL)}  # every section, optional instruments too


@pytest.fixture
def visit_id(as_clinician, patient) -> int:
    return start_visit(as_clinician, patient.id, days_ago(2))


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
ODD = st.sampled_from(["", " ", "yes", "no", "1", "0", "-1", "10", "11", "100", "101", "1e400", "NaN", "inf",
                       "-0", "0x10", "1_000", "٣", "１２", "3,5", "2.5", "2024-02-30", "1899-12-31", "9999-12-31",
                       "2020-01-01", "true", "None", "[]", "{}", "x" * 6000, "9" * 5000])
NUMBER = st.one_of(st.integers(min_value=-(10**40), max_value=10**40).map(str),
                   st.floats(allow_nan=True, allow_infinity=True).map(repr))
DATE = st.dates().map(lambda d: d.isoformat())


def values_for(spec: Field) -> st.SearchStrategy[str]:
    """Anything, with extra weight on this field's options and just inside / outside its range."""
    edges = [f"{bound + step:g}" for bound in (spec.min, spec.max) if bound is not None for step in (-1, 0, 1)]
    specific = [st.sampled_from(edges)] if edges else []
    if spec.options:
        specific.append(st.sampled_from([opt.value for opt in spec.options]))
    return st.one_of(*specific, TEXT, ODD, NUMBER, DATE, HOSTILE)


def names_and_values(key: str) -> st.SearchStrategy[tuple[str, str]]:
    """(posted name, value): a top-level field, a field of a row (also rows far beyond the list),
    a bare row name, or junk."""
    section = SECTIONS[key]
    top = st.sampled_from(section.fields()).flatmap(lambda f: st.tuples(st.just(f.key), values_for(f)))
    junk = st.tuples(st.one_of(TEXT.filter(bool), st.sampled_from(["_rev", "csrf_token"])), TEXT)
    choices = [top, top, top, junk]  # mostly real names: junk names are simply ignored
    if section.groups():
        index = ROW_INDEX
        in_row = st.tuples(st.sampled_from(section.groups()), index).flatmap(
            lambda gi: st.sampled_from(gi[0].fields).flatmap(
                lambda f: st.tuples(st.just(f"{gi[0].key}-{gi[1]}-{f.key}"), values_for(f))))
        choices += [in_row, in_row, in_row]
        choices.append(st.tuples(st.sampled_from([f"{g.key}-0" for g in section.groups()]), TEXT))
    return st.one_of(*choices)


def actions(key: str) -> st.SearchStrategy[str]:
    groups = [g.key for g in SECTIONS[key].groups()]
    choices = [st.just("save"), st.just("save_next")]
    if groups:
        choices.append(st.sampled_from(groups).map(lambda g: f"add:{g}"))
        choices.append(st.tuples(st.sampled_from(groups), ROW_INDEX).map(lambda t: f"remove:{t[0]}:{t[1]}"))
        choices.append(st.sampled_from(groups).map(lambda g: f"add:{g}:1"))
    return st.one_of(*choices)


@pytest.mark.parametrize("key", sorted(SECTIONS))
def test_random_posts_never_fail(as_clinician, visit_id, key):
    section = SECTIONS[key]

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(pairs=st.lists(names_and_values(key), max_size=16), action=actions(key),
           rev=st.one_of(st.none(), st.sampled_from(["-1", "abc", "99999999999999999999999"])))
    def post_anything(pairs: list[tuple[str, str]], action: str, rev: str | None) -> None:
        count[0] += 1
        data = MultiDict(pairs)
        data.setlist("_rev", [rev if rev is not None else str(current_rev(visit_id, key))])
        data.setlist("_action", [action])
        before = snapshot()
        response = as_clinician.post(section_url(visit_id, key), data=data)
        assert response.status_code in (200, 302, 400, 409, 413, 422), (response.status_code, data)
        check(response, before, "POST", data)  # a refusal (also 200: rows added or removed) changed nothing
        if response.status_code == 302:
            clean, errors = clean_answers(section, stored(visit_id, key))
            assert errors == {}
            assert clean == stored(visit_id, key)
        db.session.rollback()

    count = [0]
    post_anything()
    print(f"fuzz examples run: section {key} {count[0]}")  # noqa: T201  # shown by make fuzz (-rP)
