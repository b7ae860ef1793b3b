"""The data dictionary: every section, field, option, rule and setting, like REDCap's.

``flask --app fbss_eval checklist --format json|csv`` prints it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields as dc_fields
from typing import Any

from . import VERSION
from . import all_sections
from .instruments import INSTRUMENTS
from .rules.base import RULES
from .schema import EnableWhen
from .schema import Field
from .schema import RepeatGroup
from .settings import DEFAULT_SETTINGS
from .settings import SETTING_NOTES

COLUMNS = (
    "kind", "section", "section_title", "group", "field", "label", "type", "options", "unit",
    "min", "max", "required", "enable_when", "hint", "instrument", "optional", "version",
)


def _conditions(conditions: tuple[EnableWhen, ...]) -> str:
    return " AND ".join(f"{c.field} {c.op} {c.value!r}" if c.value is not None else f"{c.field} {c.op}"
                        for c in conditions)


def _field_row(section: Any, spec: Field, group: RepeatGroup | None) -> dict[str, Any]:
    conditions = (group.enable_when if group else ()) + spec.enable_when
    return {
        "kind": "field", "section": section.key, "section_title": section.title,
        "group": group.key if group else "", "field": spec.key, "label": spec.label, "type": spec.type,
        "options": " | ".join(f"{o.value}={o.label}" + (f" ({o.score})" if o.score is not None else "")
                              for o in spec.options),
        "unit": spec.unit or "", "min": "" if spec.min is None else spec.min,
        "max": "" if spec.max is None else spec.max, "required": spec.required,
        "enable_when": _conditions(conditions), "hint": spec.hint or "",
        "instrument": section.instrument or "", "optional": section.optional, "version": VERSION,
    }


def field_rows() -> list[dict[str, Any]]:
    """One row per field (fields inside repeat groups name their group), optional instruments included."""
    rows: list[dict[str, Any]] = []
    for section in all_sections(INSTRUMENTS.keys()):
        for item in section.items:
            if isinstance(item, RepeatGroup):
                rows.extend(_field_row(section, spec, item) for spec in item.fields)
            else:
                rows.append(_field_row(section, item, None))
    return rows


def rule_rows() -> list[dict[str, Any]]:
    """One row per decision-support rule (pointers)."""
    return [
        {"kind": "rule", "section": fn.__module__.rsplit(".", 1)[-1], "field": fn.__name__,
         "label": (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else "", "version": VERSION}
        for fn in RULES
    ]


def setting_rows() -> list[dict[str, Any]]:
    """One row per configurable scoring setting, with its default and whether it is verified."""
    rows = []
    for spec in dc_fields(DEFAULT_SETTINGS):
        note, verified = SETTING_NOTES.get(spec.name, ("", False))
        rows.append({"kind": "setting", "field": spec.name, "label": note,
                     "type": type(getattr(DEFAULT_SETTINGS, spec.name)).__name__,
                     "hint": f"default {getattr(DEFAULT_SETTINGS, spec.name)!r}; "
                             f"{'verified' if verified else 'UNVERIFIED'}", "version": VERSION})
    return rows


def instrument_rows() -> list[dict[str, Any]]:
    """One row per instrument with its source and licence."""
    return [
        {"kind": "instrument", "section": inst.key, "field": inst.key, "label": inst.name,
         "hint": f"Source: {inst.source}. Licence: {inst.licence}", "optional": inst.optional,
         "instrument": inst.version, "version": VERSION}
        for inst in INSTRUMENTS.values()
    ]


def report_rows() -> list[dict[str, Any]]:
    """One row per candidacy / classification report computed for every visit."""
    from .rules import candidacy
    from .rules import classification

    functions = (("classification", classification.icd11_cpss_check), ("candidacy", candidacy.scs_candidacy),
                 ("candidacy", candidacy.biologic_disc_repair_candidacy),
                 ("candidacy", candidacy.revision_surgery_considerations))
    return [
        {"kind": "report", "section": module, "field": fn.__name__,
         "label": (fn.__doc__ or "").strip().splitlines()[0], "version": VERSION}
        for module, fn in functions
    ]


def as_json() -> str:
    """The dictionary as JSON."""
    return json.dumps(
        {"checklist_version": VERSION, "fields": field_rows(), "instruments": instrument_rows(),
         "rules": rule_rows(), "reports": report_rows(), "settings": setting_rows()},
        indent=2, ensure_ascii=False,
    )


def as_csv() -> str:
    """The dictionary as CSV, one row per field, instrument, rule and setting."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in field_rows() + instrument_rows() + rule_rows() + report_rows() + setting_rows():
        writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return out.getvalue()
