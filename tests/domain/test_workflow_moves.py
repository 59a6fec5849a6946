"""Workflow: the allowed moves of a voucher, and the refused ones."""

from __future__ import annotations

import pytest

from treasury_desktop.domain.workflow import (
    ALLOWED,
    EDITABLE,
    FINAL,
    TransitionError,
    VoucherState,
    can_move,
    move,
)

S = VoucherState

HAPPY_PATH = [
    S.DRAFT,
    S.SIGNED_CHIEF,
    S.SIGNED_HOLDER,
    S.QUEUED,
    S.SENT,
    S.RECEIVED,
    S.CHECKING,
    S.PAID,
]


def test_every_state_has_a_rule() -> None:
    assert set(ALLOWED) == set(VoucherState)


def test_the_happy_path() -> None:
    state = S.DRAFT
    for target in HAPPY_PATH[1:]:
        state = move(state, target)
    assert state is S.PAID


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.SIGNED_CHIEF, S.DRAFT),  # an edit drops the signature
        (S.SIGNED_HOLDER, S.DRAFT),
        (S.QUEUED, S.REJECTED),  # 422/409 from the server
        (S.SENT, S.RETURNED),
        (S.RECEIVED, S.REJECTED),
        (S.CHECKING, S.PAID),
    ],
)
def test_allowed(current: VoucherState, target: VoucherState) -> None:
    assert can_move(current, target)
    assert move(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DRAFT, S.SIGNED_HOLDER),  # the account holder never signs first
        (S.DRAFT, S.QUEUED),  # nothing unsigned is sent
        (S.SIGNED_CHIEF, S.QUEUED),
        (S.CHECKING, S.RECEIVED),  # statuses never go back
        (S.SENT, S.DRAFT),  # sent bytes are never edited
        (S.PAID, S.DRAFT),
        (S.DRAFT, S.DRAFT),
    ],
)
def test_forbidden(current: VoucherState, target: VoucherState) -> None:
    assert not can_move(current, target)
    with pytest.raises(TransitionError) as err:
        move(current, target)
    assert err.value.current is current and err.value.target is target


@pytest.mark.parametrize("final", sorted(FINAL))
def test_final_states_are_final(final: VoucherState) -> None:
    assert not ALLOWED[final]


def test_only_unsent_states_are_editable() -> None:
    assert {S.DRAFT, S.SIGNED_CHIEF, S.SIGNED_HOLDER} == EDITABLE
    for state in set(VoucherState) - EDITABLE:
        assert S.DRAFT not in ALLOWED[state]
