"""Admin pages: user management and the audit trail. Admin role only."""

from __future__ import annotations

import sqlalchemy as sa
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

from ..extensions import db
from ..forms.base import EmptyForm
from ..models import User
from ..models.base import now_utc
from ..security import admin_required
from ..services import users as service
from ..services.audit_query import AuditFilter
from ..services.audit_query import PageOutOfRangeError
from ..services.audit_query import search_audit
from ..services.passwords import password_problem
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
    rows = db.session.scalars(sa.select(User).order_by(User.username)).all()
    return render_template("admin/users.html", users=rows, now=now_utc(), action_form=EmptyForm())


@bp.route("/users/new", methods=["GET", "POST"])
def user_new() -> str | Response:
    """Create an account with a first password."""
    form = UserForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data or "", form.username.data or "")
        if not form.password.data:
            form.password.errors = ["Enter a first password for the account."]
        elif problem:
            form.password.errors = [problem]
        else:
            try:
                user = service.create_user(
                    form.username.data or "", form.full_name.data or "", form.role.data or "",
                    form.password.data, by=g.user,
                )
            except service.DuplicateUsernameError:
                form.username.errors = ["This username is taken."]
            else:
                if not form.active.data:
                    service.deactivate(user, by=g.user)
                db.session.commit()
                flash(f"Account {user.username} created.", "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int) -> str | Response:
    """Change name, role, active flag or password of an account."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        problem = password_problem(form.password.data, user.username) if form.password.data else None
        if problem:
            form.password.errors = [problem]
        elif user.id == g.user.id and (form.role.data != user.role or not form.active.data):
            form.role.errors = ["You cannot remove your own admin role or deactivate yourself."]
        else:
            data = {"username": form.username.data, "full_name": form.full_name.data,
                    "role": form.role.data, "active": bool(form.active.data)}
            try:
                service.update_user(user, data, by=g.user)
            except service.DuplicateUsernameError:
                form.username.errors = ["This username is taken."]
            else:
                if form.password.data:
                    service.reset_password(user, form.password.data, by=g.user)
                db.session.commit()
                flash(f"Account {user.username} saved.", "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.post("/users/<int:user_id>/unlock")
def user_unlock(user_id: int) -> Response:
    """Lift an account lock."""
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        service.unlock_user(user, by=g.user)
        db.session.commit()
        flash(f"Account {user.username} unlocked.", "success")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
def audit() -> str:
    """The audit trail, newest first, with filters."""
    form = AuditFilterForm(request.args)
    filters = AuditFilter()
    if form.validate():
        filters = AuditFilter(
            user=form.user.data or None, action=form.action.data or None, entity=form.entity.data or None,
            entity_id=int(form.entity_id.data) if form.entity_id.data else None,
            since=form.since.data, until=form.until.data,
        )
    try:
        found = search_audit(filters, request.args.get("page", 1, type=int) or 1,
                             current_app.config["AUDIT_PER_PAGE"])
    except PageOutOfRangeError:
        abort(404)
    return render_template(
        "admin/audit.html", form=form, events=found.events, page=found.page, has_next=found.has_next
    )
