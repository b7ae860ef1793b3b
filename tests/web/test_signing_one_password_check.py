"""Signing verifies the password once (one argon2 verify: 25-135 ms at the production cost, by
reliability-security.md), before its render and outside the lock. Under the lock the throttle,
the account's state and the failure count are still checked; argon2 runs again only when the
stored hash or the password is not the one verified. The argon2 calls are counted on
argon2-cffi's own ``PasswordHasher.verify``."""

from __future__ import annotations

from typing import Any

import argon2
import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import User
from fbss_eval.models import Visit
from fbss_eval.services.auth import confirm_password
from fbss_eval.services.auth import prove_password
from fbss_eval.services.passwords import hash_password
from tests.conftest import PASSWORD
from tests.web.signing_support import ready_visit
from tests.web.signing_support import write_elsewhere


@pytest.fixture
def argon2_verifies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each argon2 verify from now on, as the hash it was run against."""
    calls: list[str] = []
    real = argon2.PasswordHasher.verify

    def verify(self: argon2.PasswordHasher, hash: str, password: Any) -> bool:
        calls.append(hash)
        return real(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", verify)
    return calls


def _sign(client, visit_id: int, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(f"/visits/{visit_id}/sign", data={"meaning": "authored", "password": password})


def test_a_signature_verifies_the_password_once(app, users, as_clinician, argon2_verifies):
    vid = ready_visit(users.clinician).id
    assert _sign(as_clinician, vid).status_code == 302
    assert len(argon2_verifies) == 1
    db.session.expire_all()
    assert db.session.get(Visit, vid).status == "signed"


def test_a_wrong_password_is_refused_and_counted(app, users, as_clinician, argon2_verifies):
    vid = ready_visit(users.clinician).id
    response = _sign(as_clinician, vid, "not the password at all")
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Visit, vid).status != "signed"
    assert db.session.get(User, users.clinician.id).failed_logins == 1
    assert len(argon2_verifies) == 2  # no proof: before the render, and again under the lock


def test_a_password_changed_during_the_render_is_verified_again_and_refused(app, users, as_clinician,
                                                                           argon2_verifies, renders):
    vid, uid = ready_visit(users.clinician).id, users.clinician.id
    new_hash = hash_password("a quite different passphrase")
    renders["during_first"] = lambda: write_elsewhere('UPDATE "user" SET password_hash = :h WHERE id = :u',
                                                      h=new_hash, u=uid)
    response = _sign(as_clinician, vid)
    assert response.status_code == 422
    assert argon2_verifies[-1] == new_hash  # the proof was for the old hash: argon2 ran against the new one
    db.session.expire_all()
    assert db.session.get(Visit, vid).status != "signed"
    reasons = db.session.scalars(sa.select(AuditEvent.changes).where(AuditEvent.action == "login_failed")).all()
    assert {"reason": [None, "wrong password (sign visit)"]} in reasons


def test_a_proof_holds_only_for_its_own_password_and_hash(app, users, argon2_verifies):
    clinician = db.session.get(User, users.clinician.id)
    assert prove_password(clinician, "wrong wrong wrong") is None
    proof = prove_password(clinician, PASSWORD)
    assert proof is not None
    assert proof.holds(clinician.password_hash, PASSWORD)
    assert not proof.holds(clinician.password_hash, PASSWORD + " ")
    assert not proof.holds(hash_password(PASSWORD), PASSWORD)  # same password, another hash
    assert PASSWORD not in repr(proof)

    before = len(argon2_verifies)
    assert confirm_password(clinician, PASSWORD, "test", proof).user is clinician
    assert len(argon2_verifies) == before  # the proof held: no second verify
    # A proof of the right password does not let another password through.
    assert confirm_password(clinician, "not the password at all", "test", proof).user is None
    assert len(argon2_verifies) == before + 1
