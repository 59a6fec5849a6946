"""Applying the treasury's changes feed to the desk: one page, one transaction.

Each change is recorded on the voucher's timeline (ignored when already there, so a page applied
twice changes nothing), moves the voucher along the workflow when the move is allowed, and
settles the voucher's outbox item when the treasury reports on exactly the bytes this desk
queued (the change's ``content_hash``). Unknown ids (vouchers made on another desk), and
changes about another document under a known id (a copied data folder, an import that kept
file ids), are skipped; a queued voucher the feed cannot vouch for is left to its own PUT.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from treasury_desktop.api.port import ChangesPage, DeliveryOutcome
from treasury_desktop.clock import iso
from treasury_desktop.domain.workflow import FINAL, SENT_ELSEWHERE, VoucherState, can_move
from treasury_desktop.store.feed import followed_in, save_cursor_in
from treasury_desktop.store.outbox import mark_delivered_in
from treasury_desktop.store.records import Actor
from treasury_desktop.store.timeline import EventSource, add_event, add_events_in
from treasury_desktop.store.vouchers import SqliteVoucherRepository


@dataclass(frozen=True)
class FinalNotice:
    """A voucher that reached the treasury's final word: for a desktop notification."""

    voucher_id: str
    number: str
    status: VoucherState
    reason: str


@dataclass(frozen=True)
class AppliedPage:
    """What one page did."""

    applied: int
    moved: int
    unknown: int
    finals: tuple[FinalNotice, ...]


@dataclass
class _Voucher:
    status: VoucherState
    number: str
    digest: str  # the content hash of the signed bytes this desk holds (and sent)
    moved_to: VoucherState | None = None
    reason: str = ""


def apply_page_in(
    conn: sqlite3.Connection, unit: str, page: ChangesPage, actor: Actor, now: datetime
) -> AppliedPage:
    """Apply ``page`` and move the cursor, inside the caller's transaction.

    Every change goes on the timeline; the voucher's status makes one move per page, to the
    last state the page's changes lead to (each step checked against the workflow), so a
    catch-up after days offline writes one row per voucher, not one per step.
    """
    repo = SqliteVoucherRepository(conn)
    applied = unknown = 0
    seen: dict[str, _Voucher | None] = dict.fromkeys(c.voucher_id for c in page.changes)
    followed, known = followed_in(conn, seen)  # known: treasury events already on timelines
    for voucher_id, held in followed.items():
        seen[voucher_id] = _Voucher(held.status, held.number, held.digest)
    events: list[tuple[str, str, str, str, str]] = []
    for change in page.changes:
        voucher_id = change.voucher_id
        voucher = seen[voucher_id]
        if voucher is None or (change.content_hash and change.content_hash != voucher.digest):
            unknown += 1  # made on another desk, or another document under the same id
            continue
        if voucher.status is VoucherState.QUEUED:
            if not change.content_hash:
                unknown += 1  # the treasury does not say what it holds: the desk's PUT decides
                continue
            # The treasury holds exactly these bytes: settle the outbox item first, which
            # also puts "sent" before the treasury's steps on the timeline.
            mark_delivered_in(conn, repo, actor, voucher_id, DeliveryOutcome.REPLAYED, now)
            voucher.status = VoucherState.SENT
        elif voucher.status in SENT_ELSEWHERE:
            # Queued and sent by another desk (countersigning by package): the treasury has it.
            repo.set_status_in(conn, voucher_id, VoucherState.SENT, actor=actor)
            add_event(conn, voucher_id, VoucherState.SENT.value, iso(now), detail="elsewhere")
            voucher.status = VoucherState.SENT
        key = (voucher_id, change.status, change.at, change.detail)
        if key in known:
            continue  # seen before: applying a page twice changes nothing
        known.add(key)
        events.append((*key, change.reason))
        applied += 1
        try:
            target = VoucherState(change.status)
        except ValueError:
            continue  # a status this version does not know: on the timeline only
        current = voucher.moved_to or voucher.status
        if target is not current and can_move(current, target):
            voucher.moved_to, voucher.reason = target, change.reason
    add_events_in(conn, events, EventSource.TREASURY)
    finals: list[FinalNotice] = []
    moves: list[tuple[str, VoucherState, str]] = []
    for voucher_id, voucher in seen.items():
        if voucher is None or voucher.moved_to is None:
            continue
        moves.append((voucher_id, voucher.moved_to, voucher.reason))
        if voucher.moved_to in FINAL:
            finals.append(FinalNotice(voucher_id, voucher.number, voucher.moved_to, voucher.reason))
    repo.set_statuses_in(conn, moves, actor=actor)
    moved = len(moves)
    save_cursor_in(conn, unit, page.next_cursor, now)
    return AppliedPage(applied, moved, unknown, tuple(finals))
