"""The FHIR R4 endpoints (JSON, ``application/fhir+json``). Thin: they read through
``services.fhir``, build with the pure builders of this package, and answer errors as
OperationOutcome.

Authentication: the browser session, or ``Authorization: Bearer <token>`` (``security.py``
resolves both). CSRF: a token-authenticated request carries no cookie a third site could make a
browser send, so it needs no CSRF token; a session-authenticated POST must carry the session's
CSRF token (``X-CSRFToken`` header, as the app's scripts send it) or it is refused (400, as the
app refuses a form without its token).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import g
from flask import request
from flask_wtf.csrf import ValidationError
from flask_wtf.csrf import validate_csrf
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ..checklist.versions import UnknownChecklistVersion
from ..models import Visit
from ..services import fhir as service
from ..services import visits
from ..services.unit_of_work import unit_of_work
from .codes import FHIR_JSON
from .codes import QUESTIONNAIRE_ID
from .importer import reference_id
from .importer import target_visit_id
from .observations import build_observations
from .observations import outcome
from .observations import searchset
from .questionnaire import build_questionnaire
from .response import build_response

bp = Blueprint("fhir", __name__, url_prefix="/fhir")
MAX_ID = 2**31 - 1
CLOSED = "This visit is signed (or voided): its answers cannot change. Amend a signed visit first."


def fhir_json(resource: dict[str, Any], status: int = 200) -> Response:
    """A resource as the response body."""
    # ASCII escapes: a lone surrogate sent in a linkId and quoted back cannot break the encoding.
    return Response(json.dumps(resource), status=status, mimetype=FHIR_JSON)


def problem(status: int, message: str, code: str = "invalid", expression: str | None = None) -> Response:
    """An OperationOutcome with one issue."""
    return fhir_json(outcome([(code, message, expression)]), status)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    codes = {401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported", 409: "conflict"}
    return problem(exc.code or 500, exc.description or exc.name, codes.get(exc.code or 0, "processing"))


@bp.get(f"/Questionnaire/{QUESTIONNAIRE_ID}")
def questionnaire() -> Response:
    """The checklist as a Questionnaire (``?version=`` for a released older version)."""
    version = request.args.get("version") or None
    try:
        chosen, sections = service.questionnaire_sections(version)
    except UnknownChecklistVersion:
        return problem(404, f"No released version {version!r} of the questionnaire.", "not-found")
    return fhir_json(build_questionnaire(sections, chosen, service.fhir_base()))


def _visit(visit_id: int) -> Visit:
    return visits.find_visit(visit_id) or abort(404, "No visit with this id.")


@bp.get("/QuestionnaireResponse/<int:visit_id>")
def questionnaire_response(visit_id: int) -> Response:
    """A visit as a QuestionnaireResponse."""
    visit = _visit(visit_id)
    data = service.visit_export(visit)
    with unit_of_work():
        service.record_export(visit, "QuestionnaireResponse", g.user)
    return fhir_json(build_response(data.sections, data.answers, data.facts, service.fhir_base()))


@bp.get("/Observation")
def observations() -> Response:
    """The instrument totals of one visit: ``?encounter=<visit id>`` (or ``Encounter/<id>``)."""
    asked = request.args.get("encounter", "")
    visit_id = reference_id({"reference": asked if "/" in asked else f"Encounter/{asked}"}, "Encounter")
    if visit_id is None or visit_id > MAX_ID:
        return problem(400, "Search by encounter: ?encounter=<visit id>.", "required", "encounter")
    visit = _visit(visit_id)
    data = service.visit_export(visit)
    with unit_of_work():
        service.record_export(visit, "Observation", g.user)
    base = service.fhir_base()
    return fhir_json(searchset(build_observations(data.results, data.names, data.facts, data.visit_date, base),
                               base))


@bp.post("/QuestionnaireResponse")
def import_response() -> Response:
    """Import a QuestionnaireResponse into the draft visit its ``encounter`` names."""
    token = g.get("api_token")
    if token is None and current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.headers.get("X-CSRFToken"))
        except ValidationError:
            return problem(400, "A request authenticated by the session must carry its CSRF token "
                                "(X-CSRFToken header); API clients use a token.", "security")
    if token is not None and not token.can_write:
        return problem(403, "This token is scoped read: importing needs a read-write token.", "forbidden")
    resource = request.get_json(force=True, silent=True)
    if not isinstance(resource, dict):
        return problem(400, "Send a QuestionnaireResponse as JSON.", "structure")
    visit_id = target_visit_id(resource)
    if visit_id is None or visit_id > MAX_ID:
        return problem(422, "Name the visit to import into as encounter: {\"reference\": \"Encounter/<visit id>\"}.",
                       "required", "QuestionnaireResponse.encounter")
    visit = _visit(visit_id)
    if not visit.editable:
        return problem(409, CLOSED, "conflict")
    if not visits.can_edit(g.user, visit):
        return problem(403, "You cannot change this visit.", "forbidden")
    via = f"api_token {token.id}" if token is not None else "session"
    try:
        with unit_of_work():
            result = service.import_response(visit, resource, g.user, via)
    except service.ImportRefused as refused:
        return fhir_json(outcome([("invalid", i.message, i.expression) for i in refused.issues]), refused.status)
    except visits.NotEditableError:
        return problem(409, CLOSED, "conflict")
    except visits.StaleSectionError:
        return problem(409, "A section of this visit was saved meanwhile; send the response again.", "conflict")
    return fhir_json({"resourceType": "OperationOutcome", "issue": [{
        "severity": "information", "code": "informational",
        "diagnostics": f"Imported into visit {visit.id}: {len(result.changes)} answer(s) changed."}]}, 200)
