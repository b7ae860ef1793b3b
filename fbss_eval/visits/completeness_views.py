"""A visit's completeness page: each required question still blank, linked straight to its input
on the section page. The admin and the visit's own clinician may see it."""

from __future__ import annotations

from flask import abort
from flask import g
from flask import render_template

from ..access_log import record_access
from ..services import visit_completeness
from ..services import visits as service
from .context import visit_context
from .views import bp


@bp.get("/visits/<int:visit_id>/completeness")
def completeness(visit_id: int) -> str:
    """What the visit still lacks, section by section."""
    visit = service.find_visit(visit_id) or abort(404)
    if not visit_completeness.can_view(g.user, visit):
        abort(403)
    record_access("visit", visit.id)
    return render_template("visits/completeness.html", gaps=visit_completeness.gaps(visit), **visit_context(visit))
