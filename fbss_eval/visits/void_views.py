"""Void a visit started in error (``services/voiding.py`` says who may, and what it keeps).

GET shows what voiding means and asks for the reason; POST voids and returns to the summary,
which then shows the visit marked VOID. Never a delete."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.wrappers import Response

from ..services import visits as visit_service
from ..services import voiding
from ..services.unit_of_work import unit_of_work
from .context import visit_context
from .forms import VoidForm

bp = Blueprint("voiding", __name__)


@bp.app_context_processor
def _voiding_helpers() -> dict[str, Any]:
    """What the visit pages need to offer the void action."""
    return {"may_void": voiding.may_void}


@bp.route("/visits/<int:visit_id>/void", methods=["GET", "POST"])
def void(visit_id: int) -> str | Response | tuple[str, int]:
    """Void the visit, with the reason: its clinician while a draft, an admin at any status."""
    visit = visit_service.find_visit(visit_id) or abort(404)
    if visit.voided:
        flash("This visit is void already.", "info")
        return redirect(url_for("visits.summary", visit_id=visit.id))
    if not voiding.may_void(g.user, visit):
        abort(403)
    form = VoidForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                with unit_of_work():
                    voiding.void_visit(visit, g.user, form.reason.data or "")
            except voiding.VoidReasonError as problem:
                form.reason.errors = [str(problem)]
            except voiding.VoidNotAllowedError:  # voided or signed meanwhile
                flash("This visit can no longer be voided by you: it changed meanwhile.", "warning")
                return redirect(url_for("visits.summary", visit_id=visit_id))
            else:
                flash("Visit voided. It is kept, marked VOID, and no longer counted.", "success")
                return redirect(url_for("visits.summary", visit_id=visit_id))
        status = 422
    return render_template("visits/void.html", form=form, **visit_context(visit)), status
