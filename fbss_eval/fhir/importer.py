"""Reading a QuestionnaireResponse back into checklist answers, item by item.

Which visit: the response's ``encounter`` (``Encounter/<visit id>``, as our export writes it; an
SDC client sets it from its launch context). ``subject``, when given, must be that visit's patient.
Which version: ``questionnaire`` must be our canonical with the visit's checklist version
(``<url>|<version>``); another version, or none, is refused with a message naming both.

Each section group in the response replaces that section's answers, as a Save of the section's
form does; sections the response leaves out are not touched. The answers are then checked by
``checklist.validate.clean_answers`` (what every save checks), and each problem is reported
against the item it concerns (its linkId and a FHIRPath expression).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from ..checklist.schema import Field
from ..checklist.schema import RepeatGroup
from ..checklist.schema import Section
from ..checklist.validate import clean_answers
from .codes import VALUE_KEYS
from .codes import answer_system
from .codes import questionnaire_url

_REFERENCE = re.compile(r"^(?:.*/)?(Encounter|Patient)/([0-9]{1,10})$")
_ROW_ERROR = re.compile(r"^(?P<group>.+)-(?P<index>[0-9]+)-(?P<field>[^-]+)$")


@dataclass(frozen=True)
class Issue:
    """One problem, tied to an item when it concerns one."""

    message: str
    link_id: str | None = None
    expression: str | None = None


@dataclass
class Parsed:
    """The answers found, by section key, and the problems found."""

    answers: dict[str, dict[str, Any]] = dc_field(default_factory=dict)
    issues: list[Issue] = dc_field(default_factory=list)


def reference_id(reference: Any, kind: str) -> int | None:
    """The id in a ``{"reference": "<kind>/<id>"}`` (a full URL ending so too), or None."""
    if not isinstance(reference, Mapping) or not isinstance(reference.get("reference"), str):
        return None
    match = _REFERENCE.match(reference["reference"])
    return int(match.group(2)) if match and match.group(1) == kind else None


def target_visit_id(resource: Any) -> int | None:
    """The visit a response is for: its ``encounter``."""
    return reference_id(resource.get("encounter"), "Encounter") if isinstance(resource, Mapping) else None


def check_header(resource: Mapping[str, Any], version: str, patient_id: int, base: str) -> list[Issue]:
    """Problems of the response as a whole: its type, questionnaire version and subject."""
    if resource.get("resourceType") != "QuestionnaireResponse":
        return [Issue("Send a QuestionnaireResponse resource.", expression="resourceType")]
    issues = []
    canonical = resource.get("questionnaire")
    url, _, asked = canonical.partition("|") if isinstance(canonical, str) else ("", "", "")
    if url != questionnaire_url(base):
        issues.append(Issue(f"This response is not for the questionnaire {questionnaire_url(base)}.",
                            expression="QuestionnaireResponse.questionnaire"))
    elif asked != version:
        said = f"version {asked}" if asked else "no version"
        issues.append(Issue(
            f"This response is for {said} of the questionnaire; the visit was captured with version "
            f"{version}. Load {questionnaire_url(base)}|{version} and answer that version.",
            expression="QuestionnaireResponse.questionnaire"))
    if "subject" in resource and reference_id(resource.get("subject"), "Patient") != patient_id:
        issues.append(Issue("The subject is not this visit's patient.", expression="QuestionnaireResponse.subject"))
    return issues


def read_answers(resource: Mapping[str, Any], sections: Iterable[Section], base: str) -> Parsed:
    """The answers of every section group in the response, checked as a save checks them."""
    parsed = Parsed()
    by_key = {section.key: section for section in sections}
    items = resource.get("item", [])
    if not isinstance(items, list):
        parsed.issues.append(Issue("Expected a list of items.", expression="QuestionnaireResponse.item"))
        return parsed
    for item in items:
        link_id = item.get("linkId") if isinstance(item, Mapping) else None
        path = f"QuestionnaireResponse.item.where(linkId='{link_id}')"
        section = by_key.get(link_id) if isinstance(link_id, str) else None
        if section is None:
            parsed.issues.append(Issue("This item is not a section of the questionnaire.",
                                       link_id if isinstance(link_id, str) else None, path))
        elif section.key in parsed.answers:
            parsed.issues.append(Issue("This section appears twice.", section.key, path))
        else:
            parsed.answers[section.key] = _section_answers(section, item, path, base, parsed.issues)
    for key, answers in parsed.answers.items():
        section = by_key[key]
        clean, errors = clean_answers(section, answers)
        parsed.answers[key] = clean
        parsed.issues.extend(_issue_of(section, error_key, message) for error_key, message in sorted(errors.items()))
    return parsed


def _section_answers(section: Section, item: Mapping[str, Any], path: str, base: str,
                     issues: list[Issue]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for child in _items(item, path, issues):
        link_id = child.get("linkId")
        entry = _entry(section, link_id)
        child_path = f"{path}.item.where(linkId='{link_id}')"
        if entry is None:
            issues.append(Issue("This question is not part of this section.",
                                link_id if isinstance(link_id, str) else None, child_path))
        elif isinstance(entry, RepeatGroup):
            row: dict[str, Any] = {}
            for cell in _items(child, child_path, issues):
                cell_id = cell.get("linkId")
                field = next((f for f in entry.fields if f"{section.key}.{entry.key}.{f.key}" == cell_id), None)
                if field is None:
                    issues.append(Issue("This question is not part of this list.",
                                        cell_id if isinstance(cell_id, str) else None,
                                        f"{child_path}.item.where(linkId='{cell_id}')"))
                else:
                    _put(row, field, cell, f"{section.key}.{entry.key}.{field.key}", base, child_path, issues)
            answers.setdefault(entry.key, []).append(row)
        elif entry.key in answers:
            issues.append(Issue("This question appears twice.", link_id, child_path))
        else:
            _put(answers, entry, child, f"{section.key}.{entry.key}", base, path, issues)
    return answers


def _items(item: Mapping[str, Any], path: str, issues: list[Issue]) -> list[Mapping[str, Any]]:
    children = item.get("item", [])
    if not isinstance(children, list) or not all(isinstance(c, Mapping) for c in children):
        issues.append(Issue("Expected a list of items.", expression=f"{path}.item"))
        return []
    return children


def _entry(section: Section, link_id: Any) -> Field | RepeatGroup | None:
    if not isinstance(link_id, str) or not link_id.startswith(f"{section.key}."):
        return None
    key = link_id[len(section.key) + 1:]
    return next((entry for entry in section.items if entry.key == key), None)


def _put(into: dict[str, Any], field: Field, item: Mapping[str, Any], link_id: str, base: str, path: str,
         issues: list[Issue]) -> None:
    where = f"{path}.item.where(linkId='{link_id}')"
    answers = item.get("answer", [])
    if not isinstance(answers, list) or not all(isinstance(a, Mapping) for a in answers):
        issues.append(Issue(f"{field.label}: expected a list of answers.", link_id, where))
        return
    if len(answers) > 1 and field.type != "multichoice":
        issues.append(Issue(f"{field.label}: give one answer.", link_id, where))
        return
    values = []
    for answer in answers:
        value, problem = _value(field, answer, link_id, base)
        if problem:
            issues.append(Issue(f"{field.label}: {problem}", link_id, where))
            return
        values.append(value)
    if values:
        into[field.key] = values if field.type == "multichoice" else values[0]


def _value(field: Field, answer: Mapping[str, Any], link_id: str, base: str) -> tuple[Any, str | None]:
    key = VALUE_KEYS[field.type]
    given = [name for name in answer if name.startswith("value")]
    if given != [key]:
        return None, f"expected one {key} answer."
    if "item" in answer:
        return None, "answers with nested items are not part of this questionnaire."
    value = answer[key]
    if key == "valueCoding":
        if not isinstance(value, Mapping) or not isinstance(value.get("code"), str):
            return None, "expected a Coding with a code."
        if value.get("system") not in (None, answer_system(base, link_id)):
            return None, f"the code system must be {answer_system(base, link_id)}."
        value = value["code"]
    if isinstance(value, str) and "\x00" in value:
        return None, "the text holds a NUL character."
    if isinstance(value, str) and not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (JSON "\ud800"): not text any database stores
            return None, "the text is not valid Unicode."
    return value, None


def _issue_of(section: Section, error_key: str, message: str) -> Issue:
    """A ``clean_answers`` error (keyed like form field ids) as an issue on its item."""
    base_path = f"QuestionnaireResponse.item.where(linkId='{section.key}')"
    row = _ROW_ERROR.match(error_key)
    if row and row.group("group") in {g.key for g in section.groups()}:
        group = next(g for g in section.groups() if g.key == row.group("group"))
        group_id = f"{section.key}.{group.key}"
        link_id = f"{group_id}.{row.group('field')}"
        label = next((f.label for f in group.fields if f.key == row.group("field")), row.group("field"))
        return Issue(f"{group.label}, row {int(row.group('index')) + 1}, {label}: {message}", link_id,
                     f"{base_path}.item.where(linkId='{group_id}')[{row.group('index')}]"
                     f".item.where(linkId='{link_id}')")
    link_id = f"{section.key}.{error_key}"
    try:
        label = section.item(error_key).label
    except KeyError:
        label = error_key
    return Issue(f"{label}: {message}", link_id, f"{base_path}.item.where(linkId='{link_id}')")
