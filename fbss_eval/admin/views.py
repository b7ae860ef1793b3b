"""Admin pages: user management and the audit trail (the review dashboard and the visit list are in
``review_views``). Admin role only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.wrappers import Response

from ..forms.base import EmptyForm
from ..models.base import now_utc
from ..security import admin_required
from ..services import audit_view
from ..services import users as service
from ..services.audit_query import PageOutOfRangeError
from ..services.audit_query import search_audit
from ..services.records import FieldProblem
from ..services.records import StaleRecordError
from ..services.records import parse_version
from ..services.unit_of_work import unit_of_work
from .forms import AuditFilterForm
from .forms import UserForm

bp = Blueprint("admin", __name__)


@bp.before_request
@admin_required
def _admins_only() -> None:
    """Every admin view needs the admin role (on top of the app-wide login check)."""


@bp.get("/users")
def users() -> str:
    """All accounts with their state."""
    rows = service.all_users()
    return render_template("admin/users.html", users=rows, now=now_utc(), action_form=EmptyForm())


@bp.route("/users/new", methods=["GET", "POST"])
def user_new() -> str | Response:
    """Create an account with a first password."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user = service.create_account(_account_data(form), by=g.user)
        except FieldProblem as problem:
            form[problem.field].errors = [*form[problem.field].errors, problem.message]
        else:
            flash(f"Account {user.username} created.", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int) -> str | Response | tuple[str, int]:
    """Change name, role, active flag or password of an account."""
    user = service.find_user(user_id) or abort(404)
    form = UserForm(obj=user)
    if not form.validate_on_submit():
        return _user_page(form, user)
    try:
        with unit_of_work():
            # The posted version itself: a form field would fall back to the record's own value.
            service.edit_account(user, _account_data(form), g.user, parse_version(request.form.get("version_id")))
    except FieldProblem as problem:
        form[problem.field].errors = [*form[problem.field].errors, problem.message]
        return _user_page(form, user)
    except StaleRecordError as stale:
        saved, mine = service.snapshot(stale.current), _account_data(form)
        differing = [(service.LABELS[name], saved[name], mine[name]) for name in service.AUDITED
                     if saved[name] != mine[name]]
        form.version_id.data = str(stale.current.version_id)
        return _user_page(form, user, conflict={"by": stale.by, "fields": differing}), 409
    flash(f"Account {user.username} saved.", "success")
    return redirect(url_for("admin.users"))


def _user_page(form: UserForm, user: Any, **context: Any) -> str:
    return render_template("admin/user_form.html", form=form, user=user, sessions=service.active_sessions(user),
                           sessions_form=EmptyForm(), **context)


@bp.post("/users/<int:user_id>/sessions/end")
def user_end_sessions(user_id: int) -> Response:
    """End every session of an account (a lost device, a shared computer left logged in)."""
    user = service.find_user(user_id) or abort(404)
    if EmptyForm().validate_on_submit():
        with unit_of_work():
            ended = service.end_sessions(user, by=g.user)
        flash(f"{ended} session(s) of {user.username} ended.", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


def _account_data(form: UserForm) -> dict[str, Any]:
    return {"username": form.username.data or "", "full_name": form.full_name.data or "",
            "role": form.role.data or "", "active": bool(form.active.data), "password": form.password.data or ""}


@bp.post("/users/<int:user_id>/unlock")
def user_unlock(user_id: int) -> Response:
    """Lift an account lock."""
    user = service.find_user(user_id) or abort(404)
    if EmptyForm().validate_on_submit():
        with unit_of_work():
            service.unlock_user(user, by=g.user)
        flash(f"Account {user.username} unlocked.", "success")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
def audit() -> str | tuple[str, int]:
    """The audit trail, newest first, with filters; each look is audited with its filter. An
    invalid filter shows nothing but the form with the error beside the field."""
    form = AuditFilterForm(request.args)
    filters = form.to_filter()
    if filters is None:
        return render_template("admin/audit.html", form=form, events=[], page=1, has_next=False, invalid=True)
    try:
        found = search_audit(filters, request.args.get("page", 1, type=int) or 1,
                             current_app.config["AUDIT_PER_PAGE"])
    except PageOutOfRangeError:
        abort(404)
    events = audit_view.shown(list(found.events))
    with unit_of_work():
        audit_view.record_view(filters, found.page)
    return render_template("admin/audit.html", form=form, events=events, page=found.page,
                           has_next=found.has_next, invalid=False)
