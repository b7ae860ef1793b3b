"""The base form: CSRF from Flask-WTF, surrounding white space stripped from every text field, and
posted input that would otherwise be changed quietly refused beside its field: a single-value
field sent more than once (WTForms keeps the first), and control characters in text."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms import FieldList
from wtforms import FormField
from wtforms import PasswordField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.form import BaseForm as WTFormsBaseForm

from .fields import control_character

REPEATED_MESSAGE = "This was sent with more than one value; choose one."
# Browsers send a text area's line breaks as CR LF; a one-line input holds no line break.
TEXTAREA_ALLOWED = "\t\n\r"
LINE_ALLOWED = "\t"


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Every form of the app derives from this."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            if issubclass(unbound_field.field_class, FieldList | FormField):
                return unbound_field.bind(form=form, **options)
            filters = list(unbound_field.kwargs.get("filters", []))
            if _strip not in filters:
                filters.append(_strip)
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators: Any = None) -> bool:
        """WTForms' validation, then the checks on what was posted (see the module docstring)."""
        valid = super().validate(extra_validators)
        return _check_posted(self) and valid

    def error_list(self) -> list[tuple[str, str, str]]:
        """``(field id, label, message)`` for every error, in field order (the error summary)."""
        out: list[tuple[str, str, str]] = []
        for field in self:
            for message in _flatten(field.errors):
                out.append((field.id, str(field.label.text), message))
        for message in self.form_errors:
            out.append(("", "", message))
        return out


def _flatten(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _flatten(value)]
    if isinstance(errors, list | tuple):
        return [m for value in errors for m in _flatten(value)]
    return [str(errors)]


class EmptyForm(BaseForm):
    """A CSRF-protected POST with no fields (logout, unlock, acknowledge ...)."""


def _check_posted(form: WTFormsBaseForm) -> bool:
    ok = True
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                ok = _check_posted(entry.form) and ok
        elif isinstance(field, FormField):
            ok = _check_posted(field.form) and ok
        else:
            problem = posted_problem(field)
            if problem:
                field.errors = [*field.errors, problem]
                ok = False
    form._errors = None  # WTForms caches ``form.errors``; it is computed again with these
    return ok


def posted_problem(field: Field) -> str | None:
    """Why the raw posted value of a (non-list) field is refused, or None."""
    raw = [str(value) for value in field.raw_data or []]
    if len(raw) > 1 and not isinstance(field, SelectMultipleField) and field.name != "csrf_token":
        return REPEATED_MESSAGE
    if isinstance(field, StringField) and not isinstance(field, PasswordField):
        allowed = TEXTAREA_ALLOWED if isinstance(field, TextAreaField) else LINE_ALLOWED
        found = next((ch for text in raw if (ch := control_character(text, allowed))), None)
        if found:
            return f"Remove the control character U+{ord(found):04X}; it cannot be stored."
    return None
