"""The base form: CSRF from Flask-WTF, surrounding white space stripped from every text field."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import FieldList
from wtforms import FormField


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
