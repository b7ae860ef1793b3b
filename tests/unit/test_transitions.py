"""The status transition table (services/transitions.py): every allowed move, every refused one,
and the set_* helpers that apply it to a row. Expected values are the workflow of design.md
(draft -> signed -> amending -> signed, and voided from any of those, never out of it), written
out here by hand."""

from __future__ import annotations

import itertools

import pytest

from fbss_eval.models import SectionStatus
from fbss_eval.models import Visit
from fbss_eval.models import VisitSection
from fbss_eval.models import VisitStatus
from fbss_eval.services.transitions import VISIT_START
from fbss_eval.services.transitions import TransitionError
from fbss_eval.services.transitions import check_transition
from fbss_eval.services.transitions import may_transition
from fbss_eval.services.transitions import set_section_status
from fbss_eval.services.transitions import set_visit_status

D, S, A, V = VisitStatus.DRAFT, VisitStatus.SIGNED, VisitStatus.AMENDING, VisitStatus.VOIDED
ALLOWED_VISIT = {(D, S), (S, A), (A, S), (D, V), (S, V), (A, V)}


def test_a_visit_starts_as_a_draft() -> None:
    assert VISIT_START is VisitStatus.DRAFT


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED_VISIT))
def test_allowed_visit_moves(current: VisitStatus, target: VisitStatus) -> None:
    check_transition(current, target)  # does not raise


REFUSED_VISIT = sorted(set(itertools.product(VisitStatus, repeat=2)) - ALLOWED_VISIT)


def test_the_refused_visit_moves_are_the_other_ten() -> None:
    assert REFUSED_VISIT == sorted([(D, D), (D, A), (S, D), (S, S), (A, D), (A, A),
                                    (V, D), (V, S), (V, A), (V, V)])


@pytest.mark.parametrize(("current", "target"), REFUSED_VISIT)
def test_refused_visit_moves(current: VisitStatus, target: VisitStatus) -> None:
    with pytest.raises(TransitionError) as caught:
        check_transition(current, target)
    assert f"from {current} to {target}" in str(caught.value)
    assert (caught.value.current, caught.value.target) == (current, target)


def test_the_message_names_where_the_visit_may_go() -> None:
    with pytest.raises(TransitionError, match=r"cannot go from signed to draft \(from signed: amending, voided\)"):
        check_transition(S, D)


@pytest.mark.parametrize(("current", "target"), list(itertools.product(SectionStatus, repeat=2)))
def test_a_section_may_move_between_any_two_statuses(current: SectionStatus, target: SectionStatus) -> None:
    # Its status follows its answers: clearing every answer takes a complete section back to empty.
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [
    (VisitStatus.DRAFT, SectionStatus.COMPLETE),
    (SectionStatus.EMPTY, VisitStatus.SIGNED),
    ("draft", "signed"),
    (VisitStatus.DRAFT, "signed"),
])
def test_statuses_of_different_kinds_or_plain_strings_are_refused(current: object, target: object) -> None:
    with pytest.raises(TransitionError):
        check_transition(current, target)  # type: ignore[type-var]


def test_set_visit_status_moves_an_allowed_step_and_refuses_the_rest() -> None:
    visit = Visit(status=VisitStatus.DRAFT)
    set_visit_status(visit, VisitStatus.SIGNED)
    assert visit.status is VisitStatus.SIGNED
    with pytest.raises(TransitionError):
        set_visit_status(visit, VisitStatus.DRAFT)
    assert visit.status is VisitStatus.SIGNED  # unchanged by the refused move
    set_visit_status(visit, VisitStatus.AMENDING)
    set_visit_status(visit, VisitStatus.SIGNED)
    assert visit.status is VisitStatus.SIGNED


def test_set_section_status_treats_a_new_row_as_empty() -> None:
    row = VisitSection(section_key="pcs", answers={})
    assert row.status is None  # the column default applies only at INSERT
    set_section_status(row, SectionStatus.NOT_ASSESSED)
    assert row.status is SectionStatus.NOT_ASSESSED
    with pytest.raises(TransitionError):
        set_section_status(row, VisitStatus.DRAFT)  # type: ignore[arg-type]


def test_voided_is_reached_from_every_other_visit_status_and_never_left() -> None:
    for start in (VisitStatus.DRAFT, VisitStatus.SIGNED, VisitStatus.AMENDING):
        visit = Visit(status=start)
        set_visit_status(visit, VisitStatus.VOIDED)
        assert visit.status is VisitStatus.VOIDED
        for target in VisitStatus:
            with pytest.raises(TransitionError, match=r"\(from voided: nothing\)"):
                set_visit_status(visit, target)
        assert visit.status is VisitStatus.VOIDED


def test_may_transition_says_yes_exactly_for_the_allowed_visit_moves_and_never_across_kinds() -> None:
    assert {pair for pair in itertools.product(VisitStatus, repeat=2) if may_transition(*pair)} == ALLOWED_VISIT
    assert not may_transition(VisitStatus.DRAFT, SectionStatus.COMPLETE)  # type: ignore[arg-type]
