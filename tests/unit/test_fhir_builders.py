"""The FHIR builders on a small hand-made section (no app, no database): every enable-when
operator as R4 enableWhen, types and bounds, a repeat group, and reading a response back into
answers with issues named by item."""

from __future__ import annotations

from datetime import datetime

from fbss_eval.checklist.schema import EnableWhen
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import Option
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section
from fbss_eval.fhir.importer import read_answers
from fbss_eval.fhir.importer import target_visit_id
from fbss_eval.fhir.questionnaire import build_questionnaire
from fbss_eval.fhir.response import VisitFacts
from fbss_eval.fhir.response import build_response
from fbss_eval.fhir.response import response_status

BASE = "https://example.test/fhir"
YES_NO = (Option("yes", "Yes", 1), Option("no", "No", 0))
SECTION = Section(key="s", title="S", items=(
    Field("flag", "Flag", "boolean"),
    Field("pick", "Pick", "choice", options=YES_NO),
    Field("many", "Many", "multichoice", options=(Option("a", "A"), Option("b", "B"))),
    Field("n", "N", "integer", min=0, max=10),
    Field("x", "X", "decimal", min=0.5),
    Field("when_flag", "If flag", "text", enable_when=(EnableWhen("flag", "truthy"),)),
    Field("unless_flag", "Unless flag", "text", enable_when=(EnableWhen("flag", "falsy"),)),
    Field("when_in", "If pick in", "text", enable_when=(EnableWhen("pick", "in", ("yes", "no")),)),
    Field("when_not_in", "If pick not in", "text", enable_when=(EnableWhen("pick", "not_in", ("yes", "no")),)),
    Field("when_many", "If many has a", "text", enable_when=(EnableWhen("many", "contains", "a"),
                                                              EnableWhen("n", "gte", 3))),
    Field("when_any", "If many given", "text", enable_when=(EnableWhen("many", "truthy"),)),
    RepeatGroup("rows", "Rows", fields=(
        Field("kind", "Kind", "choice", options=YES_NO),
        Field("note", "Note", "text", max_length=20, enable_when=(EnableWhen("kind", "eq", "yes"),)),
    ), max_rows=3, min_rows=1),
))


def items():
    q = build_questionnaire([SECTION], "9.9.9", BASE)
    return {item["linkId"]: item for item in q["item"][0]["item"]} | {
        child["linkId"]: child for child in q["item"][0]["item"][-1]["item"]}


def coding(link, code):
    return {"answerCoding": {"system": f"{BASE}/CodeSystem/{link}", "code": code}}


def test_every_enable_when_operator_becomes_r4_enable_when():
    found = items()
    assert found["s.when_flag"]["enableWhen"] == [{"question": "s.flag", "operator": "=", "answerBoolean": True}]
    assert found["s.unless_flag"]["enableWhen"] == [{"question": "s.flag", "operator": "!=", "answerBoolean": True}]
    assert found["s.when_in"]["enableWhen"] == [{"question": "s.pick", "operator": "=", **coding("s.pick", "yes")},
                                                {"question": "s.pick", "operator": "=", **coding("s.pick", "no")}]
    assert found["s.when_in"]["enableBehavior"] == "any"
    assert found["s.when_not_in"]["enableBehavior"] == "all"
    assert [c["operator"] for c in found["s.when_not_in"]["enableWhen"]] == ["!=", "!="]
    assert found["s.when_many"]["enableWhen"] == [
        {"question": "s.many", "operator": "=", **coding("s.many", "a")},
        {"question": "s.n", "operator": ">=", "answerInteger": 3}]
    assert found["s.when_many"]["enableBehavior"] == "all"
    assert found["s.when_any"]["enableWhen"] == [{"question": "s.many", "operator": "exists", "answerBoolean": True}]
    # inside a row, a condition names the row's own field
    assert found["s.rows.note"]["enableWhen"] == [{"question": "s.rows.kind", "operator": "=",
                                                   **coding("s.rows.kind", "yes")}]


def test_types_bounds_and_the_repeat_group():
    found = items()
    assert found["s.flag"]["type"] == "boolean"
    assert found["s.many"]["repeats"] is True
    assert found["s.n"]["extension"] == [
        {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
        {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 10}]
    assert found["s.x"]["extension"] == [{"url": "http://hl7.org/fhir/StructureDefinition/minValue",
                                          "valueDecimal": 0.5}]
    rows = found["s.rows"]
    assert (rows["type"], rows["repeats"], rows["required"]) == ("group", True, True)
    assert rows["extension"] == [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs",
                                  "valueInteger": 3}]
    assert found["s.rows.note"]["maxLength"] == 20
    assert "extension" not in found["s.many"]["answerOption"][0]  # an option without a score


def test_statuses():
    assert response_status("draft", 0) == "in-progress"
    assert response_status("amending", 1) == "in-progress"
    assert response_status("signed", 1) == "completed"
    assert response_status("signed", 2) == "amended"
    assert response_status("voided", 1) == "entered-in-error"  # the status the patient work adds


def test_a_response_reads_back_into_the_same_answers():
    answers = {"s": {"flag": True, "pick": "yes", "many": ["a", "b"], "n": 4, "x": 2.5, "when_flag": "t",
                     "when_in": "u", "when_many": "v", "when_any": "w",
                     "rows": [{"kind": "yes", "note": "first"}, {"kind": "no"}]}}
    facts = VisitFacts(7, 3, 2, "Dr C", "draft", 0, "9.9.9", datetime(2025, 6, 1, 10, 0))
    response = build_response([SECTION], answers, facts, BASE)
    assert response["authored"] == "2025-06-01T10:00:00+00:00"
    assert target_visit_id(response) == 7
    parsed = read_answers(response, [SECTION], BASE)
    assert parsed.issues == []
    assert parsed.answers == answers


def test_issues_name_the_item_a_row_and_the_reason():
    response = {"item": [{"linkId": "s", "item": [
        {"linkId": "s.n", "answer": [{"valueInteger": 11}]},
        {"linkId": "s.when_flag", "answer": [{"valueString": "hidden: flag not set"}]},
        {"linkId": "s.rows", "item": [{"linkId": "s.rows.kind", "answer": [{"valueCoding": {"code": "no"}}]},
                                      {"linkId": "s.rows.note", "answer": [{"valueString": "not when no"}]}]},
    ]}]}
    parsed = read_answers(response, [SECTION], BASE)
    by_link = {issue.link_id: issue for issue in parsed.issues}
    assert by_link["s.n"].message == "N: Enter a value of at most 10."
    assert by_link["s.when_flag"].message == "If flag: This question does not apply given the other answers."
    assert by_link["s.rows.note"].message.startswith("Rows, row 1, Note: ")
    assert by_link["s.rows.note"].expression == ("QuestionnaireResponse.item.where(linkId='s')"
                                                 ".item.where(linkId='s.rows')[0].item.where(linkId='s.rows.note')")
