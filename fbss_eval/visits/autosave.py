"""Autosave of a section page (``static/autosave.js``): a JSON endpoint that validates like Save.

Decision: an autosave stores only input that validates, as a Save would; otherwise nothing is
stored and the page says "Not saved: fix the marked fields" beside them (the typing stays in the
page, and leaving it warns). It never overwrites a newer version: a stale ``_rev`` is answered 409
and the page offers the conflict flow (a normal Save, which merges). It never merges by itself,
because the page would still show the old version of the fields the other person changed.
An autosave that would change nothing writes nothing (no new revision, no audit row).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import g
from flask import jsonify
from flask import request
from werkzeug.wrappers import Response

from ..forms.builder import section_form_class
from ..models import Visit
from ..services import merge
from ..services import visits as service
from . import conflict

bp = Blueprint("visit_autosave", __name__)


@bp.post("/visits/<int:visit_id>/sections/<key>/autosave")
def autosave(visit_id: int, key: str) -> tuple[Response, int]:
    """Store the section's input as a draft if it validates and the page is current."""
    visit = service.find_visit(visit_id) or abort(404)
    spec = service.find_section(visit, key) or abort(404)
    if not service.can_edit(g.user, visit):
        return jsonify(status="refused", message="Not saved: you cannot change this visit."), 403
    form = section_form_class(spec)()
    valid = form.validate()
    valid = form.refuse_hidden() and valid
    if not valid:
        errors = {field_id: f"{label}: {message}" if label else message
                  for field_id, label, message in form.error_list() if field_id != "csrf_token"}
        return jsonify(status="invalid", message="Not saved: fix the marked fields.", errors=errors), 422
    answers = form.answers()
    rev, _base = conflict.posted_state(request.form)
    row = service.section_rows(visit).get(key)
    if row is not None and row.rev == rev and dict(row.answers or {}) == answers:
        return _saved(visit, spec.key, row.rev, row.answers or {}, row.updated_at, changes=0)
    outcome = conflict.save(visit, spec, answers, request.form, g.user, allow_merge=False)
    if outcome.result is None:
        at = outcome.their_at.strftime("%H:%M UTC") if outcome.their_at else ""
        who = outcome.their_by or "Someone"
        return jsonify(
            status="conflict",
            message=f"Not saved: {who} saved this section {at} after you opened it. "
                    "Review the changes to merge yours.",
        ), 409
    row = service.section_rows(visit)[key]
    return _saved(visit, spec.key, row.rev, row.answers or {}, row.updated_at, len(outcome.result.changes))


def _saved(visit: Visit, key: str, rev: int, answers: dict[str, Any], at: Any, changes: int) -> tuple[Response, int]:
    return jsonify(status="saved", rev=rev, base=merge.base_token(visit.id, key, rev, answers),
                   saved_at=at.isoformat() if at else None, changes=changes), 200
