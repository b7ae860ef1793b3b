"""Security headers, cookie flags, and what the production configuration insists on."""

from __future__ import annotations

import pytest

from config import ProductionConfig
from fbss_eval import create_app
from fbss_eval.extensions import db
from tests.conftest import login

REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def csp_directives(header: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def set_cookie_attributes(header: str) -> tuple[str, set[str], dict[str, str]]:
    """(cookie name, flags, attributes) of one Set-Cookie header."""
    first, *rest = [part.strip() for part in header.split(";")]
    name = first.split("=", 1)[0]
    flags = {part.lower() for part in rest if "=" not in part}
    attrs = {k.strip().lower(): v.strip() for k, v in (part.split("=", 1) for part in rest if "=" in part)}
    return name, flags, attrs


@pytest.mark.parametrize("path", ["/login", "/", "/patients/new", "/admin/users"])
def test_csp_and_other_headers_on_every_page(client, users, path):
    if path != "/login":
        login(client, "ada")
    response = client.get(path)
    assert response.status_code == 200
    csp = csp_directives(response.headers["Content-Security-Policy"])
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src is not None
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in REFERRER_POLICIES
    assert response.headers["X-Frame-Options"] == "DENY"


def test_headers_on_error_pages_too(as_clinician):
    response = as_clinician.get("/admin/users")
    assert response.status_code == 403
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_are_rendered_without_inline_scripts(as_admin, patient):
    """A CSP without 'unsafe-inline' would break inline scripts: there must be none."""
    from tests.web.conftest import soup

    for path in ("/", f"/patients/{patient.id}", f"/patients/{patient.id}/edit", "/admin/audit"):
        for script in soup(as_admin.get(path)).find_all("script"):
            assert script.get("src"), f"inline script on {path}"
            assert not script.string or not script.string.strip()


def test_patient_pages_are_not_cached(as_clinician, patient):
    for path in ("/", "/?q=Doe", "/patients/new", f"/patients/{patient.id}", f"/patients/{patient.id}/edit"):
        response = as_clinician.get(path)
        assert response.status_code == 200
        assert "no-store" in response.headers["Cache-Control"], path
        assert "Cookie" in response.headers.get("Vary", ""), path


def test_the_session_cookie_is_httponly_and_samesite_lax(client, users):
    response = client.post("/login", data={"username": "carl", "password": "correct horse battery staple"})
    assert response.status_code == 302
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("fbss_session=")]
    assert len(headers) == 1
    _, flags, attrs = set_cookie_attributes(headers[0])
    assert "httponly" in flags
    assert attrs["samesite"].lower() == "lax"
    assert "expires" not in attrs
    assert "max-age" not in attrs


def test_no_hsts_over_plain_http(client, users):
    assert "Strict-Transport-Security" not in client.get("/login").headers


# --- production -----------------------------------------------------------------------------------

SECRET = "production-secret-key-for-tests-0123456789"
REDIS = "redis://127.0.0.1:6379/0"  # not reached by these tests (the limiter counts login POSTs only)


@pytest.fixture
def production_app(db_url):
    app = create_app("production", SECRET_KEY=SECRET, SQLALCHEMY_DATABASE_URI=db_url, RATELIMIT_STORAGE_URI=REDIS)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_production_cookie_is_secure_with_the_host_prefix(production_app):
    client = production_app.test_client()
    response = client.get("/login", base_url="https://localhost")  # the CSRF token fills the session
    assert response.status_code == 200
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1
    name, flags, attrs = set_cookie_attributes(cookies[0])
    assert name.startswith("__Host-")
    assert {"secure", "httponly"} <= flags
    assert attrs["samesite"].lower() == "lax"
    assert attrs.get("path") == "/"
    assert "domain" not in attrs
    hsts = response.headers["Strict-Transport-Security"]
    assert "includeSubDomains" in hsts
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000


def test_production_is_not_in_debug_and_has_csrf_on(production_app):
    assert production_app.debug is False
    assert production_app.testing is False
    assert production_app.config["WTF_CSRF_ENABLED"] is True
    assert production_app.config["WTF_CSRF_TIME_LIMIT"] is None
    assert not production_app.config.get("ARGON2_FAST")


def test_production_refuses_to_start_without_a_secret_key(db_url):
    for secret in (None, "", "dev", "short"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app("production", SECRET_KEY=secret, SQLALCHEMY_DATABASE_URI=db_url, RATELIMIT_STORAGE_URI=REDIS)


def test_production_refuses_to_start_without_a_database_url(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", None)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production", SECRET_KEY=SECRET, RATELIMIT_STORAGE_URI=REDIS)


def test_production_refuses_a_login_limiter_that_counts_in_each_process_alone(db_url):
    for storage in (None, "", "memory://"):
        with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
            create_app("production", SECRET_KEY=SECRET, SQLALCHEMY_DATABASE_URI=db_url, RATELIMIT_STORAGE_URI=storage)


def test_development_and_testing_never_use_the_production_cookie(app):
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert not app.config["SESSION_COOKIE_NAME"].startswith("__Host-")

