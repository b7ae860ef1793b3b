"""Admin pages: user management and the audit trail. Admin role only."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

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
from ..models import AuditEvent
from ..models import User
from ..models.base import now_utc
from ..security import admin_required
from ..services import users as service
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
    rows = db.session.scalars(sa.select(User).order_by(User.username)).all()
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
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if not form.validate_on_submit():
        return render_template("admin/user_form.html", form=form, user=user)
    try:
        with unit_of_work():
            # The posted version itself: a form field would fall back to the record's own value.
            service.edit_account(user, _account_data(form), g.user, parse_version(request.form.get("version_id")))
    except FieldProblem as problem:
        form[problem.field].errors = [*form[problem.field].errors, problem.message]
        return render_template("admin/user_form.html", form=form, user=user)
    except StaleRecordError as stale:
        saved, mine = service.snapshot(stale.current), _account_data(form)
        differing = [(service.LABELS[name], saved[name], mine[name]) for name in service.AUDITED
                     if saved[name] != mine[name]]
        form.version_id.data = str(stale.current.version_id)
        return render_template("admin/user_form.html", form=form, user=user,
                               conflict={"by": stale.by, "fields": differing}), 409
    flash(f"Account {user.username} saved.", "success")
    return redirect(url_for("admin.users"))


def _account_data(form: UserForm) -> dict[str, Any]:
    return {"username": form.username.data or "", "full_name": form.full_name.data or "",
            "role": form.role.data or "", "active": bool(form.active.data), "password": form.password.data or ""}


@bp.post("/users/<int:user_id>/unlock")
def user_unlock(user_id: int) -> Response:
    """Lift an account lock."""
    user = db.get_or_404(User, user_id)
    if EmptyForm().validate_on_submit():
        with unit_of_work():
            service.unlock_user(user, by=g.user)
        flash(f"Account {user.username} unlocked.", "success")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
def audit() -> str:
    """The audit trail, newest first, with filters."""
    form = AuditFilterForm(request.args)
    valid = form.validate()
    stmt = sa.select(AuditEvent)
    if valid:
        if form.user.data:
            stmt = stmt.where(sa.func.lower(AuditEvent.username) == form.user.data.lower())
        if form.action.data:
            stmt = stmt.where(AuditEvent.action == form.action.data)
        if form.entity.data:
            stmt = stmt.where(AuditEvent.entity == form.entity.data)
        if form.entity_id.data:
            entity_id = int(form.entity_id.data)
            # Ids are INTEGER columns: a larger number matches nothing (PostgreSQL would overflow).
            stmt = stmt.where(AuditEvent.entity_id == entity_id if entity_id <= 2**31 - 1 else sa.false())
        if form.since.data:
            stmt = stmt.where(AuditEvent.at >= datetime.combine(form.since.data, time(), UTC))
        if form.until.data:
            end = datetime.combine(form.until.data, time(), UTC) + timedelta(days=1)
            stmt = stmt.where(AuditEvent.at < end)
    per_page = current_app.config["AUDIT_PER_PAGE"]
    page = max(1, request.args.get("page", 1, type=int) or 1)
    if (page - 1) * per_page > 2**31 - 1:  # beyond any INTEGER id; the driver would overflow
        abort(404)
    rows = db.session.scalars(
        stmt.order_by(AuditEvent.id.desc()).limit(per_page + 1).offset((page - 1) * per_page)
    ).all()
    if page > 1 and not rows:
        abort(404)
    return render_template(
        "admin/audit.html", form=form, events=rows[:per_page], page=page, has_next=len(rows) > per_page
    )
