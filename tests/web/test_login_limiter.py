"""The per-address login limit cannot lock a clinic out (issue 11, fault 5).

- It is kept in shared storage (``RATELIMIT_STORAGE_URI``): two app instances (two workers) over
  one Redis count together, so N workers do not multiply the limit.
- It counts per (client address, username typed): a burst of wrong passwords for one user never
  gives another user's correct login a 429, even from the same address (a clinic behind one NAT).
- The address is the real client's: behind ``FBSS_TRUSTED_PROXIES`` proxies it is read from
  X-Forwarded-For (werkzeug's ProxyFix); with none trusted, a forged header changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from fbss_eval import create_app
from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.services.auth import LIMITED_MESSAGE
from tests.conftest import IsolatedClient
from tests.conftest import login
from tests.servers import redis_server
from tests.web.conftest import login_response

RATE = "3 per minute"


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    """A Redis server of this test's own on a free loopback port (no disk writes)."""
    with redis_server(tmp_path) as url:
        yield url


@pytest.fixture
def app_overrides(redis_url) -> dict[str, object]:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_LOGIN": RATE}


@pytest.fixture
def second_worker(app, db_url, app_overrides) -> Iterator[Flask]:
    """Another app instance over the same database and limiter storage, as a second worker."""
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=db_url, **app_overrides)
    other.test_client_class = IsolatedClient
    yield other
    with other.app_context():
        db.engine.dispose()


def test_two_workers_share_one_count(app, second_worker, users):
    first, second = app.test_client(), second_worker.test_client()
    # The per-user database throttle (5 a minute) is not reached: 3 wrong tries in all.
    assert login_response(first, "carl", "wrong one").status_code == 200
    assert login_response(second, "carl", "wrong two").status_code == 200
    assert login_response(first, "carl", "wrong three").status_code == 200
    assert login_response(second, "carl").status_code == 429  # the 4th, counted across both


def test_one_users_failures_never_block_another_users_login_from_the_same_address(app, second_worker, users):
    attacker, colleague = app.test_client(), second_worker.test_client()
    for attempt in range(6):
        login_response(attacker, "carl", f"guess {attempt}")
    assert login_response(attacker, "carl", "guess 7").status_code == 429
    assert login_response(colleague, "olga").status_code == 302


def test_behind_a_trusted_proxy_each_client_address_counts_on_its_own(app, users, db_url, app_overrides):
    proxied = create_app("testing", SQLALCHEMY_DATABASE_URI=db_url, **app_overrides, TRUSTED_PROXIES=1)
    proxied.test_client_class = IsolatedClient
    client = proxied.test_client()
    for attempt in range(3):
        login_response(client, "carl", f"guess {attempt}", headers={"X-Forwarded-For": "203.0.113.7"})
    assert login_response(client, "carl", "guess", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    assert login_response(client, "carl", headers={"X-Forwarded-For": "198.51.100.9"}).status_code == 302
    # The audit trail records the client's address, not the proxy's.
    addresses = {row.remote_addr for row in db.session.query(AuditEvent).filter_by(action="login_failed")}
    assert addresses == {"203.0.113.7"}
    with proxied.app_context():
        db.engine.dispose()


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(app, users):
    client = app.test_client()
    for attempt in range(3):
        login_response(client, "carl", f"guess {attempt}", headers={"X-Forwarded-For": f"192.0.2.{attempt}"})
    assert login_response(client, "carl", "guess", headers={"X-Forwarded-For": "192.0.2.99"}).status_code == 429


def test_the_limit_says_it_is_the_address_limit(app, users):
    client = app.test_client()
    for attempt in range(3):
        login_response(client, "carl", f"guess {attempt}")
    refused = login_response(client, "carl")
    assert refused.status_code == 429
    assert LIMITED_MESSAGE in " ".join(refused.get_data(as_text=True).split())


def test_after_an_unlock_the_user_logs_in_at_once_from_the_address_that_was_limited(app, second_worker, users):
    carl = app.test_client()
    for attempt in range(3):
        login_response(carl, "carl", f"guess {attempt}")
    assert login_response(carl, "carl").status_code == 429
    admin = second_worker.test_client()  # another worker: the limit is cleared in the shared storage
    login(admin, "ada")
    assert admin.post(f"/admin/users/{users.clinician.id}/unlock").status_code == 302
    assert login_response(carl, "carl").status_code == 302
