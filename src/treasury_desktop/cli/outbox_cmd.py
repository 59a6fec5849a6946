"""``submit ID...``, ``outbox [list|run [--until-empty]]`` and ``sync``: the outbox, scripted.

The server and unit come from the profile (``connect``) or ``--server``; the credential from
``TREASURY_API_TOKEN`` or the keyring.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from treasury_desktop.api.port import TreasuryFailure
from treasury_desktop.clock import Backoff
from treasury_desktop.context import AppContext
from treasury_desktop.delivery import Delivery, open_delivery, receipt_chore
from treasury_desktop.domain.workflow import SHOWN_BY_DEFAULT
from treasury_desktop.i18n import ExpectedError, Message, text
from treasury_desktop.outbox.model import ItemState, OutboxItem
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.sync.service import SyncSummary
from treasury_desktop.usecases.queueing import QueueService
from treasury_desktop.usecases.timestamping import stamp_before_queue
from treasury_desktop.usecases.trust import desk_anchors

RUN_GRACE = 3.0
"""Seconds past ``outbox run --timeout`` that requests still in flight may take."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``submit``, ``outbox`` and ``sync``."""
    submit = commands.add_parser("submit", help="put signed vouchers into the outbox")
    submit.add_argument("ids", nargs="+", metavar="ID")
    submit.set_defaults(handler=_queue)
    outbox = commands.add_parser("outbox", help="list the outbox or send what it holds")
    outbox.add_argument("action", nargs="?", choices=("list", "run"), default="list")
    outbox.add_argument("--until-empty", action="store_true", help="stop when nothing is left")
    outbox.add_argument("--all", action="store_true", help="list delivered items too")
    outbox.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="stop trying after this long; what is left stays queued")
    outbox.add_argument("--concurrency", type=int, default=4, help="requests in flight (4)")
    outbox.add_argument("--batch", type=int, default=20, metavar="N",
                        help="documents per request where the server offers batches (1: never)")
    outbox.add_argument("--backoff-cap", type=float, default=300.0, help=argparse.SUPPRESS)
    _common(outbox)
    outbox.set_defaults(handler=_outbox)
    sync = commands.add_parser("sync", help="update voucher statuses from the treasury")
    _common(sync)
    sync.set_defaults(handler=_sync)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", metavar="URL", help="treasury API address (else the profile)")
    parser.add_argument("--json", action="store_true", help="JSON lines instead of text")


def _now() -> datetime:
    return datetime.now(UTC)


def _queue(args: argparse.Namespace, ctx: AppContext) -> int:
    conn = ctx.connect()
    stamps = stamp_before_queue(conn, ctx.data_dir, args.ids, ctx.actor)  # CAdES-T when online
    if stamps.still_unstamped:
        print(text("trust.timestamp.later", args.lang, count=len(stamps.still_unstamped)),
              file=sys.stderr)
    results = QueueService(conn, ctx.actor, _now, anchors=desk_anchors(ctx.data_dir)).queue(
        args.ids)
    for result in results:
        print(result.message.render(args.lang), file=sys.stdout if result.ok else sys.stderr)
    return 0 if all(r.ok for r in results) else 1


def _item_json(item: OutboxItem, lang: Any) -> dict[str, Any]:
    return {
        "id": item.voucher_id, "state": item.state.value, "attempts": item.attempts,
        "next_attempt_at": item.next_attempt_at.isoformat() if item.next_attempt_at else None,
        "last_error": item.last_error.render(lang) if item.last_error else None,
        "outcome": item.outcome.value if item.outcome else None,
        "reasons": [r.as_json() for r in item.reasons], "number": item.number,
        "maybe_committed": item.maybe_committed,
    }


def _outbox(args: argparse.Namespace, ctx: AppContext) -> int:
    if args.action == "run":
        return _run(args, ctx)
    sender = Sender(ctx.connect, _Offline(), actor=ctx.actor)
    try:
        states = None if args.all else SHOWN_BY_DEFAULT
        for item in sender.snapshot(states):
            if args.json:
                print(json.dumps(_item_json(item, args.lang), ensure_ascii=False))
            else:
                state = text(f"outbox.state.{item.state.value}", args.lang)
                error = item.last_error.render(args.lang) if item.last_error else ""
                print(f"{item.voucher_id}  {item.number:>6}  {state:<12} {item.attempts:>3}  "
                      f"{error}".rstrip())
        print(sender.status().message().render(args.lang), file=sys.stderr)
    finally:
        sender.close()
    return 0


def _run(args: argparse.Namespace, ctx: AppContext) -> int:
    delivery = open_delivery(ctx, server=args.server, concurrency=args.concurrency,
                             batch_size=args.batch, backoff=Backoff(cap=args.backoff_cap))
    sender, sync = delivery.sender, delivery.sync
    try:
        with delivery.lock:
            sender.send_now()  # an explicit run lifts a pause and hurries waiting items
            stop_at = _now() + timedelta(seconds=args.timeout) if args.timeout else None
            if args.timeout:  # requests in flight at the end are cut too, not waited on
                delivery.port.finish_within(args.timeout + RUN_GRACE)
            summary = sender.run(until_empty=args.until_empty, stop_at=stop_at)
            synced = sync.pull()
            left = sender.status()
    except KeyboardInterrupt:  # Ctrl-C: the items stay queued, nothing is lost
        return 130
    finally:
        delivery.close()
    counts = {s.value: summary.count(s) for s in ItemState}
    if args.json:
        print(json.dumps({"attempts": counts, "paused": _render(summary.paused_reason, args),
                          "synced": synced.applied, "sync_error": _render(synced.error, args)},
                         ensure_ascii=False))
    else:
        print(text("outbox.run.done", args.lang, delivered=counts["delivered"],
                   refused=counts["refused"], retried=counts["pending"], synced=synced.applied))
    if summary.paused_reason is not None:
        print(summary.paused_reason.render(args.lang), file=sys.stderr)
        return 1
    if summary.timed_out and not left.empty:
        print(left.message().render(args.lang), file=sys.stderr)
        return 1
    return 0


def _sync(args: argparse.Namespace, ctx: AppContext) -> int:
    delivery = open_delivery(ctx, server=args.server)
    try:
        summary: SyncSummary = delivery.sync.pull()
        if summary.error is None:
            _refresh_reference_data(delivery)
            kept = receipt_chore(ctx, delivery.port).run(delivery.sync.connection()).kept
            if kept and not args.json:
                print(text("sync.receipts_kept", args.lang, count=len(kept)))
    finally:
        delivery.close()
    if args.json:
        for notice in summary.finals:
            print(json.dumps({"id": notice.voucher_id, "status": notice.status.value,
                              "reason": notice.reason}, ensure_ascii=False))
        print(json.dumps({"applied": summary.applied, "moved": summary.moved,
                          "cursor": summary.cursor, "error": _render(summary.error, args)},
                         ensure_ascii=False))
    else:
        print(text("sync.done", args.lang, applied=summary.applied, moved=summary.moved))
    if summary.error is not None:
        print(summary.error.render(args.lang), file=sys.stderr)
        return 1
    return 0


def _refresh_reference_data(delivery: Delivery) -> None:
    """Balances and catalogues of this fiscal year, for offline use (best effort)."""
    try:
        delivery.refresh_reference(delivery.sync.connection())
    except (TreasuryFailure, ExpectedError) as error:  # a convenience: say so, do not fail
        print(str(error), file=sys.stderr)


def _render(message: Message | None, args: argparse.Namespace) -> str | None:
    return message.render(args.lang) if message is not None else None


class _Offline:
    """A port for commands that never call the server (``outbox list``)."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"outbox list does not call the treasury ({name})")
