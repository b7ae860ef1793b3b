"""The revision diff and the visit history in the checklist's words (``services.revisions``):
exact before/after text for fields, repeat-group rows, section status and audit rows.

Expected values are literal text a person checked against the sections written here (mutation
testing, tests/MUTATION.md "services/ and reports/"). No database: these are the pure parts.
"""

from __future__ import annotations

from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import Option
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section
from fbss_eval.services.revisions import Change
from fbss_eval.services.revisions import event_change
from fbss_eval.services.revisions import format_value
from fbss_eval.services.revisions import section_changes

SIDE = Field("side", "Side", "choice", options=(Option("l", "Left"), Option("r", "Right")))
YEAR = Field("year", "Year", "integer")
OPS = RepeatGroup("ops", "Operations", (SIDE, YEAR), row_label="operation")
PAIN = Field("pain", "Back pain", "integer", unit="/10")
HISTORY = Section("history", "Surgical history", (PAIN, OPS))


def test_format_value_empty_values_choice_labels_rows_and_unknown_items() -> None:
    assert format_value(PAIN, None) == "—"
    assert format_value(PAIN, "") == "—"
    assert format_value(OPS, []) == "—"
    assert format_value(SIDE, "l") == "Left"
    assert format_value(OPS, [{"side": "r", "year": 2019}, {"year": 2021, "extra": ""}]) == (
        "Operation 1: Side: Right; Year: 2019\nOperation 2: Year: 2021")
    assert format_value(OPS, [{"side": None}]) == "Operation 1: —"
    assert format_value(None, {"b": 1, "a": "é"}) == '{"a": "é", "b": 1}'
    assert format_value(None, 3) == "3"


def test_section_changes_field_row_field_added_and_removed_rows() -> None:
    old = {"status": "in_progress", "answers": {"pain": 7, "ops": [{"side": "l", "year": 2019}, {"year": 2020}]}}
    new = {"status": "complete", "answers": {"pain": 4, "ops": [{"side": "r", "year": 2019}], "gone": "x"}}
    got = section_changes(HISTORY, "history", old, new)
    assert got is not None
    assert got.title == "Surgical history"
    assert got.changes == (
        Change("Section status", "In progress", "Complete"),
        Change("Back pain", "7/10", "4/10"),
        Change("Operations: Operation 1: Side", "Left", "Right"),
        Change("Operations: Operation 2", "Year: 2020", "(row removed)"),
        Change("gone", "—", "x"),
    )


def test_section_changes_a_row_added_and_the_not_assessed_reason() -> None:
    old = {"status": "in_progress", "answers": {"ops": []}}
    new = {"status": "not_assessed", "not_assessed_reason": "declined", "answers": {"ops": [{"year": 2022}]}}
    got = section_changes(HISTORY, "history", old, new)
    assert got is not None
    assert got.changes == (
        Change("Section status", "In progress", "Not assessed (Patient declined)"),
        Change("Operations: Operation 1", "(no row)", "Year: 2022"),
    )


def test_a_row_removed_from_the_middle_is_that_row_removed_not_every_later_row_changed() -> None:
    first, second, third = {"side": "l", "year": 2015}, {"side": "r", "year": 2018}, {"side": "l", "year": 2021}
    old = {"status": "complete", "answers": {"ops": [first, second, third]}}
    new = {"status": "complete", "answers": {"ops": [first, third]}}
    got = section_changes(HISTORY, "history", old, new)
    assert got is not None
    assert got.changes == (Change("Operations: Operation 2", "Side: Right; Year: 2018", "(row removed)"),)


def test_a_row_added_first_and_a_later_row_edited_are_named_by_their_new_numbers() -> None:
    first, second = {"side": "l", "year": 2015}, {"side": "r", "year": 2018}
    old = {"status": "complete", "answers": {"ops": [first, second]}}
    new = {"status": "complete", "answers": {"ops": [{"year": 2010}, first, {"side": "l", "year": 2018}]}}
    got = section_changes(HISTORY, "history", old, new)
    assert got is not None
    assert got.changes == (
        Change("Operations: Operation 1", "(no row)", "Year: 2010"),
        Change("Operations: Operation 3 (was 2): Side", "Right", "Left"),
    )


def test_rows_in_another_order_but_otherwise_equal_show_only_what_moved_out_of_order() -> None:
    first, second = {"side": "l", "year": 2015}, {"side": "r", "year": 2018}
    old = {"status": "complete", "answers": {"ops": [first, second]}}
    new = {"status": "complete", "answers": {"ops": [second, first]}}
    got = section_changes(HISTORY, "history", old, new)
    assert got is not None
    # One of the two keeps its place in the matching; the other is removed at one end and added at the other.
    assert got.changes == (
        Change("Operations: Operation 1", "(no row)", "Side: Right; Year: 2018"),
        Change("Operations: Operation 2", "Side: Right; Year: 2018", "(row removed)"),
    )


def test_section_changes_equal_states_are_none_and_an_unknown_section_is_named_by_key() -> None:
    same = {"status": "complete", "answers": {"pain": 3}}
    assert section_changes(HISTORY, "history", same, dict(same)) is None
    got = section_changes(None, "old_section", {}, {"status": "complete", "answers": {"q": 1}})
    assert got is not None
    assert got.title == "old_section"
    assert got.changes == (Change("Section status", "—", "Complete"), Change("q", "—", "1"))


SECTIONS = {"history": HISTORY}


def test_event_change_words_for_fields_details_alerts_carry_forward_and_not_assessed() -> None:
    assert event_change(SECTIONS, "update", "history.pain", [None, 6]) == Change("Surgical history: Back pain", "—",
                                                                                  "6/10")
    assert event_change(SECTIONS, "update", "history.nofield", ["a", ""]) == Change("Surgical history: nofield",
                                                                                    "a", "—")
    assert event_change(SECTIONS, "void", "void_reason", "wrong patient") == Change("Void reason", "",
                                                                                    "wrong patient")
    assert event_change(SECTIONS, "void", "status", ["draft", "voided"]) == Change("Status", "draft", "voided")
    assert event_change(SECTIONS, "acknowledge_alert", "cauda_equina.bladder", [None, "referred"]) == Change(
        "Alert (cauda equina: bladder): action taken", "—", "referred")
    assert event_change(SECTIONS, "confirm_carried_forward", "history.carried_forward_from", [12, None]) == Change(
        "Surgical history: carried forward from visit 12", "to confirm", "confirmed unchanged")
    assert event_change(SECTIONS, "update", "history.carried_forward_from", [12, None]) == Change(
        "Surgical history: carried forward from visit 12", "to confirm", "edited")
    assert event_change(SECTIONS, "update", "history.not_assessed", [None, "not_asked"]) == Change(
        "Surgical history: marked not assessed", "—", "Not asked")
    assert event_change(SECTIONS, "update", "history.extra", [None, {"b": [1]}]) == Change(
        "Surgical history: extra", "—", '{"b": [1]}')
    assert event_change(SECTIONS, "update", "other.pain", [1, [2]]) == Change("Other.pain", "1", "[2]")
