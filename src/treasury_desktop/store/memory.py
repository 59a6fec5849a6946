"""An in-memory voucher repository: the fake the contract test holds to the same rules as SQLite.

Same folders, search (every word a prefix of a word, diacritics folded), sort orders, workflow
checks and payees as ``store.vouchers.SqliteVoucherRepository``; no audit log, no signatures.
"""

from __future__ import annotations

import re
from dataclasses import replace

from treasury_desktop.clock import Clock, SystemClock, iso
from treasury_desktop.domain.canonical import voucher_hash
from treasury_desktop.domain.voucher import Payee, Voucher
from treasury_desktop.domain.workflow import EDITABLE, VoucherState, move
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.store.records import (
    Actor,
    Folder,
    SortKey,
    StoredVoucher,
    VoucherQuery,
    VoucherRow,
    folder_of,
)
from treasury_desktop.store.search import fold, number_key, search_terms, search_words
from treasury_desktop.store.vouchers import SignaturesWouldBeDropped, payee_key

_TOKEN = re.compile(r"[^\W_]+")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class InMemoryVoucherRepository:
    """Vouchers in a dict; each method behaves as the SQLite repository's does."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._vouchers: dict[str, StoredVoucher] = {}
        self._payees: dict[str, tuple[int, Payee]] = {}
        self._uses = 0

    # -- writing -----------------------------------------------------------------------------

    def create(
        self, voucher: Voucher, *, problems: int, actor: Actor, action: str = "create"
    ) -> StoredVoucher:
        """Store a new draft."""
        if voucher.id in self._vouchers:
            raise ExpectedError("store.duplicate_id", id=voucher.id)
        now = iso(self._clock.now())
        stored = StoredVoucher(voucher, VoucherState.DRAFT, voucher_hash(voucher), problems, "",
                               now, now)
        self._vouchers[voucher.id] = stored
        self._remember_payee(voucher.payee)
        return stored

    def save(
        self, voucher: Voucher, *, problems: int, actor: Actor, drop_signatures: bool = False
    ) -> StoredVoucher:
        """Save an edit; an unchanged voucher writes nothing."""
        before = self._vouchers.get(voucher.id)
        if before is None:
            raise ExpectedError("store.not_found", id=voucher.id)
        if before.status not in EDITABLE:
            raise ExpectedError("store.not_editable", status=before.status.value)
        digest = voucher_hash(voucher)
        if before.content_hash == digest and before.problems == problems:
            return before
        status = before.status
        if status is not VoucherState.DRAFT and before.content_hash != digest:
            if not drop_signatures:
                raise SignaturesWouldBeDropped(voucher.id)
            status = VoucherState.DRAFT
        stored = replace(before, voucher=voucher, status=status, content_hash=digest,
                         problems=problems, updated_at=iso(self._clock.now()))
        self._vouchers[voucher.id] = stored
        if before.content_hash != digest:
            self._remember_payee(voucher.payee)
        return stored

    def set_status(
        self, voucher_id: str, target: VoucherState, *, actor: Actor, reason: str = ""
    ) -> StoredVoucher:
        """Move a voucher along the workflow."""
        before = self._vouchers.get(voucher_id)
        if before is None:
            raise ExpectedError("store.not_found", id=voucher_id)
        if before.status is target:
            return before
        move(before.status, target)
        stored = replace(before, status=target, status_reason=reason,
                         updated_at=iso(self._clock.now()))
        self._vouchers[voucher_id] = stored
        return stored

    def delete_draft(self, voucher_id: str, *, actor: Actor) -> None:
        """Delete a voucher that was never signed."""
        stored = self._vouchers.get(voucher_id)
        if stored is None:
            return
        if stored.status is not VoucherState.DRAFT:
            raise ExpectedError("store.not_deletable", status=stored.status.value)
        del self._vouchers[voucher_id]

    # -- reading -----------------------------------------------------------------------------

    def get(self, voucher_id: str) -> StoredVoucher | None:
        """One voucher, or None."""
        return self._vouchers.get(voucher_id)

    def count(self, query: VoucherQuery) -> int:
        """How many vouchers match."""
        return len(self._matching(query))

    def page(self, query: VoucherQuery, offset: int, limit: int) -> list[VoucherRow]:
        """Rows ``offset .. offset+limit`` of the query, in its order."""
        rows = sorted(self._matching(query), key=lambda s: _sort_key(s, query.sort),
                      reverse=query.descending)
        return [_row(s) for s in rows[offset:offset + limit]]

    def count_and_page(
        self, query: VoucherQuery, offset: int, limit: int
    ) -> tuple[int, list[VoucherRow]]:
        """``count`` and ``page`` in one go."""
        return self.count(query), self.page(query, offset, limit)

    def folder_counts(self) -> dict[Folder, int]:
        """How many vouchers each folder holds."""
        counts = dict.fromkeys(Folder, 0)
        for stored in self._vouchers.values():
            counts[folder_of(stored.status, stored.problems)] += 1
        counts[Folder.ALL] = len(self._vouchers)
        return counts

    def ids_with_status(self, status: VoucherState) -> list[str]:
        """Ids of every voucher in one state."""
        return [i for i, s in self._vouchers.items() if s.status is status]

    def recent_payees(self, text: str = "", limit: int = 10) -> list[Payee]:
        """Payees used before, most recent first, whose name contains ``text`` (as LIKE:
        ASCII letters in any case)."""
        wanted = text.translate(_ASCII_LOWER)
        found = [(used, payee) for used, payee in self._payees.values()
                 if wanted in payee.name.strip().translate(_ASCII_LOWER)]
        return [payee for _, payee in sorted(found, key=lambda f: -f[0])[:limit]]

    # -- helpers -----------------------------------------------------------------------------

    def _matching(self, query: VoucherQuery) -> list[StoredVoucher]:
        terms = search_terms(query.text)
        return [
            s for s in self._vouchers.values()
            if (query.folder is Folder.ALL or folder_of(s.status, s.problems) is query.folder)
            and (query.status is None or s.status is query.status)
            and (query.fiscal_year is None or s.voucher.fiscal_year == query.fiscal_year)
            and (not query.date_from or s.voucher.date >= query.date_from)
            and (not query.date_to or s.voucher.date <= query.date_to)
            and (not terms or _found(terms, s.voucher))
        ]

    def _remember_payee(self, payee: Payee) -> None:
        if not payee.name.strip():
            return
        self._uses += 1
        kept = Payee(**{k: v for k, v in vars(payee).items() if v})
        self._payees[payee_key(payee)] = (self._uses, replace(kept, name=payee.name.strip()))


def _found(terms: list[str], voucher: Voucher) -> bool:
    tokens = _TOKEN.findall(fold(search_words(voucher)))
    return all(any(token.startswith(term) for token in tokens) for term in terms)


def _sort_key(stored: StoredVoucher, sort: SortKey) -> tuple[object, ...]:
    v = stored.voucher
    key = number_key(v.number)
    if sort is SortKey.NUMBER:
        return (key, v.date, v.id)
    if sort is SortKey.AMOUNT:
        return (v.total, v.date, v.id)
    if sort is SortKey.PAYEE:
        return (v.payee.name.translate(_ASCII_LOWER), v.date, v.id)
    return (v.date, key, v.id)


def _row(stored: StoredVoucher) -> VoucherRow:
    v = stored.voucher
    return VoucherRow(
        id=v.id, form=v.form, number=v.number, date=v.date, payee=v.payee.name,
        content=" · ".join(line.content for line in v.lines) or v.content, total=v.total,
        status=stored.status, problems=stored.problems, status_reason=stored.status_reason,
    )
