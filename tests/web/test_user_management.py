"""User management, finished (issue 12 item 7): change a role, reset a password (the user must
choose a new one at their next login), see the last login and the active sessions, end a user's
sessions, deactivation ends a live session, and the last active admin can be neither deactivated
nor demoted."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import User
from fbss_eval.services import users as user_service
from tests.conftest import PASSWORD
from tests.conftest import login
from tests.web.conftest import field_error
from tests.web.conftest import login_response
from tests.web.conftest import soup

NEW = "a temporary passphrase 81"
OWN = "my very own passphrase 27"


def carl_form(**changes: str | None) -> dict[str, str]:
    data: dict[str, str | None] = {"username": "carl", "full_name": "Dr Carl Clinician", "role": "clinician",
                                   "active": "y", "password": "", "version_id": "1"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def fresh(user_id: int) -> User:
    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert user is not None
    return user


def actions(user_id: int) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity == "user", AuditEvent.entity_id == user_id).order_by(AuditEvent.id)))


def test_an_admin_changes_a_role(app, as_admin, users):
    response = as_admin.post(f"/admin/users/{users.clinician.id}", data=carl_form(role="admin"))
    assert response.status_code == 302
    assert fresh(users.clinician.id).role == "admin"
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "update")
                               .order_by(AuditEvent.id.desc())).first()
    assert event.changes == {"role": ["clinician", "admin"]}
    carl = app.test_client()
    login(carl, "carl")
    assert carl.get("/admin/users").status_code == 200  # the new role applies at once


def test_a_reset_password_must_be_changed_at_the_next_login(app, as_admin, users):
    carl = app.test_client()
    login(carl, "carl")
    assert as_admin.post(f"/admin/users/{users.clinician.id}", data=carl_form(password=NEW)).status_code == 302
    assert fresh(users.clinician.id).must_change_password is True
    assert carl.get("/").location.startswith("/login")  # the reset ended his session
    assert login_response(carl, "carl", PASSWORD).status_code == 200  # the old password is gone
    login(carl, "carl", NEW)
    for path in ("/", "/admin/users", f"/patients/{users.clinician.id}"):
        response = carl.get(path)
        assert (response.status_code, response.location) == (302, "/account/password"), path
    page = carl.get("/account/password")
    assert page.status_code == 200
    assert "An administrator set your password: choose a new one to go on." in page.get_data(as_text=True)
    same = carl.post("/account/password", data={"current": NEW, "new": NEW, "confirm": NEW})
    assert field_error(soup(same), "new") == "Choose a new password, not the current one."
    assert carl.get("/").status_code == 302
    changed = carl.post("/account/password", data={"current": NEW, "new": OWN, "confirm": OWN})
    assert changed.status_code == 302
    assert carl.get("/").status_code == 200
    assert fresh(users.clinician.id).must_change_password is False
    assert actions(users.clinician.id)[-4:] == ["password_reset", "login_failed", "login", "password_change"]


def test_an_admin_resetting_their_own_password_is_not_asked_again(as_admin, users):
    data = {"username": "ada", "full_name": "Ada Admin", "role": "admin", "active": "y", "password": NEW,
            "version_id": "1"}
    assert as_admin.post(f"/admin/users/{users.admin.id}", data=data).status_code == 302
    assert fresh(users.admin.id).must_change_password is False


def test_the_edit_page_shows_the_last_login_and_the_active_sessions(app, users):
    admin = app.test_client()
    with freeze_time("2026-03-04 10:20:00") as clock:
        login(app.test_client(), "carl")
        clock.tick(timedelta(minutes=5))
        login(app.test_client(), "carl")
        login(admin, "ada")
        page = soup(admin.get(f"/admin/users/{users.clinician.id}"))
        text = page.get_text(" ", strip=True)
        assert "Last login: 2026-03-04 10:25 UTC." in text
        rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in page.select("table.sessions tbody tr")]
        assert rows == [["2026-03-04 10:25:00", "2026-03-04 10:25:00"], ["2026-03-04 10:20:00", "2026-03-04 10:20:00"]]
        clock.tick(app.config["SESSION_IDLE_TIMEOUT"] + timedelta(seconds=1))
        login(admin, "ada")
        rows = [tr.get_text(" ", strip=True) for tr in
                soup(admin.get(f"/admin/users/{users.clinician.id}")).select("table.sessions tbody tr")]
        assert rows == ["No active session."]  # idle sessions are over, even before they are swept
        assert "Last login: never." in soup(admin.get(f"/admin/users/{users.other.id}")).get_text(" ", strip=True)


def test_an_admin_ends_a_users_sessions(app, as_admin, users):
    phone, desk = app.test_client(), app.test_client()
    login(phone, "carl")
    login(desk, "carl")
    response = as_admin.post(f"/admin/users/{users.clinician.id}/sessions/end")
    assert (response.status_code, response.location) == (302, f"/admin/users/{users.clinician.id}")
    for client in (phone, desk):
        assert client.get("/").location.startswith("/login")
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "sessions_ended")).one()
    assert (event.entity_id, event.changes, event.username) == (users.clinician.id, {"sessions": [None, 2]}, "ada")
    login(phone, "carl")  # ending sessions is not a lock
    assert phone.get("/").status_code == 200


def test_deactivation_ends_a_live_session(app, as_admin, users):
    carl = app.test_client()
    login(carl, "carl")
    assert carl.get("/").status_code == 200
    assert as_admin.post(f"/admin/users/{users.clinician.id}", data=carl_form(active=None)).status_code == 302
    response = carl.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")
    assert login_response(carl, "carl").status_code == 200  # and he cannot log in again


# -- the last active admin -------------------------------------------------------------------------


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(users):
    ada = users.admin
    with pytest.raises(user_service.LastAdminError) as demoted:
        user_service.update_user(ada, {**user_service.snapshot(ada), "role": "clinician"}, by=None)
    assert (demoted.value.field, demoted.value.message) == (
        "role", "This is the last active admin: make another account an active admin first.")
    db.session.rollback()
    with pytest.raises(user_service.LastAdminError) as deactivated:
        user_service.deactivate(ada, by=None)
    assert deactivated.value.field == "active"
    db.session.rollback()
    ada = fresh(users.admin.id)
    assert (ada.role, ada.active) == ("admin", True)


def test_an_inactive_admin_does_not_count_but_an_active_one_does(users):
    carl = users.clinician
    user_service.update_user(carl, {**user_service.snapshot(carl), "role": "admin", "active": False}, by=None)
    db.session.commit()
    with pytest.raises(user_service.LastAdminError):
        user_service.deactivate(fresh(users.admin.id), by=None)
    db.session.rollback()
    carl = fresh(users.clinician.id)
    user_service.update_user(carl, {**user_service.snapshot(carl), "active": True}, by=None)
    db.session.commit()
    ada = fresh(users.admin.id)
    user_service.update_user(ada, {**user_service.snapshot(ada), "role": "clinician"}, by=None)
    db.session.commit()
    assert fresh(users.admin.id).role == "clinician"
    with pytest.raises(user_service.LastAdminError):  # carl is now the last one
        user_service.deactivate(fresh(users.clinician.id), by=None)


def test_another_admin_may_demote_an_admin_while_one_stays_active(app, users):
    zed = user_service.create_user("zed", "Zed Admin", "admin", PASSWORD)
    db.session.commit()
    client = app.test_client()
    login(client, "zed")
    data = {"username": "ada", "full_name": "Ada Admin", "role": "clinician", "active": "y", "password": "",
            "version_id": "1"}
    assert client.post(f"/admin/users/{users.admin.id}", data=data).status_code == 302
    assert fresh(users.admin.id).role == "clinician"
    with pytest.raises(user_service.LastAdminError):  # zed is the last one now
        user_service.deactivate(fresh(zed.id), by=None)


def test_the_command_line_refuses_to_deactivate_the_last_admin(runner, users):
    result = runner.invoke(args=["deactivate-user", "ada"])
    assert result.exit_code == 1
    assert "This is the last active admin" in result.output
    assert fresh(users.admin.id).active is True


def test_a_clinician_cannot_end_sessions(app, users):
    olga = app.test_client()
    login(olga, "olga")
    carl = app.test_client()
    login(carl, "carl")
    assert olga.post(f"/admin/users/{users.clinician.id}/sessions/end").status_code == 403
    assert carl.get("/").status_code == 200
