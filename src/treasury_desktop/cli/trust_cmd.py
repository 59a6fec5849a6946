"""``trust list | add FILE | remove SHA256``: the desk's trusted CA certificates."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.i18n import ExpectedError, text
from treasury_desktop.usecases.trust import open_trust_store, refresh_from_treasury


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``trust`` command group."""
    trust = commands.add_parser("trust", help="trusted CA certificates (trust anchors)")
    sub = trust.add_subparsers(dest="trust_command", metavar="ACTION")
    trust.set_defaults(handler=_list, json=False)
    lst = sub.add_parser("list", help="subject and SHA-256 fingerprint of each anchor")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_list)
    add = sub.add_parser("add", help="trust the CA certificate(s) in a PEM or DER file")
    add.add_argument("file", metavar="FILE")
    add.set_defaults(handler=_add)
    remove = sub.add_parser("remove", help="stop trusting an anchor")
    remove.add_argument("sha256", metavar="SHA256")
    remove.set_defaults(handler=_remove)
    refresh = sub.add_parser("refresh", help="trust the CAs in the treasury's catalogue")
    refresh.add_argument("--server", metavar="URL", help="the sandbox or treasury address")
    refresh.set_defaults(handler=_refresh)


def _list(args: argparse.Namespace, ctx: AppContext) -> int:
    anchors = open_trust_store(ctx.data_dir).anchors()
    if args.json:
        print(json.dumps([
            {"subject": a.subject, "sha256": a.sha256, "not_after": a.not_after,
             "source": a.source.value}
            for a in anchors
        ], ensure_ascii=False, indent=2))
        return 0
    if not anchors:
        print(text("trust.list.empty", args.lang))
    for anchor in anchors:
        source = text(f"trust.source.{anchor.source.value}", args.lang)
        print(f"{anchor.sha256}  {anchor.subject}  (→ {anchor.not_after}; {source})")
    return 0


def _add(args: argparse.Namespace, ctx: AppContext) -> int:
    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ExpectedError("trust.file.unreadable", path=str(path),
                            reason=error.strerror or type(error).__name__) from None
    added = open_trust_store(ctx.data_dir).add(raw)
    if not added:
        print(text("trust.already", args.lang))
    for anchor in added:
        print(text("trust.added", args.lang, subject=anchor.subject, sha256=anchor.sha256))
    return 0


def _remove(args: argparse.Namespace, ctx: AppContext) -> int:
    anchor = open_trust_store(ctx.data_dir).remove(args.sha256)
    print(text("trust.removed", args.lang, subject=anchor.subject))
    return 0


def _refresh(args: argparse.Namespace, ctx: AppContext) -> int:
    from treasury_desktop.api.port import TreasuryFailure
    from treasury_desktop.delivery import open_port

    port, _unit = open_port(ctx, args.server)
    try:
        done = refresh_from_treasury(open_trust_store(ctx.data_dir), port,
                                     datetime.now(UTC).year)
    except TreasuryFailure as error:
        raise ExpectedError("trust.refresh.failed", detail=error.described()) from None
    finally:
        port.close()
    for anchor in done.added:
        print(text("trust.added", args.lang, subject=anchor.subject, sha256=anchor.sha256))
    for code in done.refused:
        print(text("trust.refresh.refused", args.lang, sha256=code[:16]), file=sys.stderr)
    print(text("trust.refresh.done", args.lang, added=len(done.added), known=done.known))
    return 0 if not done.refused else 1
