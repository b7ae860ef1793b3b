"""The checklist (one version, the sections of this install) as a FHIR R4 Questionnaire."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..checklist.schema import EnableWhen
from ..checklist.schema import Field
from ..checklist.schema import RepeatGroup
from ..checklist.schema import Section
from .codes import ITEM_TYPES
from .codes import MAX_OCCURS
from .codes import MAX_VALUE
from .codes import MIN_VALUE
from .codes import ORDINAL_VALUE
from .codes import QUESTIONNAIRE_ID
from .codes import answer_system
from .codes import number
from .codes import questionnaire_url

Json = dict[str, Any]


def build_questionnaire(sections: Iterable[Section], version: str, base: str) -> Json:
    """The Questionnaire of checklist ``version``: one group item a section."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": questionnaire_url(base),
        "version": version,
        "name": "FBSSWorkup",
        "title": "Failed Back Surgery Syndrome (PSPS-T2) evaluation workup",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [_section_item(section, base) for section in sections],
    }


def _section_item(section: Section, base: str) -> Json:
    item: Json = {"linkId": section.key, "type": "group", "text": section.title}
    children = []
    for entry in section.items:
        if isinstance(entry, RepeatGroup):
            children.append(_group_item(section, entry, base))
        else:
            children.append(_field_item(entry, f"{section.key}.{entry.key}", base, _scope(section, None)))
    item["item"] = children
    return item


def _scope(section: Section, group: RepeatGroup | None) -> dict[str, tuple[str, Field]]:
    """The fields an enable-when condition may name, with their linkIds: the section's, and
    inside a repeat group the row's own (which win)."""
    scope = {field.key: (f"{section.key}.{field.key}", field) for field in section.fields()}
    if group is not None:
        scope.update({field.key: (f"{section.key}.{group.key}.{field.key}", field) for field in group.fields})
    return scope


def _group_item(section: Section, group: RepeatGroup, base: str) -> Json:
    link_id = f"{section.key}.{group.key}"
    item: Json = {"linkId": link_id, "type": "group", "text": group.label, "repeats": True}
    if group.min_rows:
        item["required"] = True
    item["extension"] = [{"url": MAX_OCCURS, "valueInteger": group.max_rows}]
    _enable_when(item, group.enable_when, _scope(section, None), base)
    scope = _scope(section, group)
    item["item"] = [_field_item(field, f"{link_id}.{field.key}", base, scope) for field in group.fields]
    return item


def _field_item(field: Field, link_id: str, base: str, scope: dict[str, tuple[str, Field]]) -> Json:
    item: Json = {"linkId": link_id, "type": ITEM_TYPES[field.type], "text": field.label}
    if field.required:
        item["required"] = True
    if field.type == "multichoice":
        item["repeats"] = True
    if field.type in ("text", "textarea") and field.max_length:
        item["maxLength"] = field.max_length
    extensions = _bounds(field)
    if extensions:
        item["extension"] = extensions
    if field.options:
        system = answer_system(base, link_id)
        item["answerOption"] = [_option(system, opt.value, opt.label, opt.score) for opt in field.options]
    _enable_when(item, field.enable_when, scope, base)
    return item


def _option(system: str, code: str, label: str, score: float | None) -> Json:
    option: Json = {"valueCoding": {"system": system, "code": code, "display": label}}
    if score is not None:
        option["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": number(score)}]
    return option


def _bounds(field: Field) -> list[Json]:
    if field.type not in ("integer", "decimal"):
        return []
    key = "valueInteger" if field.type == "integer" else "valueDecimal"
    return [{"url": url, key: number(bound)} for url, bound in ((MIN_VALUE, field.min), (MAX_VALUE, field.max))
            if bound is not None]


def _enable_when(item: Json, conditions: tuple[EnableWhen, ...], scope: dict[str, tuple[str, Field]],
                 base: str) -> None:
    """The conditions as R4 enableWhen. Every checklist condition must hold ("all"); an ``in``
    condition alone becomes one "=" a value, any of which enables ("any")."""
    if not conditions:
        return
    expanded: list[Json] = []
    behavior = "all"
    for condition in conditions:
        target = scope.get(condition.field)
        if target is None:  # a condition on a field outside the section: not expressible
            continue
        parts = _condition(condition, target[0], target[1], base)
        if condition.op == "in" and len(parts) > 1:
            behavior = "any"
        expanded.extend(parts)
    if not expanded:
        return
    item["enableWhen"] = expanded
    if len(expanded) > 1:
        item["enableBehavior"] = behavior


def _condition(condition: EnableWhen, link_id: str, target: Field, base: str) -> list[Json]:
    op = condition.op
    if op in ("truthy", "falsy"):
        if target.type == "boolean":
            return [{"question": link_id, "operator": "=" if op == "truthy" else "!=", "answerBoolean": True}]
        return [{"question": link_id, "operator": "exists", "answerBoolean": op == "truthy"}]
    if op in ("in", "not_in"):
        operator = "=" if op == "in" else "!="
        return [{"question": link_id, "operator": operator, **_answer(target, value, link_id, base)}
                for value in condition.value]
    operator = {"eq": "=", "ne": "!=", "contains": "=", "gte": ">=", "lte": "<="}[op]
    return [{"question": link_id, "operator": operator, **_answer(target, condition.value, link_id, base)}]


def _answer(target: Field, value: Any, link_id: str, base: str) -> Json:
    if target.type in ("choice", "multichoice"):
        return {"answerCoding": {"system": answer_system(base, link_id), "code": str(value)}}
    if target.type == "boolean":
        return {"answerBoolean": bool(value)}
    if target.type == "integer" and isinstance(value, int):
        return {"answerInteger": value}
    if target.type in ("integer", "decimal"):
        return {"answerDecimal": value}
    if target.type == "date":
        return {"answerDate": str(value)}
    return {"answerString": str(value)}
