"""How an attempt's answer is written down: one item, one transaction the caller holds."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta

from treasury_desktop.api.port import (
    DeliveryAnswer,
    TreasuryAuthRefused,
    TreasuryMisconfigured,
    TreasuryUnavailable,
)
from treasury_desktop.i18n import Message
from treasury_desktop.outbox.model import AttemptResult, ItemState
from treasury_desktop.store import outbox as store
from treasury_desktop.store.records import Actor
from treasury_desktop.store.vouchers import SqliteVoucherRepository

log = logging.getLogger(__name__)


def record_answer(
    conn: sqlite3.Connection, repo: SqliteVoucherRepository, actor: Actor, item: store.Claimed,
    answer: DeliveryAnswer | BaseException, now: datetime,
    delay: Callable[[float | None], float],
) -> tuple[AttemptResult, bool | None]:
    """Record ``answer``; returns the item's result and what it says of the network (online
    False/True for offline, None when it says nothing). ``delay(retry_after)`` is the backoff.

    2xx (with a checked echo): delivered. 409/422: refused, reasons kept; these are the only
    final words. 401/403, configuration errors and transport refusals (400, 413, 415): the
    whole outbox pauses and the item goes back without charging the attempt. Anything else
    (5xx, 429, timeouts, a broken or foreign answer): retry after the backoff.
    """
    voucher_id = item.voucher_id
    if isinstance(answer, DeliveryAnswer):
        if answer.delivered:
            store.mark_delivered_in(conn, repo, actor, voucher_id, answer.outcome, now)
            return AttemptResult(voucher_id, ItemState.DELIVERED, answer.outcome), False
        store.mark_refused_in(conn, repo, actor, voucher_id, answer.outcome, answer.reasons, now)
        return AttemptResult(voucher_id, ItemState.REFUSED, answer.outcome), False
    if isinstance(answer, TreasuryAuthRefused | TreasuryMisconfigured):
        kind = "auth" if isinstance(answer, TreasuryAuthRefused) else "config"
        # The client's own sentence already says what happened and what to do: used as it is,
        # never wrapped in a second sentence that says it again.
        reason = answer.message or Message(f"outbox.paused.{kind}", {"detail": answer.detail})
        store.set_pause_in(conn, reason, now)
        store.release_in(conn, voucher_id, reason, now)
        return AttemptResult(voucher_id, ItemState.PENDING, error=reason), None
    offline: bool | None = None
    if isinstance(answer, TreasuryUnavailable):
        offline = answer.offline
        error = answer.message or Message(
            "outbox.retry.offline" if answer.offline else "outbox.retry.busy",
            {"detail": answer.detail})
        wait, maybe = delay(answer.retry_after), answer.maybe_committed
    else:
        log.error("unexpected failure sending %s", voucher_id, exc_info=answer)
        error = Message("outbox.retry.unexpected", {"detail": repr(answer)})
        wait, maybe = delay(None), True
    store.schedule_retry_in(conn, voucher_id, now + timedelta(seconds=wait), error, maybe, now)
    return AttemptResult(voucher_id, ItemState.PENDING, error=error), offline


def batches(claimed: list[store.Claimed], size: int) -> list[tuple[store.Claimed, ...]]:
    """Consecutive groups of one unit, at most ``size`` each."""
    groups: list[tuple[store.Claimed, ...]] = []
    current: list[store.Claimed] = []
    for item in claimed:
        if current and (len(current) == size or current[0].unit != item.unit):
            groups.append(tuple(current))
            current = []
        current.append(item)
    if current:
        groups.append(tuple(current))
    return groups
