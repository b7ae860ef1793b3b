"""Default-deny access, the server-side session on each request, and security headers.

Every endpoint needs a logged-in user unless it is on ``PUBLIC_ENDPOINTS``; admin areas add
``admin_required``. A POST that arrives after the session expired keeps its form data: it is
stashed for the same user and offered back after they log in again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from .models import User
from .services import api_tokens
from .services import auth as auth_service
from .services import form_stash
from .services.unit_of_work import unit_of_work

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "health.healthz"})
SESSION_KEY = "sid"
API_PREFIX = "/fhir/"  # the API: JSON refusals, bearer tokens accepted
# What a user whose password an admin reset may reach before changing it.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.change_password", "auth.logout", "static", "health.healthz"})
# Record ids are INTEGER columns: a larger number in a URL cannot name a record (and would make
# the database driver raise instead of finding nothing).
MAX_RECORD_ID = 2**31 - 1

F = TypeVar("F", bound=Callable[..., Any])

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Install the request hooks."""
    app.before_request(reject_nul_bytes)
    app.before_request(load_user)
    app.after_request(security_headers)
    app.context_processor(lambda: {"current_user": g.get("user")})


def reject_nul_bytes() -> None:
    """400 for a NUL character anywhere in the path, query or form: no text field may hold one,
    and PostgreSQL refuses them (a 500 otherwise)."""
    sources = [request.args]
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.form)
    values = [request.path] + [
        text for source in sources for key, items in source.lists() for text in (key, *items)
    ]
    if any("\x00" in value for value in values):
        abort(400)


def load_user() -> Response | None:
    """Resolve the session cookie (or, on the FHIR API, a bearer token); send anonymous requests
    to the login page (the API answers 401)."""
    g.user = None
    api = request.path.startswith(API_PREFIX)
    if api and request.headers.get("Authorization"):
        return _load_token_user()
    state = auth_service.resolve_session(session.get(SESSION_KEY))
    if state.session is not None:
        g.user = state.session.user
        g.user_session = state.session
        if any(
            isinstance(value, int) and abs(value) > MAX_RECORD_ID
            for value in (request.view_args or {}).values()
        ):
            abort(404)
        if g.user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
            flash("An administrator set your password: choose a new one to go on.", "warning")
            return redirect(url_for("auth.change_password"))
        return None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.endpoint is None:
        abort(404)
    if api:
        return _api_refusal("Log in, or send an API token: Authorization: Bearer <token>.")
    next_path = request.full_path if request.query_string else request.path
    script = request.accept_mimetypes.best == "application/json"
    if script:  # an autosave: the typing is kept for the page it came from, not the endpoint
        next_path = request.path.removesuffix("/autosave")
    if state.expired_user_id is not None:
        session.pop(SESSION_KEY, None)
        if request.method == "POST" and request.form:
            _stash_form(state.expired_user_id, next_path if script else request.path)
            flash(
                "Your session ended after a period of inactivity. Log in again: "
                "what you typed has been kept.",
                "warning",
            )
        else:
            flash("Your session ended after a period of inactivity. Please log in again.", "info")
    if script:  # the page goes to the login itself (static/autosave.js)
        return Response(json.dumps({"status": "logged_out", "login": url_for("auth.login", next=next_path)}),
                        status=401, mimetype="application/json")
    return redirect(url_for("auth.login", next=next_path))


def _load_token_user() -> Response | None:
    """A FHIR request with ``Authorization: Bearer <token>``: its token's user, the use recorded
    (committed now, whatever the request does next); 401 for a missing, unknown or revoked token."""
    scheme, _, secret = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return _api_refusal("Send the token as Authorization: Bearer <token>.")
    with unit_of_work():
        token = api_tokens.authenticate(secret.strip(), request.method, request.path)
    if token is None:
        return _api_refusal("This token is not valid (unknown, revoked, or its account is deactivated).")
    if request.endpoint is None or any(
        isinstance(value, int) and abs(value) > MAX_RECORD_ID for value in (request.view_args or {}).values()
    ):
        abort(404)
    g.user, g.api_token = token.user, token
    return None


def _api_refusal(message: str) -> Response:
    body = {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "login", "diagnostics": message}]}
    return Response(json.dumps(body), status=401, mimetype="application/fhir+json",
                    headers={"WWW-Authenticate": 'Bearer realm="fbss-eval"'})


def _stash_form(user_id: int, path: str) -> None:
    data = {k: v for k, v in request.form.to_dict(flat=False).items() if k != "csrf_token"}
    with unit_of_work():
        form_stash.stash(user_id, path, data)


def restored_form_data() -> MultiDict[str, str] | None:
    """Form data this user posted to this path after their session expired, once."""
    user = g.get("user")
    if user is None:
        return None
    if not form_stash.has_stash(user.id, request.path):  # the usual case: nothing to commit
        return None
    with unit_of_work():
        data = form_stash.take(user.id, request.path)
    if data is None:
        return None
    flash("The form below holds what you typed before your session ended. Check and save it.", "info")
    return MultiDict([(k, v) for k, values in data.items() for v in values])


def login_user(user: User) -> None:
    """Start a new server-side session with a fresh id (ASVS 7.2.4)."""
    session.clear()
    session[SESSION_KEY] = auth_service.start_session(user)
    g.user = user


def logout_user() -> None:
    """End the server-side session and clear the cookie."""
    auth_service.end_session(session.get(SESSION_KEY))
    session.clear()
    g.user = None


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` when it is a path on this site, else ``fallback`` (no open redirects). A control
    character (CR or LF would end the Location header; browsers drop tabs and line breaks, so
    ``/\t/evil`` would read as ``//evil``) makes the target unsafe too."""
    if not target or any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:
        return fallback
    return target


def admin_required(view: F) -> F:
    """Refuse (403) anyone but an admin."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None or not g.user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def security_headers(response: Response) -> Response:
    """CSP, no sniffing, no framing, no referrer leaks; pages with patient data are not cached."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        response.vary.add("Cookie")
    if request.is_secure or request.environ.get("wsgi.url_scheme") == "https":
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response
