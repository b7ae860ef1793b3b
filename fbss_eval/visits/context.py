"""What every visit page shows around its content: header, alert banner, section navigation.

Everything it reads comes from ``services.visits``; it queries nothing itself."""

from __future__ import annotations

from typing import Any

from flask import g

from ..checklist.rules.red_flags import alert_headline
from ..models import SectionStatus
from ..models import Visit
from ..models import VisitAlert
from ..services import visits as service

STATUS_LABELS = {
    SectionStatus.EMPTY: "Not started",
    SectionStatus.IN_PROGRESS: "In progress",
    SectionStatus.COMPLETE: "Complete",
    SectionStatus.NOT_ASSESSED: "Not assessed",
}
# A carried-forward section neither confirmed nor edited (services/carry_forward.py): a state of
# its own in the section list, counted as not done whatever its answers' completeness.
TO_CONFIRM = "to_confirm"
TO_CONFIRM_LABEL = "To confirm"


def visit_context(visit: Visit, current: str | None = None) -> dict[str, Any]:
    """Template context shared by the visit pages (two queries: sections and alerts)."""
    sections = service.sections_of(visit)
    rows = service.section_rows(visit)
    nav = []
    for index, section in enumerate(sections):
        row = rows.get(section.key)
        status = row.status if row else SectionStatus.EMPTY
        carried = bool(row and row.carried_forward_from is not None)
        nav.append({
            "key": section.key,
            "number": index + 1,
            "title": section.title,
            "group": section.group,
            "status": TO_CONFIRM if carried else status,
            "status_label": TO_CONFIRM_LABEL if carried else STATUS_LABELS[status],
            "required": section.required,
            "counts": f"{row.n_answered}/{row.n_required}" if row and row.n_required else "",
            "carried": carried,
            "current": section.key == current,
        })
    prev_key, next_key = service.section_neighbours(visit, current)
    alerts = service.active_alerts(visit.id)
    return {
        "visit": visit,
        "patient": visit.patient,
        "sections": sections,
        "rows": rows,
        "nav": nav,
        "next_key": next_key,
        "prev_key": prev_key,
        "alerts": alerts,
        "pending_alerts": [a for a in alerts if a.pending],
        "alert_chips": [chip for a in alerts if (chip := acknowledged_chip(visit, a))],
        "editable": service.can_edit(g.user, visit),
        "done_count": sum(1 for item in nav if item["status"] in (SectionStatus.COMPLETE, SectionStatus.NOT_ASSESSED)),
    }


def _when(at: str, visit: Visit) -> str:
    """"14:20 UTC" for a time on the visit's date, else the date too."""
    day, _, time = at.partition(" ")
    return time if day == visit.visit_date.isoformat() else at


def acknowledged_chip(visit: Visit, alert: VisitAlert) -> dict[str, Any] | None:
    """The one-line record of an acknowledged critical alert, shown on every visit page instead of
    its banner ("Red flag acknowledged: possible infection — Dr Smith 14:20 UTC"); None for any
    other alert. Acknowledged at an earlier visit, unchanged, it says so (that visit's date)."""
    if alert.severity != "critical" or not alert.must_acknowledge or alert.pending or not alert.active:
        return None
    what = "Red flag" if alert.kind.startswith("red_flag.") else "Alert"
    headline = alert_headline(alert.kind, alert.message)
    if alert.acknowledged_at is not None:
        by = alert.acknowledged_by.full_name if alert.acknowledged_by else "?"
        at = alert.acknowledged_at.strftime("%Y-%m-%d %H:%M UTC")
        return {"alert": alert, "earlier": None, "action": alert.action_taken,
                "text": f"{what} acknowledged: {headline} — {by} {_when(at, visit)}"}
    earlier = alert.earlier_acknowledgement or {}
    return {"alert": alert, "earlier": earlier, "action": earlier.get("action"),
            "text": f"{what} acknowledged earlier (visit of {earlier.get('visit_date') or '?'}): "
                    f"{headline} — {earlier.get('by') or '?'} {earlier.get('at') or ''}".rstrip()}
