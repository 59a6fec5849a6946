"""The voucher repository as the rest of the app sees it: one Protocol, two implementations.

``store.vouchers.SqliteVoucherRepository`` (the real one) and
``store.memory.InMemoryVoucherRepository`` (a fake for tests) both hold to it, and one contract
test (``tests/store/test_repository_contract.py``) runs against both.
"""

from __future__ import annotations

from typing import Protocol

from treasury_desktop.domain.voucher import Payee, Voucher
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.records import Actor, Folder, StoredVoucher, VoucherQuery, VoucherRow


class VoucherRepository(Protocol):
    """Drafts, their workflow state, the list's queries and the payees used before."""

    def create(
        self, voucher: Voucher, *, problems: int, actor: Actor, action: str = "create"
    ) -> StoredVoucher:
        """Store a new draft; ExpectedError ``store.duplicate_id`` if the id exists."""
        ...

    def save(
        self, voucher: Voucher, *, problems: int, actor: Actor, drop_signatures: bool = False
    ) -> StoredVoucher:
        """Save an edit; a signed voucher needs ``drop_signatures`` (SignaturesWouldBeDropped)."""
        ...

    def set_status(
        self, voucher_id: str, target: VoucherState, *, actor: Actor, reason: str = ""
    ) -> StoredVoucher:
        """Move a voucher along the workflow (TransitionError for a move it does not allow)."""
        ...

    def delete_draft(self, voucher_id: str, *, actor: Actor) -> None:
        """Delete a voucher never signed (an unknown id is nothing to do)."""
        ...

    def get(self, voucher_id: str) -> StoredVoucher | None:
        """One voucher, or None."""
        ...

    def count(self, query: VoucherQuery) -> int:
        """How many vouchers match."""
        ...

    def page(self, query: VoucherQuery, offset: int, limit: int) -> list[VoucherRow]:
        """Rows ``offset .. offset+limit`` of the query, in its order."""
        ...

    def count_and_page(
        self, query: VoucherQuery, offset: int, limit: int
    ) -> tuple[int, list[VoucherRow]]:
        """``count`` and ``page`` in one go."""
        ...

    def folder_counts(self) -> dict[Folder, int]:
        """How many vouchers each folder holds."""
        ...

    def ids_with_status(self, status: VoucherState) -> list[str]:
        """Ids of every voucher in one state."""
        ...

    def recent_payees(self, text: str = "", limit: int = 10) -> list[Payee]:
        """Payees used before, most recent first, whose name contains ``text``."""
        ...
