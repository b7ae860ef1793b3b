"""Turn checklist sections into WTForms classes, and convert between posted data and answers.

The checklist definition is the only place a question is described: adding a field there makes
it appear here (and so on the page), validate, store and count toward completeness.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import FormField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.form import Form
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import StopValidation
from wtforms.validators import ValidationError

from ..checklist.completeness import blank
from ..checklist.schema import Field
from ..checklist.schema import RepeatGroup
from ..checklist.schema import Section
from .base import BaseForm
from .fields import IsoDateField
from .fields import MultiCheckboxField
from .fields import NumberField
from .fields import OptionalRadioField
from .fields import OptionalSelectField
from .fields import Range
from .fields import RowList
from .fields import WholeNumberField
from .fields import row_index

RADIO_MAX_OPTIONS = 6
BOOLEAN_CHOICES = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]
TEXT_MAX = 500
TEXTAREA_MAX = 5000


def _stop_on_bad_input(form: Any, field: Any) -> None:
    """After a parse error (letters in a number, an impossible date) say nothing more."""
    if field.process_errors:
        raise StopValidation()


def _not_in_future(form: Any, field: Any) -> None:
    if isinstance(field.data, date) and field.data > date.today():
        raise ValidationError("The date cannot be in the future.")


def _after_1900(form: Any, field: Any) -> None:
    if isinstance(field.data, date) and field.data.year < 1900:
        raise ValidationError("Enter a date after 1900.")


def _range_message(spec: Field) -> str:
    low = "" if spec.min is None else f"{spec.min:g}"
    high = "" if spec.max is None else f"{spec.max:g}"
    # "from 0 to 10" (not "0 to 10 /10"), "0 to 100%", "0 to 300 kg"
    unit = "" if not spec.unit or spec.unit.startswith("/") else spec.unit if spec.unit == "%" else f" {spec.unit}"
    if low and high:
        return f"Enter a value from {low} to {high}{unit}."
    return f"Enter a value of at least {low}{unit}." if low else f"Enter a value of at most {high}{unit}."


def wtf_field(spec: Field) -> Any:
    """The unbound WTForms field for one checklist field (never required: drafts may be partial)."""
    kw: dict[str, Any] = {"label": spec.label, "description": spec.hint or ""}
    number_range = (
        [Range(spec.min, spec.max, message=_range_message(spec))]
        if spec.min is not None or spec.max is not None
        else []
    )
    choices = [SelectChoice(opt.value, opt.label) for opt in spec.options]
    if spec.type == "integer":
        return WholeNumberField(validators=[Optional(), _stop_on_bad_input, *number_range], **kw)
    if spec.type == "decimal":
        return NumberField(validators=[Optional(), _stop_on_bad_input, *number_range], **kw)
    if spec.type == "date":
        checks = [_after_1900] if spec.allow_future else [_not_in_future, _after_1900]
        return IsoDateField(validators=[Optional(), _stop_on_bad_input, *checks], **kw)
    if spec.type == "textarea":
        limit = spec.max_length or TEXTAREA_MAX
        too_long = Length(max=limit, message=f"Use at most {limit} characters.")
        return TextAreaField(validators=[Optional(), too_long], **kw)
    if spec.type == "text":
        limit = spec.max_length or TEXT_MAX
        too_long = Length(max=limit, message=f"Use at most {limit} characters.")
        return StringField(validators=[Optional(), too_long], **kw)
    if spec.type == "boolean":
        return OptionalRadioField(choices=BOOLEAN_CHOICES, validate_choice=False, **kw)
    if spec.type == "multichoice":
        return MultiCheckboxField(choices=choices, validate_choice=False, **kw)
    if spec.type == "choice":
        if len(spec.options) <= RADIO_MAX_OPTIONS:
            return OptionalRadioField(choices=choices, validate_choice=False, **kw)
        return OptionalSelectField(choices=[SelectChoice("", "—"), *choices], validate_choice=False, **kw)
    raise ValueError(f"unknown field type {spec.type!r}")


@cache
def row_form_class(section_key: str, group: RepeatGroup) -> type[Form]:
    """A plain WTForms form for one row of a repeat group (no CSRF of its own), built once per
    distinct group definition."""
    attrs = {spec.key: wtf_field(spec) for spec in group.fields}
    return type(f"{section_key}_{group.key}_row", (Form,), attrs)


class SectionForm(BaseForm):
    """A section's form; ``section`` is the checklist definition it was built from."""

    section: Section

    def error_list(self) -> list[tuple[str, str, str]]:
        """As ``BaseForm.error_list``, but an error inside a repeat-group row links to that field
        and names it ("Operation 2 — Date of operation"), not to the whole group."""
        groups = {group.key: group for group in self.section.groups()}
        out: list[tuple[str, str, str]] = []
        for field in self:
            group = groups.get(field.name)
            if group is None:
                out.extend((field.id, str(field.label.text), str(m)) for m in _messages(field.errors))
                continue
            out.extend((field.id, group.label, m) for m in field.errors if isinstance(m, str))
            for number, entry in enumerate(field.entries, start=1):
                for spec in group.fields:
                    sub = entry.form[spec.key]
                    label = f"{group.row_label.capitalize()} {number} — {spec.label}"
                    out.extend((sub.id, label, str(m)) for m in _messages(sub.errors))
        out.extend(("", "", str(message)) for message in self.form_errors)
        return out

    def answers(self) -> dict[str, Any]:
        """Typed answers (JSON-friendly) of the validated form, blanks dropped."""
        out: dict[str, Any] = {}
        for item in self.section.items:
            if isinstance(item, RepeatGroup):
                rows = [row_answers(item.fields, entry.form) for entry in self[item.key].entries]
                rows = [row for row in rows if row]
                if rows:
                    out[item.key] = rows
            else:
                value = _typed(item, self[item.key].data)
                if not blank(value):
                    out[item.key] = value
        return out

    def refuse_hidden(self) -> bool:
        """Add an error to every field posted with a value that does not apply (enable-when).

        Returns True when nothing was refused."""
        answers = self.answers()
        ok = True
        for item in self.section.items:
            if isinstance(item, RepeatGroup):
                if not item.enabled(answers) and answers.get(item.key):
                    self[item.key].errors = [_hidden_message(item.enable_when)]
                    ok = False
                    continue
                for entry in self[item.key].entries:
                    row = row_answers(item.fields, entry.form)
                    for spec in item.fields:
                        if not blank(row.get(spec.key)) and not spec.enabled(row):
                            entry.form[spec.key].errors = [_hidden_message(spec.enable_when, item.fields)]
                            ok = False
            elif not blank(answers.get(item.key)) and not item.enabled(answers):
                self[item.key].errors = [_hidden_message(item.enable_when, self.section.fields())]
                ok = False
        return ok


def _messages(errors: Any) -> list[Any]:
    return list(errors.values()) if isinstance(errors, dict) else list(errors or [])


def _hidden_message(conditions: Any, fields: tuple[Field, ...] = ()) -> str:
    labels = {f.key: f.label for f in fields}
    names = ", ".join(f"“{labels.get(c.field, c.field)}”" for c in conditions)
    return f"This question does not apply given the answer to {names}; clear it or change that answer."


def _typed(spec: Field, data: Any) -> Any:
    if data is None:
        return None
    if spec.type == "boolean":
        return {"yes": True, "no": False}.get(data)
    if spec.type == "date":
        return data.isoformat() if isinstance(data, date) else None
    if spec.type == "multichoice":
        return [str(v) for v in data]
    if isinstance(data, str):
        return data.strip() or None
    return data


def row_answers(fields: tuple[Field, ...], form: Form) -> dict[str, Any]:
    """Typed answers of one repeat-group row, blanks dropped."""
    row = {}
    for spec in fields:
        value = _typed(spec, form[spec.key].data)
        if not blank(value):
            row[spec.key] = value
    return row


@cache
def section_form_class(section: Section) -> type[SectionForm]:
    """The WTForms class of a section definition, built once per process and definition: a visit
    captured with an older checklist version gets the form of that version's section."""
    attrs: dict[str, Any] = {"section": section}
    for item in section.items:
        if isinstance(item, RepeatGroup):
            attrs[item.key] = RowList(
                FormField(row_form_class(section.key, item)),
                label=item.label,
                min_entries=0,
                max_entries=item.max_rows,
            )
        else:
            attrs[item.key] = wtf_field(item)
    return type(f"{section.key}_form", (SectionForm,), attrs)


def formdata_from_answers(section: Section, answers: Mapping[str, Any]) -> MultiDict[str, str]:
    """The posted-form shape of stored answers (``key``, ``group-0-key``), to fill a form."""
    data: MultiDict[str, str] = MultiDict()
    for item in section.items:
        value = answers.get(item.key)
        if isinstance(item, RepeatGroup):
            for index, row in enumerate(value or []):
                for spec in item.fields:
                    _put(data, f"{item.key}-{index}-{spec.key}", spec, row.get(spec.key))
        else:
            _put(data, item.key, item, value)
    return data


def _put(data: MultiDict[str, str], name: str, spec: Field, value: Any) -> None:
    if blank(value):
        return
    if spec.type == "boolean":
        data.add(name, "yes" if value else "no")
    elif spec.type == "multichoice":
        for v in value:
            data.add(name, str(v))
    else:
        data.add(name, str(value))


def add_row(data: MultiDict[str, str], group: str) -> MultiDict[str, str]:
    """Posted data with one more (empty) row marker for ``group``."""
    out = MultiDict(data)
    indices = _row_indices(data, group)
    out.add(f"{group}-{(max(indices) + 1) if indices else 0}-__row__", "1")
    return out


def remove_row(data: MultiDict[str, str], group: str, index: int) -> MultiDict[str, str]:
    """Posted data without row ``index`` of ``group``; later rows move up, nothing else changes."""
    out: MultiDict[str, str] = MultiDict()
    prefix = f"{group}-"
    for key, value in data.items(multi=True):
        if not key.startswith(prefix):
            out.add(key, value)
            continue
        head, _, rest = key[len(prefix):].partition("-")
        number = row_index(head)
        if number is None or number == index:
            continue
        new = number - 1 if number > index else number
        out.add(f"{prefix}{new}-{rest}", value)
    return out


def _row_indices(data: MultiDict[str, str], group: str) -> list[int]:
    prefix = f"{group}-"
    heads = (key[len(prefix):].split("-", 1)[0] for key in data if key.startswith(prefix))
    return sorted({number for number in map(row_index, heads) if number is not None})
