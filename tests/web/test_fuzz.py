"""Property-based fuzz of every form and every query-string route (issue 11, "widen the fuzz").

Whatever is sent (each key of a form any number of times, numbers far out of range or written in
other scripts, Unicode digits where row numbers go, CR/LF and ``//evil`` in every redirect
parameter, dates at both ends of the calendar, control characters, bodies over the size limit),
the answer is never a 5xx, and a refused request (4xx, or a form shown again) changed nothing in
the database. The section forms are fuzzed by tests/web/test_visits_property.py with the same
values (its strategies import these).

A few examples per test in ``make test`` (derandomized: the same ones each run); ``make fuzz`` runs
many more, at random (``FBSS_FUZZ_EXAMPLES`` per test).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

import fbss_eval
from fbss_eval.extensions import db
from fbss_eval.models import Base
from tests.conftest import PASSWORD
from tests.conftest import login

# Examples per test (each test covers every route or every form): ``make fuzz`` sets many more.
EXAMPLES = int(os.environ.get("FBSS_FUZZ_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, derandomize=EXAMPLES <= 40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# -- values -----------------------------------------------------------------------------------

OTHER_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९০১২৩৪৫৬৭৮৯０１２３４５６７８９¹²³⁴"
CONTROL = "".join(chr(c) for c in [*range(0x01, 0x20), *range(0x7F, 0xA0)])
REDIRECTS = ["//evil.example", "///evil.example", "/\r\n/evil.example", "/\n", "\r", "/%0d%0aSet-Cookie:%20x=1",
             "https://evil.example/", "/\\evil.example", "\t//evil.example", "/\t/evil.example",
             "javascript:alert(1)", "/patients/1\r\nX-Injected: 1", " /", "/ok\x0b", "/", "/admin/audit?page=2",
             "/%2F%2Fevil.example", "/visits/1", "//", "/\u2028/evil.example", "/€/ünïcode"]
EDGES = ["", " ", "0", "-0", "-1", "1_0", "1_000", "0x10", "1e400", "-1e400", "1e3", "NaN", "inf", "-inf",
         "9" * 309, "-" + "9" * 400, "1" + "0" * 5000, "2.5", "3,5", "1.", ".5", "+7", "٣", "１２", "²",
         "0001-01-01", "9999-12-31", "0000-00-00", "10000-01-01", "1899-12-31", "1900-01-01", "2024-02-30",
         "2024-1-5", "٢٠٢٤-٠١-٠١", "yes", "no", "y", "on", "true", "None", "null", "[]", "{}",
         "<script>alert(1)</script>", "' OR 1=1 --", "%", "_", "\\", "admin", "clinician", "female",
         "x" * 6000, "\x00"]
OVERSIZED = "x" * (2 * 1024 * 1024 + 1)  # just over MAX_CONTENT_LENGTH
# A local path with a control character (CR, LF, tab ...) or "//evil" spliced in anywhere.
SPLICED = st.tuples(st.sampled_from(["/", "/patients/1", "/visits/1?x=1", "/admin/audit"]),
                    st.sampled_from([*"\r\n\t\x0b\x0c\x85\x1b", "\r\n", "//evil.example", "\r\nSet-Cookie: x=1"]),
                    st.integers(0, 20)).map(lambda t: t[0][:t[2]] + t[1] + t[0][t[2]:])
REDIRECT_VALUES = st.one_of(st.sampled_from(REDIRECTS), SPLICED)

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
HOSTILE = st.one_of(
    st.sampled_from(EDGES),
    REDIRECT_VALUES,
    TEXT,
    st.text(alphabet=st.sampled_from(CONTROL + "ab \r\n\t"), min_size=1, max_size=12),
    st.text(alphabet=st.sampled_from(OTHER_DIGITS + "0123456789-+.,"), min_size=1, max_size=14),
    st.integers(min_value=-(10**400), max_value=10**400).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda d: d.isoformat()),
)


def posted(names: list[str]) -> st.SearchStrategy[MultiDict[str, str]]:
    """Form data over ``names`` (and junk names): any key any number of times, any values."""
    name = st.one_of(st.sampled_from(names), st.sampled_from(names), st.sampled_from(["_junk", "", "csrf_token"]))
    pairs = st.lists(st.tuples(name, st.one_of(HOSTILE, HOSTILE, HOSTILE, HOSTILE, st.just(OVERSIZED))),
                     max_size=12)
    doubled = pairs.map(lambda ps: ps + ps[:2])  # force repeats of the first keys
    return st.one_of(pairs, doubled).map(MultiDict)


# -- the database before and after ------------------------------------------------------------

APPEND_ONLY = {"audit_event", "login_attempt"}  # compared by count and last id: they only grow
IGNORED_COLUMNS = {("user_session", "last_seen_at")}  # touched by any authenticated request


def snapshot() -> dict[str, str]:
    """A digest of every table's rows (the test's own view of the database, committed)."""
    db.session.rollback()
    out: dict[str, str] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in APPEND_ONLY:
            count, last = db.session.execute(sa.select(sa.func.count(), sa.func.max(table.c.id))).one()
            out[table.name] = f"{count}:{last}"
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in IGNORED_COLUMNS]
        rows = db.session.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
        out[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    db.session.rollback()
    return out


def check(response: Any, before: dict[str, str], method: str, what: Any, skip: frozenset[str] = frozenset()) -> None:
    """No 5xx; a refusal (4xx, or a POST answered with the form again) left the database as it was."""
    assert response.status_code < 500, (response.status_code, what)
    # A form that took its input redirects; one shown again (200) refused it. The autosave endpoint
    # answers JSON instead: 200 there means saved.
    refused = response.status_code >= 400 or (method == "POST" and response.status_code == 200
                                               and not response.is_json)
    if refused:
        after = snapshot()
        changed = {t for t in before if before[t] != after[t]} - skip
        assert not changed, (response.status_code, changed, what)


# -- the routes -------------------------------------------------------------------------------

QUERY_KEYS = {
    "patients.index": ["q", "page"],
    "admin.audit": ["user", "action", "entity", "entity_id", "since", "until", "page"],
    "admin.visits": ["status", "include_voided", "clinician", "date_from", "date_to", "visit_type",
                     "unsigned_days", "red_flag", "alert_unacknowledged", "critical_unacknowledged", "band",
                     "category", "likelihood", "psps_t2", "plan_option", "missing_section", "carried_forward",
                     "q", "sort", "page"],
    "auth.login": ["next"],
    "visits.acknowledge": ["back"],
    "signing.diff": ["a", "b"],
    "fhir.questionnaire": ["version"],
    "fhir.observations": ["encounter"],
    "admin_export.visits_zip": ["status", "include_voided", "clinician", "date_from", "date_to", "visit_type",
                                "unsigned_days", "red_flag", "alert_unacknowledged", "critical_unacknowledged",
                                "band", "category", "likelihood", "psps_t2", "plan_option", "missing_section",
                                "carried_forward", "q", "sort"],
}
FORMS: dict[str, list[str]] = {
    "auth.login": ["username", "password"],
    "auth.change_password": ["current", "new", "confirm"],
    "patients.create": ["mrn", "family_name", "given_name", "birth_date", "sex", "version_id", "mrn_reason"],
    "patients.edit": ["mrn", "family_name", "given_name", "birth_date", "sex", "version_id", "mrn_reason"],
    "visits.start": ["visit_date", "visit_type", "confirm_same_day"],
    "visits.not_assessed": ["rev", "reason"],
    "visits.confirm": ["rev"],
    "visits.acknowledge": ["action_taken"],
    "admin.user_new": ["username", "full_name", "role", "active", "password"],
    "admin.user_edit": ["username", "full_name", "role", "active", "password", "version_id"],
    "admin.user_unlock": [],
    "admin.user_end_sessions": [],
    "signing.sign": ["meaning", "password"],
    "signing.amend": ["reason"],
    "voiding.void": ["reason"],
    "visit_autosave.autosave": ["_rev", "_base", "rf_ces_bladder_bowel", "rf_ces_saddle", "rf_notes"],
    "admin_tokens.token_new": ["name", "scope", "user_id"],
    "admin_tokens.token_revoke": [],
    # a JSON endpoint: form posts are refused (400); test_any_json_to_the_fhir_import_never_fails sends JSON
    "fhir.import_response": ["resourceType", "encounter", "item"],
}
# A valid submission of each form: the fuzz also sends it with some fields replaced or repeated, so
# that a hostile value reaches the code behind the first check (a save, a redirect) too.
VALID: dict[str, dict[str, str]] = {
    "auth.login": {"username": "olga", "password": PASSWORD},
    "auth.change_password": {"current": PASSWORD, "new": "a brand new passphrase 42",
                             "confirm": "a brand new passphrase 42"},
    "patients.create": {"mrn": "FUZZ-1", "family_name": "Fuzz", "given_name": "Ed", "birth_date": "1970-01-01",
                        "sex": "male"},
    "patients.edit": {"mrn": "MRN-0001", "family_name": "Doe", "given_name": "Jane", "birth_date": "1970-05-17",
                      "sex": "female", "version_id": "1", "mrn_reason": "Fuzz"},
    "visits.start": {"visit_date": "2024-01-02", "visit_type": "follow_up"},
    "visits.not_assessed": {"rev": "0", "reason": "declined"},
    "visits.confirm": {"rev": "0"},
    "visits.acknowledge": {"action_taken": "Called the patient"},
    "admin.user_new": {"username": "fuzzed", "full_name": "Fuzz Ed", "role": "clinician", "active": "y",
                       "password": "a long enough password 9"},
    "admin.user_edit": {"username": "olga", "full_name": "Dr Olga Other", "role": "clinician", "active": "y",
                        "password": "", "version_id": "1"},
    "admin.user_unlock": {},
    "admin.user_end_sessions": {},
    "signing.sign": {"meaning": "authored", "password": PASSWORD},  # the fuzzed visit is blocked: never signs
    "signing.amend": {"reason": "Late MRI report"},
    "voiding.void": {"reason": "Duplicate: started twice"},  # voids the fuzzed visit: later writes are refused
    "visit_autosave.autosave": {"_rev": "0", "_base": "", "rf_ces_bladder_bowel": "no", "rf_ces_saddle": "no"},
    "admin_tokens.token_new": {"name": "Fuzz token", "scope": "read", "user_id": "1"},
    "admin_tokens.token_revoke": {},
    "fhir.import_response": {"resourceType": "QuestionnaireResponse"},
}


def _spliced(base: dict[str, str], changes: MultiDict[str, str]) -> MultiDict[str, str]:
    out = MultiDict(base)
    for key in changes:
        out.setlist(key, changes.getlist(key))
    return out


# Routes not fuzzed here, and why.
ELSEWHERE = {
    "visits.section": "tests/web/test_visits_property.py fuzzes every section form",
    "auth.logout": "ends the fuzzing session; its form has no fields (tests/web/test_sessions.py)",
    "visit_pdf.download": "reads no query or form; renders a PDF (tests/pdf/)",
    "visit_pdf.record": "reads no query or form; renders a PDF (tests/pdf/)",
    "static": "files on disk",
}


def test_every_route_is_fuzzed_or_says_where_it_is_tested(app: Flask) -> None:
    assert set(VALID) == set(FORMS)
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in ELSEWHERE and "POST" in (rule.methods or set()):
            assert rule.endpoint in FORMS, f"{rule.endpoint}: add its form fields to FORMS"
    # Every query parameter the code reads by name is one the fuzz sends.
    source = "\n".join(path.read_text() for path in Path(fbss_eval.__file__).parent.rglob("*.py"))
    read = set(re.findall(r"request\.args\.get\(\s*\"(\w+)\"", source))
    sent = {key for keys in QUERY_KEYS.values() for key in keys}
    assert read <= sent, f"query parameters not fuzzed: {sorted(read - sent)}"


@pytest.fixture
def admin(app: Flask, users: Any) -> FlaskClient:
    client = app.test_client()
    login(client, "ada")
    return client


@pytest.fixture
def url_for_endpoint(app: Flask, route_samples: dict[str, Any]) -> Callable[[str], str]:
    def build(endpoint: str) -> str:
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        with app.test_request_context():
            from flask import url_for

            return url_for(endpoint, **{arg: route_samples[arg] for arg in rule.arguments})

    return build


def _get_endpoints(app: Flask) -> list[str]:
    return sorted({r.endpoint for r in app.url_map.iter_rules()
                   if "GET" in (r.methods or set()) and r.endpoint not in ELSEWHERE})


REDIRECT_KEYS = ("next", "back")


def query(keys: list[str]) -> st.SearchStrategy[MultiDict[str, str]]:
    """A query string over ``keys`` (and others): repeats, hostile values; a redirect parameter
    the route reads mostly holds a redirect-shaped value, first."""
    names = keys or ["_junk"]
    pairs = st.lists(st.tuples(st.one_of(st.sampled_from(names), st.sampled_from(["page", "next", "back", "x"])),
                               st.one_of(HOSTILE, REDIRECT_VALUES)), max_size=8)
    redirect = [key for key in keys if key in REDIRECT_KEYS]
    if not redirect:
        return pairs.map(MultiDict)
    first = st.lists(st.tuples(st.just(redirect[0]), REDIRECT_VALUES), max_size=1)
    return st.tuples(first, pairs).map(lambda t: MultiDict(t[0] + t[1]))


def test_any_query_on_any_page_never_fails(app, admin, url_for_endpoint):
    endpoints = _get_endpoints(app)
    anonymous = app.test_client()

    count = [0]

    @SETTINGS
    @given(data=st.data())
    def get_anything(data: st.DataObject) -> None:
        count[0] += 1
        endpoint = data.draw(st.sampled_from(endpoints))
        args = data.draw(query(QUERY_KEYS.get(endpoint, [])))
        client = anonymous if endpoint == "auth.login" and data.draw(st.booleans()) else admin
        before = snapshot()
        response = client.get(url_for_endpoint(endpoint), query_string=args)
        check(response, before, "GET", (endpoint, args))

    get_anything()
    print(f"fuzz examples run: GET {count[0]}")  # noqa: T201  # shown by make fuzz (-rP)


def test_any_post_to_any_form_never_fails(app, admin, url_for_endpoint):
    urls = {endpoint: url_for_endpoint(endpoint) for endpoint in FORMS}

    def submissions(endpoint: str) -> st.SearchStrategy[MultiDict[str, str]]:
        hostile = posted(FORMS[endpoint] or ["_junk"])
        return st.one_of(hostile, hostile.map(lambda changes: _spliced(VALID[endpoint], changes)),
                         st.just(MultiDict(VALID[endpoint])))

    count = [0]

    @SETTINGS
    @given(data=st.data())
    def post_anything(data: st.DataObject) -> None:
        count[0] += 1
        endpoint = data.draw(st.sampled_from(sorted(FORMS)))
        form = data.draw(submissions(endpoint))
        args = data.draw(query(QUERY_KEYS.get(endpoint, [])))
        # A refused login is recorded by design (the per-user throttle, the audit trail, the
        # failure count on the account); nothing else may change, and no session may start. Each
        # login is tried by a fresh anonymous client (a logged-in one is sent on at once).
        skip = frozenset({"user", "audit_event", "login_attempt"}) if endpoint == "auth.login" else frozenset()
        client = app.test_client() if endpoint == "auth.login" else admin
        before = snapshot()
        response = client.post(urls[endpoint], data=form, query_string=args)
        check(response, before, "POST", (endpoint, form, args), skip)

    post_anything()
    print(f"fuzz examples run: POST {count[0]}")  # noqa: T201  # shown by make fuzz (-rP)


# JSON anywhere a value goes: the FHIR import's body.
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
              st.floats(allow_nan=False, allow_infinity=False), HOSTILE),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(HOSTILE, st.sampled_from(
                                   ["linkId", "item", "answer", "valueCoding", "code", "system", "valueInteger",
                                    "valueString", "valueDate", "reference"])), children, max_size=4)),
    max_leaves=12,
)


def _fhir_response(visit_id: int) -> dict[str, Any]:
    from fbss_eval.checklist import VERSION

    return {"resourceType": "QuestionnaireResponse", "status": "completed",
            "questionnaire": f"https://fbss-eval.example/fhir/Questionnaire/fbss-workup|{VERSION}",
            "encounter": {"reference": f"Encounter/{visit_id}"},
            "item": [{"linkId": "phq9", "item": [{"linkId": "phq9.phq9_1",
                                                  "answer": [{"valueCoding": {"code": "1"}}]}]},
                     {"linkId": "surgical_history", "item": [{"linkId": "surgical_history.operations", "item": [
                         {"linkId": "surgical_history.operations.date", "answer": [{"valueDate": "2020-01-01"}]}]}]}]}


def _spliced_json(document: Any, path: list[int], value: Any) -> Any:
    """``document`` with the node that ``path`` leads to (child indexes, modulo) replaced."""
    if not path or not isinstance(document, dict | list) or not document:
        return value
    keys = list(document) if isinstance(document, dict) else list(range(len(document)))
    key = keys[path[0] % len(keys)]
    copy = dict(document) if isinstance(document, dict) else list(document)
    copy[key] = _spliced_json(document[key], path[1:], value)  # type: ignore[index]
    return copy


def test_any_json_to_the_fhir_import_never_fails(app, admin, route_samples):
    import json

    valid = _fhir_response(route_samples["visit_id"])
    count = [0]

    @SETTINGS
    @given(data=st.data())
    def post_json(data: st.DataObject) -> None:
        count[0] += 1
        body = data.draw(st.one_of(
            JSON_VALUES,
            st.tuples(st.lists(st.integers(0, 9), max_size=7), JSON_VALUES).map(
                lambda t: _spliced_json(valid, t[0], t[1])),
            st.just(valid)))
        before = snapshot()
        response = admin.post("/fhir/QuestionnaireResponse", data=json.dumps(body),
                              content_type="application/fhir+json")
        check(response, before, "POST", body)
        assert response.mimetype == "application/fhir+json"

    post_json()
    print(f"fuzz examples run: FHIR JSON {count[0]}")  # noqa: T201  # shown by make fuzz (-rP)
