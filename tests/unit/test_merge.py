"""The three-way merge of a stale section save (services/merge.py), field by field, and the
signed ``_base`` a page carries. Values are literal: what a clinician would see on the page."""

from __future__ import annotations

from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import Option
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section
from fbss_eval.services import merge

SECTION = Section(
    key="s",
    title="Sample",
    items=(
        Field("pain", "Pain now", "integer", unit="/10", min=0, max=10),
        Field("side", "Side", "choice", options=(Option("left", "Left"), Option("right", "Right"))),
        Field("notes", "Notes", "text"),
        Field("smoker", "Smoker", "boolean"),
        RepeatGroup("ops", "Operations", (Field("year", "Year", "integer"),), row_label="operation"),
    ),
)


def test_each_field_goes_to_whoever_changed_it():
    base = {"pain": 5, "side": "left", "notes": "base", "ops": [{"year": 2019}]}
    theirs = {"pain": 7, "side": "left", "notes": "base", "ops": [{"year": 2019}]}  # they: pain
    mine = {"pain": 5, "side": "right", "notes": "base", "smoker": True, "ops": [{"year": 2019}, {"year": 2021}]}
    result = merge.three_way(SECTION, base, theirs, mine)
    assert result.answers == {"pain": 7, "side": "right", "notes": "base", "smoker": True,
                              "ops": [{"year": 2019}, {"year": 2021}]}
    assert result.asks == ()
    assert {c.key: c.who for c in result.changes} == {"pain": "theirs", "side": "mine", "smoker": "mine",
                                                      "ops": "mine"}


def test_only_fields_both_changed_differently_ask_and_hold_my_input_meanwhile():
    base = {"pain": 5, "notes": "base"}
    theirs = {"pain": 7, "notes": "theirs"}
    mine = {"pain": 7, "notes": "mine"}  # pain: both to 7
    result = merge.three_way(SECTION, base, theirs, mine)
    assert result.asks == ("notes",)
    assert result.answers == {"pain": 7, "notes": "mine"}
    changes = {c.key: c for c in result.changes}
    assert changes["pain"].who == "same"
    assert (changes["notes"].base, changes["notes"].theirs, changes["notes"].mine) == ("base", "theirs", "mine")


def test_clearing_a_field_is_a_change_like_any_other():
    base = {"notes": "old", "side": "left"}
    theirs = {"notes": "old"}  # they cleared the side
    mine = {"side": "left"}  # I cleared the notes
    result = merge.three_way(SECTION, base, theirs, mine)
    assert result.answers == {}
    assert result.asks == ()


def test_without_a_base_every_difference_asks():
    result = merge.three_way(SECTION, None, {"pain": 7, "side": "left"}, {"pain": 5, "side": "left"})
    assert result.asks == ("pain",)
    assert not result.base_known


def test_values_are_shown_as_the_page_shows_them():
    result = merge.three_way(SECTION, {}, {"pain": 7, "side": "left", "smoker": False},
                             {"pain": 3, "side": "right", "smoker": True, "ops": [{"year": 2019}, {"year": 2021}]})
    shown = {c.key: (c.base, c.theirs, c.mine) for c in result.changes}
    assert shown["pain"] == ("—", "7/10", "3/10")
    assert shown["side"] == ("—", "Left", "Right")
    assert shown["smoker"] == ("—", "No", "Yes")
    assert shown["ops"] == ("—", "—", "Operation 1: Year: 2019\nOperation 2: Year: 2021")


def test_choices_apply_theirs_only_where_chosen_and_report_the_missing_ones():
    answers, unresolved = merge.apply_choices(
        SECTION, {"pain": 3, "notes": "mine", "side": "right"}, {"pain": 7, "side": "left"},
        ("pain", "notes", "side"), {"pain": "theirs", "notes": "theirs", "side": None})
    assert answers == {"pain": 7, "side": "right"}  # theirs for notes was blank: cleared
    assert unresolved == ("side",)


def test_the_base_token_is_checked_for_visit_section_revision_and_tampering(app):
    token = merge.base_token(3, "s", 2, {"pain": 5})
    assert merge.read_base(token, 3, "s", 2) == merge.Base(2, {"pain": 5})
    assert merge.read_base(token, 4, "s", 2) is None
    assert merge.read_base(token, 3, "t", 2) is None
    assert merge.read_base(token, 3, "s", 3) is None
    assert merge.read_base(token[:-2] + "xx", 3, "s", 2) is None
    assert merge.read_base("", 3, "s", 2) is None
    with_asks = merge.read_base(merge.base_token(3, "s", 2, {"pain": 7}, orig={"pain": 5}, asks=("pain",)), 3, "s", 2)
    assert with_asks == merge.Base(2, {"pain": 7}, {"pain": 5}, ("pain",))
