"""Helpers for the FHIR tests: issuing tokens, reading resources with ``fhir.resources``."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient

from fbss_eval.extensions import db
from fbss_eval.services import api_tokens

BASE = "https://fbss-eval.example/fhir"  # config.py's FBSS_FHIR_BASE default
QUESTIONNAIRE_URL = f"{BASE}/Questionnaire/fbss-workup"


def issue_token(user: Any, scope: str, by: Any, name: str = "test client") -> tuple[int, str]:
    """A token (id, secret) issued through the service, committed."""
    token, secret = api_tokens.create_token(name, scope, user, by)
    db.session.commit()
    return token.id, secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def post_response(client: FlaskClient, resource: dict[str, Any], secret: str | None = None,
                  headers: dict[str, str] | None = None) -> Any:
    """POST a QuestionnaireResponse as application/fhir+json."""
    sent = dict(headers or {})
    if secret:
        sent.update(bearer(secret))
    return client.post("/fhir/QuestionnaireResponse", data=json.dumps(resource),
                       content_type="application/fhir+json", headers=sent)


def items_by_link(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every item of a Questionnaire or QuestionnaireResponse by linkId (rows of a repeating
    group: the last one)."""
    found: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            found[item["linkId"]] = item
            walk(item.get("item", []))
    walk(resource.get("item", []))
    return found


def issues(response: Any) -> list[dict[str, Any]]:
    body = response.get_json(force=True)
    assert body["resourceType"] == "OperationOutcome", body
    return body["issue"]
