"""The account rules, now in services.users and services.auth (issue 8): each refusal is shown
beside its field and changes nothing."""

from __future__ import annotations

import pytest

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import User
from tests.conftest import PASSWORD
from tests.web.conftest import field_error
from tests.web.conftest import soup


def _ada(**changes: str) -> dict[str, str]:
    data = {"username": "ada", "full_name": "Ada Admin", "role": "admin", "active": "y", "password": "",
            "version_id": "1"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("changes", [{"role": "clinician"}, {"active": None}], ids=["demote", "deactivate"])
def test_an_admin_cannot_demote_or_deactivate_themselves(as_admin, users, changes):
    response = as_admin.post(f"/admin/users/{users.admin.id}", data=_ada(**changes))
    assert response.status_code == 200
    assert field_error(soup(response), "role") == "You cannot remove your own admin role or deactivate yourself."
    db.session.expire_all()
    ada = db.session.get(User, users.admin.id)
    assert (ada.role, ada.active, ada.version_id) == ("admin", True, 1)


def test_a_weak_new_password_for_an_account_is_refused(as_admin, users):
    data = _ada(username="olga", full_name="Dr Olga Other", role="clinician", password="short")
    response = as_admin.post(f"/admin/users/{users.other.id}", data=data)
    assert field_error(soup(response), "password") == "Use at least 12 characters."
    assert not db.session.query(AuditEvent).filter_by(action="password_reset").count()


@pytest.mark.parametrize(("password", "message"), [
    ("", "Enter a first password for the account."),
    ("qwerty123456", "This password is too common; choose another."),
    ("newbie-secret-long", "The password must not contain the username."),
])
def test_a_new_account_needs_an_acceptable_first_password(as_admin, users, password, message):
    response = as_admin.post("/admin/users/new", data={"username": "newbie", "full_name": "New Bie",
                                                       "role": "clinician", "active": "y", "password": password})
    assert field_error(soup(response), "password") == message
    assert db.session.query(User).filter_by(username="newbie").count() == 0


def test_a_new_account_can_start_inactive(as_admin, users):
    response = as_admin.post("/admin/users/new", data={"username": "newbie", "full_name": "New Bie",
                                                       "role": "clinician", "password": "a long enough one 77"})
    assert response.status_code == 302
    assert db.session.query(User).filter_by(username="newbie").one().active is False


@pytest.mark.parametrize(("current", "new", "field", "message"), [
    ("not my password", "a brand new passphrase 42", "current", "The current password is not right."),
    (PASSWORD, "short", "new", "Use at least 12 characters."),
    (PASSWORD, "carl is my name 12", "new", "The password must not contain the username."),
])
def test_changing_ones_own_password_refuses_beside_the_field(as_clinician, users, current, new, field, message):
    before = db.session.get(User, users.clinician.id).password_hash
    response = as_clinician.post("/account/password", data={"current": current, "new": new, "confirm": new})
    assert response.status_code == 200
    assert field_error(soup(response), field) == message
    db.session.expire_all()
    assert db.session.get(User, users.clinician.id).password_hash == before
    assert not db.session.query(AuditEvent).filter_by(action="password_change").count()
    assert as_clinician.get("/").status_code == 200  # still logged in


def test_changing_ones_own_password_keeps_this_session_and_audits(as_clinician, users):
    new = "a brand new passphrase 42"
    response = as_clinician.post("/account/password", data={"current": PASSWORD, "new": new, "confirm": new})
    assert response.status_code == 302
    assert as_clinician.get("/").status_code == 200
    assert db.session.query(AuditEvent).filter_by(action="password_change", user_id=users.clinician.id).count() == 1
