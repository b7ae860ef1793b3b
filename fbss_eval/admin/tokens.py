"""API tokens for the FHIR endpoints (admin only): issue one (its secret shown once), see when
each was last used, revoke one."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import url_for
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ..forms.base import EmptyForm
from ..security import admin_required
from ..services import api_tokens as service
from ..services.unit_of_work import unit_of_work
from .forms_tokens import TokenForm

bp = Blueprint("admin_tokens", __name__)


@bp.before_request
@admin_required
def _admins_only() -> None:
    """Only admins issue and revoke tokens."""


def _form() -> TokenForm:
    form = TokenForm()
    form.user_id.choices = [SelectChoice(u.id, f"{u.full_name} ({u.username}, {u.role})")
                           for u in service.token_users()]
    return form


def _page(form: TokenForm, secret: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template("admin/tokens.html", form=form, tokens=service.all_tokens(), secret=secret,
                           action_form=EmptyForm()), status


@bp.get("/tokens")
def tokens() -> tuple[str, int]:
    """The tokens, and the form to issue one."""
    return _page(_form())


@bp.post("/tokens")
def token_new() -> tuple[str, int]:
    """Issue a token: its secret is on this page once, and never again."""
    form = _form()
    if not form.validate_on_submit():
        return _page(form, status=422)
    user = service.find_user(form.user_id.data) or abort(404)
    with unit_of_work():
        token, secret = service.create_token(form.name.data or "", form.scope.data or "", user, g.user)
    flash(f"Token “{token.name}” issued. Copy it now: it is not shown again.", "success")
    # 201, not a redirect: the secret is on this answer only (it is stored nowhere to show again).
    return _page(_form(), secret=secret, status=201)


@bp.post("/tokens/<int:token_id>/revoke")
def token_revoke(token_id: int) -> Response:
    """Revoke a token (it authenticates nothing from now on)."""
    token = service.find_token(token_id) or abort(404)
    if EmptyForm().validate_on_submit():
        with unit_of_work():
            revoked = service.revoke_token(token, g.user)
        flash(f"Token “{token.name}” revoked." if revoked else "This token was already revoked.", "success")
    return redirect(url_for("admin_tokens.tokens"))
