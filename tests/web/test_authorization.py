"""The authorization matrix: every rule of ``app.url_map``, every method, for anonymous,
clinician and admin. It iterates the map, so a route added without protection fails here.

- anonymous: a redirect to the login page, except the public allow-list, and the FHIR API
  (``/fhir/``), which answers 401 with an OperationOutcome (an API client cannot log in by form);
- clinician: 403 on every admin route, allowed (not 403, not sent to log in) everywhere else;
- admin: never 403;
- nobody ever gets a 5xx, and no request changes an audit row.

A route with a URL argument that ``route_samples`` (tests/web/conftest.py) does not know fails the
test with a message saying to add a sample.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import Rule

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.security import API_PREFIX
from fbss_eval.security import PUBLIC_ENDPOINTS
from tests.conftest import Users
from tests.conftest import login

PUBLIC = frozenset({"auth.login", "static", "health.healthz"})
# Routes outside /admin that only an admin may use (add yours here; the clinician must get 403).
EXTRA_ADMIN_ONLY_ENDPOINTS: frozenset[str] = frozenset()
# Routes that end the session on purpose (the client logs in again afterwards).
ENDS_SESSION = frozenset({"auth.logout"})


def is_admin_only(rule: Rule) -> bool:
    return rule.rule.startswith("/admin/") or rule.rule == "/admin" or rule.endpoint in EXTRA_ADMIN_ONLY_ENDPOINTS


def requests_of(app: Flask, samples: dict[str, Any]) -> Iterator[tuple[Rule, str, str]]:
    """``(rule, method, url)`` for every rule and method of the app."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        defaults = rule.defaults or {}
        missing = sorted(arg for arg in rule.arguments if arg not in samples and arg not in defaults)
        if missing:
            pytest.fail(
                f"route {rule.rule} ({rule.endpoint}) has URL arguments {missing} with no sample value: "
                "add them to the route_samples fixture in tests/web/conftest.py"
            )
        values = {arg: samples[arg] for arg in rule.arguments if arg not in defaults}
        built = rule.build(values, append_unknown=False)
        assert built is not None, f"cannot build {rule.rule} from {values}"
        url = built[1]
        for method in sorted(rule.methods or ()):
            yield rule, method, url


def fetch(client: Any, url: str, method: str) -> Any:
    """One request; the body is read and the response closed (static files are streamed)."""
    response = client.open(url, method=method)
    response.get_data()
    response.close()
    return response


def redirects_to_login(response: Any) -> bool:
    return response.status_code in (301, 302, 303, 307, 308) and urlsplit(response.location).path == "/login"


def audit_rows() -> list[tuple[Any, ...]]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.at, AuditEvent.user_id, AuditEvent.action,
                  AuditEvent.entity, AuditEvent.entity_id, AuditEvent.changes).order_by(AuditEvent.id)
    ).all()
    db.session.rollback()
    return [tuple(row) for row in rows]


def test_the_public_allow_list_is_exactly_login_static_and_healthz():
    assert PUBLIC_ENDPOINTS == PUBLIC


def test_the_matrix_sees_every_rule(app, route_samples):
    """Guard against a matrix that silently iterates nothing."""
    seen = {rule.endpoint for rule, _, _ in requests_of(app, route_samples)}
    assert {"patients.index", "patients.create", "patients.view", "patients.edit", "admin.users",
            "admin.audit", "admin.user_unlock", "auth.logout", "static", "health.healthz",
            "fhir.questionnaire", "fhir.questionnaire_response", "fhir.observations", "fhir.import_response",
            "admin_tokens.tokens", "admin_tokens.token_new", "admin_tokens.token_revoke", "voiding.void",
            "admin.user_end_sessions", "admin_export.visits_zip", "admin_export.audit_csv"} <= seen


def test_anonymous_is_sent_to_login_everywhere_but_the_allow_list(app, route_samples):
    failures = []
    for rule, method, url in requests_of(app, route_samples):
        response = fetch(app.test_client(), url, method)
        if response.status_code >= 500:
            failures.append(f"{method} {url}: {response.status_code}")
        elif rule.rule.startswith(API_PREFIX):
            if response.status_code != 401 or response.mimetype != "application/fhir+json":
                failures.append(f"{method} {url}: the API answered {response.status_code}, expected 401")
        elif rule.endpoint in PUBLIC:
            if redirects_to_login(response) or response.status_code in (401, 403):
                failures.append(f"{method} {url} is public but answered {response.status_code}")
        elif not redirects_to_login(response):
            failures.append(f"{method} {url}: expected a redirect to /login, got {response.status_code}")
        elif method == "GET":
            next_value = parse_qs(urlsplit(response.location).query).get("next")
            if next_value != [url]:
                failures.append(f"{method} {url}: login redirect has next={next_value}")
    assert not failures, "\n".join(failures)


def test_a_clinician_gets_403_on_admin_routes_and_access_elsewhere(app, users: Users, route_samples):
    failures = []
    checked_admin = 0
    for rule, method, url in requests_of(app, route_samples):
        client = app.test_client()
        login(client, "carl")
        response = fetch(client, url, method)
        if response.status_code >= 500:
            failures.append(f"{method} {url}: {response.status_code}")
        elif is_admin_only(rule):
            checked_admin += 1
            if response.status_code != 403:
                failures.append(f"{method} {url}: clinician got {response.status_code}, expected 403")
        elif response.status_code == 403:
            failures.append(f"{method} {url}: clinician refused (403) on a non-admin route")
        elif redirects_to_login(response) and rule.endpoint not in ENDS_SESSION | PUBLIC:
            failures.append(f"{method} {url}: logged-in clinician sent to the login page")
    assert not failures, "\n".join(failures)
    assert checked_admin >= 13  # users, user_new, user_edit, user_unlock, end sessions, audit, exports x methods


def test_an_admin_is_never_refused_and_no_route_changes_the_audit_trail(app, users: Users, route_samples):
    login(app.test_client(), "olga")  # at least one audit row exists before the sweep
    before = audit_rows()
    assert before
    failures = []
    for rule, method, url in requests_of(app, route_samples):
        client = app.test_client()
        login(client, "ada")
        response = fetch(client, url, method)
        if response.status_code == 403 or response.status_code >= 500:
            failures.append(f"{method} {url}: admin got {response.status_code}")
        elif redirects_to_login(response) and rule.endpoint not in ENDS_SESSION | PUBLIC:
            failures.append(f"{method} {url}: logged-in admin sent to the login page")
    assert not failures, "\n".join(failures)
    after = audit_rows()
    assert after[: len(before)] == before, "an audit row changed or disappeared during the sweep"
    assert len(after) > len(before)  # the sweep's logins were recorded


def test_no_route_can_change_the_audit_trail(app):
    writers = [
        f"{rule.rule} {sorted(rule.methods or ())}"
        for rule in app.url_map.iter_rules()
        if "audit" in rule.rule and set(rule.methods or ()) - {"GET", "HEAD", "OPTIONS"}
    ]
    assert writers == []


def test_post_to_the_audit_page_is_not_allowed(as_admin):
    assert as_admin.post("/admin/audit", data={"action": "x"}).status_code == 405
