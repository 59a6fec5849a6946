"""Workflow states of a voucher and the moves allowed between them."""

from __future__ import annotations

from enum import StrEnum

from treasury_desktop.domain.roles import SignerRole


class VoucherState(StrEnum):
    """Where a voucher stands, from draft on the desk to the treasury's final word."""

    DRAFT = "draft"  # Nháp
    SIGNED_CHIEF = "signed_chief"  # KTT đã ký
    SIGNED_HOLDER = "signed_holder"  # CTK đã ký: ready to queue
    QUEUED = "queued"  # Chờ gửi (in the outbox)
    SENT = "sent"  # Đã gửi: the treasury acknowledged the upload
    RECEIVED = "received"  # KBNN tiếp nhận
    CHECKING = "checking"  # Đang kiểm soát
    PAID = "paid"  # Đã thanh toán
    REJECTED = "rejected"  # Từ chối
    RETURNED = "returned"  # Trả lại để bổ sung


TREASURY_WORD = frozenset({
    VoucherState.RECEIVED,
    VoucherState.CHECKING,
    VoucherState.PAID,
    VoucherState.REJECTED,
    VoucherState.RETURNED,
})
"""States only the treasury's answer can give (a voucher's timeline always shows them)."""

ALLOWED: dict[VoucherState, frozenset[VoucherState]] = {
    VoucherState.DRAFT: frozenset({VoucherState.SIGNED_CHIEF}),
    # A signed voucher the treasury reports on was queued on another desk (a package went
    # there and the other desk sent it): it has been sent.
    VoucherState.SIGNED_CHIEF: frozenset({VoucherState.SIGNED_HOLDER, VoucherState.DRAFT,
                                          VoucherState.SENT}),
    VoucherState.SIGNED_HOLDER: frozenset({VoucherState.QUEUED, VoucherState.DRAFT,
                                           VoucherState.SENT}),
    # The outbox's final answer may be a 422/409 refusal, which sends it back to be fixed.
    VoucherState.QUEUED: frozenset({VoucherState.SENT, VoucherState.REJECTED} | TREASURY_WORD),
    VoucherState.SENT: frozenset(TREASURY_WORD),
    VoucherState.RECEIVED: frozenset(TREASURY_WORD - {VoucherState.RECEIVED}),
    VoucherState.CHECKING: frozenset(
        TREASURY_WORD - {VoucherState.RECEIVED, VoucherState.CHECKING}
    ),
    VoucherState.PAID: frozenset(),
    VoucherState.REJECTED: frozenset(),
    VoucherState.RETURNED: frozenset(),
}

# -- the groupings of states: each spelled once, here ----------------------------------------

EDITABLE = frozenset({VoucherState.DRAFT, VoucherState.SIGNED_CHIEF, VoucherState.SIGNED_HOLDER})
"""States whose content may still change (a signed one loses its signatures on edit)."""

SIGNATURE_STEPS = (VoucherState.DRAFT, VoucherState.SIGNED_CHIEF, VoucherState.SIGNED_HOLDER)
"""The state after 0, 1 and 2 signatures (chief accountant, then account holder), in order."""

SIGNED = frozenset({VoucherState.SIGNED_CHIEF, VoucherState.SIGNED_HOLDER})
"""Signed by one or both signers, not yet queued."""

SENT_ELSEWHERE = SIGNED
"""Signed states in which the treasury may report on a voucher that another desk queued."""

AWAITING_SIGNATURE = frozenset({VoucherState.DRAFT, VoucherState.SIGNED_CHIEF})
"""A signature is still missing (the folder "Chờ ký", when the draft is complete)."""

AWAITING_DELIVERY = frozenset({VoucherState.SIGNED_HOLDER, VoucherState.QUEUED})
"""Both signatures, not yet with the treasury (the folder "Chờ gửi")."""

ON_THE_WAY = frozenset({
    VoucherState.QUEUED, VoucherState.SENT, VoucherState.RECEIVED, VoucherState.CHECKING,
})
"""Queued or with the treasury, no final word yet: its money is spoken for."""

WITH_TREASURY = frozenset({
    VoucherState.SENT, VoucherState.RECEIVED, VoucherState.CHECKING, VoucherState.PAID,
})
"""Delivered and not refused (the folder "Đã gửi")."""

REFUSED = frozenset({VoucherState.REJECTED, VoucherState.RETURNED})
"""The treasury said no: rejected for good, or returned to be completed."""

FINAL = frozenset({VoucherState.PAID}) | REFUSED
"""The treasury's final word."""

FOLLOWED = ON_THE_WAY | FINAL
"""Left the desk: queued, with the treasury or finished (has a timeline)."""

AWAITING_ANSWER = WITH_TREASURY - FINAL
"""Delivered, the treasury's final word still to come (the status sync looks sooner)."""


def can_move(current: VoucherState, target: VoucherState) -> bool:
    """Whether ``current -> target`` is an allowed move."""
    return target in ALLOWED[current]


def state_before_signature(role: SignerRole) -> VoucherState:
    """The state a voucher is in when ``role`` signs it (a draft for the chief accountant)."""
    return SIGNATURE_STEPS[role.order]


def state_after_signature(role: SignerRole) -> VoucherState:
    """The state ``role``'s signature moves a voucher to."""
    return SIGNATURE_STEPS[role.order + 1]


def signatures_carried(state: VoucherState) -> int:
    """How many signatures a voucher in ``state`` carries (both, from ``signed_holder`` on)."""
    steps = SIGNATURE_STEPS
    return steps.index(state) if state in steps else len(steps) - 1


class TransitionError(ValueError):
    """A move the workflow does not allow."""

    def __init__(self, current: VoucherState, target: VoucherState) -> None:
        super().__init__(f"cannot move a voucher from {current} to {target}")
        self.current = current
        self.target = target


def move(current: VoucherState, target: VoucherState) -> VoucherState:
    """Return ``target`` if the move is allowed, else raise :class:`TransitionError`."""
    if not can_move(current, target):
        raise TransitionError(current, target)
    return target


# -- the outbox item's own state machine -----------------------------------------------------


class ItemState(StrEnum):
    """Where one queued voucher stands in the outbox (a persisted state machine)."""

    PENDING = "pending"  # Chờ gửi: waiting for its next attempt
    IN_FLIGHT = "in_flight"  # Đang gửi: committed before the request; maybe on the server
    DELIVERED = "delivered"  # Đã gửi: 201 or 200, the treasury holds these exact bytes
    REFUSED = "refused"  # Bị từ chối: 409 or 422, with the server's reasons


ACTIVE = frozenset({ItemState.PENDING, ItemState.IN_FLIGHT})
"""States of an item that is still "in the outbox"."""

SHOWN_BY_DEFAULT = ACTIVE | {ItemState.REFUSED}
"""The items the outbox lists unless asked for all: still on their way, or refused."""

ITEM_MOVES: dict[ItemState, frozenset[ItemState]] = {
    ItemState.PENDING: frozenset({ItemState.IN_FLIGHT, ItemState.DELIVERED}),
    ItemState.IN_FLIGHT: frozenset({ItemState.PENDING, ItemState.DELIVERED, ItemState.REFUSED}),
    ItemState.DELIVERED: frozenset(),
    ItemState.REFUSED: frozenset(),
}
"""The moves an outbox item may make."""
