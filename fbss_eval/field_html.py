"""A checklist field's HTML, worked out once per field and filled in on each page.

Everything in a field's markup but its value (the wrapper, label, hint, ids, aria attributes,
the option list) follows from its checklist definition (of the visit's checklist version) and
the name it is bound under, so the ``item_field`` macro of ``templates/_macros/checklist.html``,
the one description of that markup, is rendered once per field with placeholder values and cut
where the values go. A section page then only puts in the value typed or saved, which options are
checked or selected and today's date (the latest a date field takes); the HTML is the macro's,
byte for byte. A field with an error message is rendered by the macro itself (the message beside
the field, ``aria-invalid``, ``aria-describedby``), as is a field whose markup could not be cut
cleanly (none today).

The section forms are built from the same definitions by ``forms.builder`` (its labels, hints,
choices and range flags), so the field's definition, its bound id and name and its class key what
is kept. ``checklist_field`` is the templates' entry point (registered in ``templating.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from jinja2 import Template
from markupsafe import Markup
from markupsafe import escape
from wtforms import Field as FormField
from wtforms import SelectFieldBase
from wtforms import SelectMultipleField

from .checklist.schema import Field

MACROS = "_macros/checklist.html"
# Private-use characters: no label, hint or option of the checklist holds them.
VALUE = "\ue000"
TODAY = "\ue001"


@dataclass(frozen=True)
class _Cut:
    """A field's markup cut at its values: ``text`` with the value (and today's date) put back at
    ``slots`` (pieces alternate with slot names), or, for options, ``text`` with each option's
    mark (`` checked``, ``selected ``) inserted at its offset when chosen."""

    pieces: tuple[str, ...]
    slots: tuple[str, ...] = ()
    marks: tuple[tuple[int, str], ...] = ()  # per option, in order: (offset in pieces[0], mark)
    values: tuple[str, ...] = ()  # per option: its value as the field compares it
    multiple: bool = False


class _Shown:
    """A checklist field as the macro sees it, but shown or hidden as asked (the macro's
    ``spec.enabled(answers)``)."""

    def __init__(self, spec: Field, shown: bool) -> None:
        self._spec, self._shown = spec, shown

    def __getattr__(self, name: str) -> Any:
        return getattr(self._spec, name)

    def enabled(self, answers: Mapping[str, Any]) -> bool:
        """Shown or not, whatever the answers."""
        return self._shown


# (template, id of the definition, field id, field name, field class, scope, shown) -> (the
# definition, kept so its id is not reused, and its cut or None: render with the macro)
_CUTS: dict[tuple[Any, ...], tuple[Field, _Cut | None]] = {}


def checklist_field(spec: Field, field: FormField, answers: Mapping[str, Any], scope: str = "") -> Markup:
    """The HTML of one checklist field bound to ``field``, as ``item_field(spec, field, answers,
    scope)`` renders it."""
    template = current_app.jinja_env.get_template(MACROS)
    if field.errors:
        return _macro(template, spec, field, answers, scope)
    shown = bool(spec.enabled(answers))
    key = (template, id(spec), field.id, field.name, type(field), scope, shown)
    known = _CUTS.get(key)
    if known is None or known[0] is not spec:
        known = _CUTS[key] = (spec, _cut(template, spec, field, scope, shown))
    cut = known[1]
    if cut is None:
        return _macro(template, spec, field, answers, scope)
    return _fill(cut, field)


def _macro(template: Template, spec: Field, field: FormField, answers: Mapping[str, Any], scope: str) -> Markup:
    """The field rendered by the macro itself (it returns Markup: the template escapes)."""
    html: Markup = template.module.item_field(spec, field, answers, scope=scope)  # type: ignore[attr-defined]
    return html


def _fill(cut: _Cut, field: FormField) -> Markup:
    if cut.values:  # the options: the field's own test of which are chosen (WTForms' iter_choices)
        data, coerce = field.data, field.coerce
        if cut.multiple:
            chosen = data or ()
            picked = [n for n, value in enumerate(cut.values) if coerce(value) in chosen]
        else:
            picked = [n for n, value in enumerate(cut.values) if coerce(value) == data]
        text, out, at = cut.pieces[0], [], 0
        for n in picked:
            offset, mark = cut.marks[n]
            out += [text[at:offset], mark]
            at = offset
        out.append(text[at:])
        return Markup("".join(out))  # noqa: S704  # nosec B704  # the macro's output, values escaped
    values = {"value": str(escape(field._value())), "today": _today()}
    out = [cut.pieces[0]]
    for slot, piece in zip(cut.slots, cut.pieces[1:], strict=True):
        out += [values[slot], piece]
    return Markup("".join(out))  # noqa: S704  # nosec B704  # the macro's output, values escaped


def _today() -> str:
    today: Callable[[], str] = current_app.jinja_env.globals["today_iso"]  # type: ignore[assignment]
    return str(escape(today()))


def _cut(template: Template, spec: Field, field: FormField, scope: str, shown: bool) -> _Cut | None:
    """Render the macro with placeholders and cut it, or None when it does not cut cleanly."""
    module = template.make_module({"today_iso": lambda: TODAY})
    probe_spec = _Shown(spec, shown)

    def render(data: Any, raw: list[str] | None) -> str:
        probe = object.__new__(type(field))  # the same binding (id, name, label, flags), its own
        probe.__dict__.update(field.__dict__)  # data (copy.copy would make an unbound field)
        probe.data, probe.raw_data, probe.errors = data, raw, []
        return str(module.item_field(probe_spec, probe, {}, scope=scope))  # type: ignore[attr-defined]

    if isinstance(field, SelectFieldBase):  # radio buttons, check boxes, a drop-down
        return _cut_options(field, render)
    text = render(VALUE, [VALUE])
    pieces, slots, rest = [], [], text
    while True:
        at = min((i for i in (rest.find(VALUE), rest.find(TODAY)) if i >= 0), default=-1)
        if at < 0:
            pieces.append(rest)
            break
        pieces.append(rest[:at])
        slots.append("value" if rest[at] == VALUE else "today")
        rest = rest[at + 1:]
    if slots.count("value") != 1 or slots.count("today") > 1:
        return None
    return _Cut(tuple(pieces), tuple(slots))


def _cut_options(field: Any, render: Callable[[Any, list[str] | None], str]) -> _Cut | None:
    """Render with no option chosen, then with each option alone: each adds one mark at one place."""
    multiple = isinstance(field, SelectMultipleField)
    base = render([] if multiple else None, [])
    if VALUE in base or TODAY in base:
        return None
    values: list[str] = []
    marks: list[tuple[int, str]] = []
    for choice in field.iter_choices():
        value = choice.value
        one = render([field.coerce(value)] if multiple else field.coerce(value), [str(value)])
        extra = len(one) - len(base)
        at = next((i for i, (a, b) in enumerate(zip(base, one, strict=False)) if a != b), len(base))
        mark = one[at:at + extra]
        if extra <= 0 or one != base[:at] + mark + base[at:] or (marks and at <= marks[-1][0]):
            return None
        values.append(value)
        marks.append((at, mark))
    return _Cut((base,), marks=tuple(marks), values=tuple(values), multiple=multiple)
