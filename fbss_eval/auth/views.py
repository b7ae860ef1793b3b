"""Login, logout and password change."""

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

from ..extensions import db
from ..extensions import limiter
from ..forms.base import EmptyForm
from ..security import login_user
from ..security import logout_user
from ..security import safe_next
from ..services import audit
from ..services import auth as auth_service
from ..services.passwords import password_problem
from ..services.passwords import verify_password
from .forms import ChangePasswordForm
from .forms import LoginForm

bp = Blueprint("auth", __name__)


def _login_rate() -> str:
    return str(current_app.config["RATELIMIT_LOGIN"])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate, methods=["POST"])
def login() -> str | Response:
    """The login page. A logged-in user is sent on."""
    next_url = safe_next(request.args.get("next"), url_for("patients.index"))
    if g.get("user") is not None:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        outcome = auth_service.authenticate(form.username.data or "", form.password.data or "")
        if outcome.user is not None:
            login_user(outcome.user)
            db.session.commit()
            return redirect(next_url)
        db.session.commit()
        form.form_errors.append(outcome.message or auth_service.LOGIN_FAILED_MESSAGE)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    """End the session on the server and clear the cookie."""
    form = EmptyForm()
    if form.validate_on_submit():
        audit.record("logout", "user", g.user.id)
        logout_user()
        db.session.commit()
        flash("You have been logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> str | Response:
    """Change one's own password; every session of the user ends, this one restarts."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = g.user
        problem = password_problem(form.new.data or "", user.username)
        if not verify_password(user.password_hash, form.current.data or ""):
            form.current.errors = ["The current password is not right."]
        elif problem:
            form.new.errors = [problem]
        else:
            auth_service.set_password(user, form.new.data or "")
            audit.record("password_change", "user", user.id)
            login_user(user)
            db.session.commit()
            flash("Your password was changed. Other sessions of yours have been ended.", "success")
            return redirect(url_for("patients.index"))
    return render_template("auth/change_password.html", form=form)
