"""Login, logout and password change. Views parse the form, call one service inside
``unit_of_work()`` (which commits) and redirect; the rules live in ``services.auth``."""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.wrappers import Response

from ..extensions import limiter
from ..forms.base import EmptyForm
from ..models import User
from ..security import login_user
from ..security import logout_user
from ..security import safe_next
from ..services import auth as auth_service
from ..services.records import FieldProblem
from ..services.unit_of_work import unit_of_work
from .forms import ChangePasswordForm
from .forms import LoginForm

bp = Blueprint("auth", __name__)


def _login_rate() -> str:
    return str(current_app.config["RATELIMIT_LOGIN"])


def _address_and_username() -> str:
    """The login limit's key: the client's address (ProxyFix gives the real one behind trusted
    proxies) and the username typed, so that one user's failed attempts, even from the same
    address as a colleague's (a clinic behind one NAT), never count against the colleague."""
    return f"{request.remote_addr or ''}|{auth_service.login_key(request.form.get('username', ''))}"


def _home(user: User) -> str:
    """Where a login lands without a ``next``: the review dashboard for an admin, else the patients."""
    return url_for("admin.dashboard") if user.is_admin else url_for("patients.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate, methods=["POST"], key_func=_address_and_username)
def login() -> str | Response:
    """The login page. A logged-in user is sent on."""
    asked = safe_next(request.args.get("next"), "")
    if g.get("user") is not None:
        return redirect(asked or _home(g.user))
    form = LoginForm()
    if form.validate_on_submit():
        with unit_of_work():  # a failure is committed too: the throttle and the audit count it
            outcome = auth_service.authenticate(form.username.data or "", form.password.data or "")
            if outcome.user is not None:
                login_user(outcome.user)
        if outcome.user is not None:
            return redirect(asked or _home(outcome.user))
        form.form_errors.append(outcome.message or auth_service.LOGIN_FAILED_MESSAGE)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    """End the session on the server and clear the cookie."""
    form = EmptyForm()
    if form.validate_on_submit():
        with unit_of_work():
            auth_service.log_out(g.user)
            logout_user()
        flash("You have been logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> str | Response:
    """Change one's own password; every session of the user ends, this one restarts."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = g.user
        try:
            with unit_of_work():
                auth_service.change_own_password(user, form.current.data or "", form.new.data or "")
                login_user(user)
        except FieldProblem as problem:
            form[problem.field].errors = [*form[problem.field].errors, problem.message]
        else:
            flash("Your password was changed. Other sessions of yours have been ended.", "success")
            return redirect(url_for("patients.index"))
    return render_template("auth/change_password.html", form=form)
