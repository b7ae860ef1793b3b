"""Reading the audit trail as an admin: the actions and records it knows, each event's changes in
labels (checklist field labels, account and patient field names, option labels), the record it
concerns, the CSV export, and the audit rows that viewing and exporting the trail write."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..checklist import versions
from ..models import AuditEvent
from . import audit
from . import patients as patient_service
from . import users as user_service
from .audit_query import AuditFilter
from .audit_query import iter_audit
from .csv_cells import csv_chunks
from .csv_cells import escape_text
from .revisions import NONE
from .revisions import Change
from .revisions import event_change

# Every action the app writes, with what the audit page calls it (the action filter's choices).
ACTIONS: dict[str, str] = dict([
    ("login", "Logged in"), ("login_failed", "Login failed"), ("login_throttled", "Login throttled"),
    ("account_locked", "Account locked"), ("unlock", "Account unlocked"), ("logout", "Logged out"),
    ("session_expired", "Session expired"), ("sessions_ended", "Sessions ended by an admin"),
    ("password_change", "Own password changed"), ("password_reset", "Password set by an admin"),
    ("create", "Created"), ("update", "Changed"), ("autosave", "Autosaved"), ("change_mrn", "MRN changed"),
    ("view", "Record viewed"), ("acknowledge_alert", "Alert acknowledged"), ("sign", "Signed"),
    ("sign_refused", "Signing refused"), ("amend", "Amendment started"), ("export_pdf", "PDF opened"),
    ("visits_export", "Visits exported (CSV)"), ("audit_view", "Audit trail viewed"),
    ("audit_export", "Audit trail exported (CSV)"), ("void", "Visit voided"),
    ("fhir_export", "Read through FHIR"), ("fhir_import", "Answers imported through FHIR"),
    ("api_token_use", "API token used"), ("revoke", "API token revoked"),
])
ENTITIES: dict[str, str] = {"patient": "Patient", "user": "User account", "visit": "Visit"}
CSV_HEADER = ("id", "at_utc", "user", "operator", "action", "entity", "entity_id", "field", "old", "new",
              "remote_addr")


@dataclass(frozen=True)
class Shown:
    """One event as the page shows it (plain values: they outlive the commit of the page's own
    audit row): its changes in labels and the record it links to."""

    id: int
    at: datetime
    username: str | None
    operator: str | None
    action: str
    action_label: str
    entity: str | None
    entity_id: int | None
    remote_addr: str | None
    changes: tuple[Change, ...]
    link: tuple[str, int] | None  # ("visit" | "user" | "patient", id)


def shown(events: list[AuditEvent]) -> list[Shown]:
    """The events of a page with their labels (the checklist read once for the page)."""
    sections = _sections()
    return [Shown(e.id, e.at, e.username, e.operator, e.action, ACTIONS.get(e.action, e.action), e.entity,
                  e.entity_id, e.remote_addr, labelled_changes(e, sections), link_of(e)) for e in events]


def link_of(event: AuditEvent) -> tuple[str, int] | None:
    """The record an event concerns, when it names one the app can show."""
    if event.entity in ENTITIES and event.entity_id is not None:
        return event.entity, event.entity_id
    return None


def labelled_changes(event: AuditEvent, sections: Mapping[str, Any] | None = None) -> tuple[Change, ...]:
    """The event's ``field: [old, new]`` pairs with labels: checklist fields of a visit by their
    section title and label and their option labels; account and patient fields by name."""
    changes = event.changes or {}
    if event.entity == "visit":
        known = _sections() if sections is None else sections
        return tuple(event_change(known, event.action, key, value) for key, value in changes.items())
    names = {"user": user_service.LABELS, "patient": patient_service.LABELS}.get(event.entity or "", {})
    out = []
    for key, value in changes.items():
        label = names.get(key) or key.replace("_", " ").capitalize()
        if isinstance(value, list) and len(value) == 2:
            out.append(Change(label, _text(value[0]), _text(value[1])))
        else:
            out.append(Change(label, "", _text(value)))
    return tuple(out)


def _text(value: Any) -> str:
    if value is None or value == "":
        return NONE
    if value is True or value is False:
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) or NONE
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or NONE
    return str(value)


def _sections() -> dict[str, Any]:
    return {s.key: s for s in versions.all_sections_for(versions.current_version())}


def record_view(f: AuditFilter, page: int) -> None:
    """Audit a look at the trail, with its filter and page."""
    audit.record("audit_view", changes={"filter": [None, f.as_dict()], "page": [None, page]})


def record_export(f: AuditFilter) -> None:
    """Audit an export of the trail, with its filter (before the first byte is sent)."""
    audit.record("audit_export", changes={"filter": [None, f.as_dict()]})


def audit_csv(f: AuditFilter) -> Iterator[str]:
    """The matching events as CSV, newest first, one row per changed field (an event without
    changes has one row), labels as on the page, text escaped against spreadsheet formulas."""
    sections = _sections()

    def rows() -> Iterator[list[str]]:
        for event in iter_audit(f):
            head = [str(event.id), event.at.strftime("%Y-%m-%d %H:%M:%S"), escape_text(event.username or ""),
                    escape_text(event.operator or ""), escape_text(event.action), escape_text(event.entity or ""),
                    "" if event.entity_id is None else str(event.entity_id)]
            tail = [escape_text(event.remote_addr or "")]
            changes = labelled_changes(event, sections) or (Change("", "", ""),)
            for change in changes:
                yield [*head, escape_text(change.label), escape_text(change.before), escape_text(change.after), *tail]

    return csv_chunks(CSV_HEADER, rows())
