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
    "kind", "section", "section_title", "group", "field", "column", "label", "type", "options", "unit",
    "min", "max", "required", "enable_when", "hint", "instrument", "optional", "version",
)

# What each instrument's ``positive`` column means in the export (True / False / empty). The
# rules are those of the instrument modules; a screen with no cut-off has no positive column value.
POSITIVE_MEANINGS: dict[str, str] = {
    "odi": "Always empty: the ODI has bands, no positive cut-off.",
    "phq9": "True when the PHQ-9 total is 10 or more (major depression likely; Kroenke 2001).",
    "gad7": "True when the GAD-7 total is 10 or more (probable generalised anxiety disorder).",
    "dn4": ("True when DN4/10 is 4 or more (Bouhassira 2005). When the examination (items 8-10) was "
            "not done or not recorded there is no DN4/10 score, and positive is then true from the "
            "interview alone: DN4-interview (items 1-7) of 3 or more; the band then reads "
            "interview_positive or interview_negative."),
    "paindetect": ("True for the positive band (19 or more: neuropathic component likely), false for the "
                   "negative band (12 or less), empty for the unclear band (13-18)."),
    "startback": "Always empty: the STarT Back Tool gives a risk band (low, medium, high), no positive cut-off.",
    "pcs": ("True when the PCS total is 30 or more (Sullivan manual); the clinic may set the threshold "
            "and whether it is included (pcs_threshold, pcs_inclusive)."),
    "rmdq": "Always empty: the RMDQ has no bands and no cut-off.",
    "fabq": ("True when FABQ-PA is above 14 or FABQ-W above 34 (defaults of the clinic's settings "
             "fabq_pa_above, fabq_w_above); the score column is FABQ-PA."),
    "tsk": ("True when TSK-17 is above 37 (Vlaeyen 1995; setting tsk17_high_above); empty for the TSK-11 "
            "(no validated cut-off)."),
    "lanss": "True when LANSS or S-LANSS reaches its cut-off (12 by default); empty when the version is not recorded.",
}
# The score columns written for every instrument, after the answer columns.
SCORE_PARTS = ("score", "band", "band_label", "positive")
ITEM9_ALERT_COLUMN = "phq9.item9_alert"


def _conditions(conditions: tuple[EnableWhen, ...]) -> str:
    return " AND ".join(f"{c.field} {c.op} {c.value!r}" if c.value is not None else f"{c.field} {c.op}"
                        for c in conditions)


def column_name(section: str, field: str) -> str:
    """A field's column in the CSV export: ``section.field`` (field keys repeat across sections,
    e.g. ``notes``); a repeat group's fields keep their own key in the group's file."""
    return f"{section}.{field}"


def group_file(section: str, group: str) -> str:
    """The export's file name of a repeat group's rows (a group key repeats across sections)."""
    return f"{section}.{group}.csv"


def _field_row(section: Any, spec: Field, group: RepeatGroup | None) -> dict[str, Any]:
    conditions = (group.enable_when if group else ()) + spec.enable_when
    return {
        "kind": "field", "section": section.key, "section_title": section.title,
        "group": group.key if group else "", "field": spec.key,
        "column": spec.key if group else column_name(section.key, spec.key),
        "label": spec.label, "type": spec.type,
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


def score_rows() -> list[dict[str, Any]]:
    """The export's score columns: per instrument its score as shown on screen (integers as such,
    else one decimal, e.g. ODI 53.3), its band key and label, its positive verdict (meaning in the
    hint); and the PHQ-9 item-9 alert. Band keys are the published band name in lower case with
    words joined by ``_`` (``moderately_severe``, ``bed_bound``); the label is the name as shown."""
    rows: list[dict[str, Any]] = []
    for inst in INSTRUMENTS.values():
        common = {"kind": "score", "section": inst.key, "section_title": inst.name,
                  "instrument": inst.key, "optional": inst.optional, "version": VERSION}
        hints = {
            "score": "As shown on screen: a whole number as such, else rounded to one decimal. Empty when not scored.",
            "band": "Band key: the published band name in lower case, words joined by '_'. Empty when none.",
            "band_label": "The band as shown on screen.",
            "positive": POSITIVE_MEANINGS.get(inst.key, "True or False by the instrument's cut-off; empty when none."),
        }
        types = {"score": "decimal", "band": "text", "band_label": "text", "positive": "boolean"}
        for part in SCORE_PARTS:
            rows.append({**common, "field": f"{inst.key}_{part}", "column": f"{inst.key}.{part}",
                         "label": f"{inst.short_name} {part.replace('_', ' ')}", "type": types[part],
                         "hint": hints[part]})
        if inst.key == "phq9":
            rows.append({**common, "field": "phq9_item9_alert", "column": ITEM9_ALERT_COLUMN,
                         "label": "PHQ-9 item 9 alert", "type": "boolean",
                         "hint": ("True when item 9 (thoughts of self-harm / being better off dead) is 1 or more, "
                                  "whatever the total (a critical alert); False when it is 0; empty when unanswered.")})
    return rows


def export_columns() -> list[str]:
    """The visit columns of the export's visits.csv after its header columns, in order: every
    top-level field of every section, then the score columns."""
    return [row["column"] for row in field_rows() if not row["group"]] + [row["column"] for row in score_rows()]


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
         "scores": score_rows(), "rules": rule_rows(), "reports": report_rows(), "settings": setting_rows()},
        indent=2, ensure_ascii=False,
    )


def as_csv() -> str:
    """The dictionary as CSV, one row per field, instrument, rule and setting."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in field_rows() + score_rows() + instrument_rows() + rule_rows() + report_rows() + setting_rows():
        writer.writerow({column: row.get(column, "") for column in COLUMNS})
    return out.getvalue()
