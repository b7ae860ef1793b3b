"""API tokens (/admin/tokens) and the FHIR endpoints' authentication: the secret shown once and
stored as its SHA-256, scopes read and read-write, revocation, last use, an audit row a use; and
CSRF (a session POST needs its CSRF token, a token POST does not)."""

from __future__ import annotations

import hashlib
from datetime import date
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import ApiToken
from fbss_eval.models import AuditEvent
from fbss_eval.services import users as user_service
from fbss_eval.services import visits as visit_service
from tests.pdf.builders import make_patient
from tests.web.conftest import page_text
from tests.web.conftest import soup
from tests.web.fhir_support import bearer
from tests.web.fhir_support import issue_token
from tests.web.fhir_support import post_response
from tests.web.test_fhir_response import phq9_response
from tests.web.visits_support import stored


def token_rows(token_id):
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity == "api_token", AuditEvent.entity_id == token_id).order_by(AuditEvent.id)))


@pytest.fixture
def draft(users):
    visit = visit_service.start_visit(make_patient(users.clinician, mrn="TOK-1"), users.clinician,
                                      date.today() - timedelta(days=1), "initial")
    db.session.commit()
    return visit


def test_an_admin_issues_a_token_shown_once_and_stored_hashed(as_admin, users):
    page = as_admin.get("/admin/tokens")
    assert page.status_code == 200
    response = as_admin.post("/admin/tokens", data={"name": "Clinic tablet", "scope": "read-write",
                                                    "user_id": str(users.clinician.id)})
    assert response.status_code == 201
    secret = soup(response).select_one("#new-token").get_text()
    assert secret.startswith("fbss_")
    assert len(secret) >= 45
    token = db.session.scalars(sa.select(ApiToken)).one()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str([getattr(token, c.key) for c in ApiToken.__table__.columns])
    assert (token.scope, token.user_id, token.name) == ("read-write", users.clinician.id, "Clinic tablet")
    again = as_admin.get("/admin/tokens")
    assert secret not in again.get_data(as_text=True)
    assert "never" in page_text(again)  # last use
    assert [row.action for row in token_rows(token.id)] == ["create"]


def test_a_token_form_with_errors_is_refused_beside_its_fields(as_admin, users):
    response = as_admin.post("/admin/tokens", data={"name": "", "scope": "admin", "user_id": "999999"})
    assert response.status_code == 422
    assert db.session.scalars(sa.select(ApiToken)).first() is None


def test_a_read_token_reads_and_cannot_import(client, users, draft):
    token_id, secret = issue_token(users.clinician, "read", users.admin)
    assert client.get("/fhir/Questionnaire/fbss-workup", headers=bearer(secret)).status_code == 200
    assert client.get(f"/fhir/QuestionnaireResponse/{draft.id}", headers=bearer(secret)).status_code == 200
    response = post_response(client, phq9_response(draft, [1] * 9), secret)
    assert response.status_code == 403
    assert "read-write" in response.get_json(force=True)["issue"][0]["diagnostics"]
    assert stored(draft.id, "phq9") == {}
    db.session.expire_all()
    uses = [row for row in token_rows(token_id) if row.action == "api_token_use"]
    assert [row.changes["request"][1] for row in uses] == [
        "GET /fhir/Questionnaire/fbss-workup", f"GET /fhir/QuestionnaireResponse/{draft.id}",
        "POST /fhir/QuestionnaireResponse"]
    assert all(row.user_id == users.clinician.id for row in uses)
    assert db.session.get(ApiToken, token_id).last_used_at is not None


def test_a_read_write_token_imports_without_a_csrf_token_and_acts_as_its_user(client, users, draft):
    _, secret = issue_token(users.clinician, "read-write", users.admin)
    assert post_response(client, phq9_response(draft, [1] * 9), secret).status_code == 200
    assert stored(draft.id, "phq9")["phq9_1"] == "1"
    _, others = issue_token(users.other, "read-write", users.admin)  # olga: not her visit
    assert post_response(client, phq9_response(draft, [2] * 9), others).status_code == 403


def test_a_revoked_token_and_a_deactivated_account_authenticate_nothing(client, as_admin, users):
    token_id, secret = issue_token(users.clinician, "read", users.admin)
    assert client.get("/fhir/Questionnaire/fbss-workup", headers=bearer(secret)).status_code == 200
    row = soup(as_admin.get("/admin/tokens")).select_one("table.data tbody tr")
    assert "never" not in row.get_text()  # its last use is shown
    response = as_admin.post(f"/admin/tokens/{token_id}/revoke")
    assert response.status_code == 302
    refused = client.get("/fhir/Questionnaire/fbss-workup", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert refused.get_json(force=True)["resourceType"] == "OperationOutcome"
    assert [row.action for row in token_rows(token_id)][-1] == "revoke"
    _, second = issue_token(users.other, "read", users.admin)
    user = user_service.find_user(users.other.id)
    user.active = False
    db.session.commit()
    assert client.get("/fhir/Questionnaire/fbss-workup", headers=bearer(second)).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer fbss_not-a-token", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 300])
def test_a_bad_authorization_header_is_401(client, users, header):
    response = client.get("/fhir/Questionnaire/fbss-workup", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.mimetype == "application/fhir+json"


def test_anonymous_api_requests_are_401_not_a_login_redirect(client):
    for method, url in (("GET", "/fhir/Questionnaire/fbss-workup"), ("GET", "/fhir/QuestionnaireResponse/1"),
                        ("GET", "/fhir/Observation?encounter=1"), ("POST", "/fhir/QuestionnaireResponse")):
        response = client.open(url, method=method)
        assert response.status_code == 401, url
        assert response.get_json(force=True)["issue"][0]["code"] == "login"


def test_clinicians_cannot_manage_tokens(as_clinician, users):
    token_id, _ = issue_token(users.clinician, "read", users.admin)
    assert as_clinician.get("/admin/tokens").status_code == 403
    assert as_clinician.post("/admin/tokens", data={"name": "x", "scope": "read",
                                                    "user_id": str(users.clinician.id)}).status_code == 403
    assert as_clinician.post(f"/admin/tokens/{token_id}/revoke").status_code == 403
    assert db.session.get(ApiToken, token_id).revoked_at is None


class TestWithCsrf:
    @pytest.fixture
    def app_overrides(self):
        return {"WTF_CSRF_ENABLED": True, "SESSION_IDLE_TIMEOUT": timedelta(days=1)}

    def test_a_session_post_needs_the_csrf_token_and_a_token_post_does_not(self, client, users, draft):
        from tests.web.test_csrf import login_with_token

        login_with_token(client)
        refused = post_response(client, phq9_response(draft, [1] * 9))
        assert refused.status_code == 400
        assert "CSRF" in refused.get_json(force=True)["issue"][0]["diagnostics"]
        assert stored(draft.id, "phq9") == {}
        page = client.get(f"/visits/{draft.id}/sections/phq9")
        csrf = soup(page).select_one("input[name=csrf_token]")["value"]
        accepted = post_response(client, phq9_response(draft, [1] * 9), headers={"X-CSRFToken": csrf})
        assert accepted.status_code == 200, accepted.get_json(force=True)
        _, secret = issue_token(users.clinician, "read-write", users.admin)
        other = client.application.test_client()
        assert post_response(other, phq9_response(draft, [2] * 9), secret).status_code == 200
