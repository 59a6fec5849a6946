"""``audit verify``: check the audit log's hash chain and say where it breaks."""

from __future__ import annotations

import argparse
import sys

from treasury_desktop.context import AppContext
from treasury_desktop.i18n import text
from treasury_desktop.store.audit_chain import AuditChainBroken, verify_chain
from treasury_desktop.store.db import connect


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit`` and its subcommand."""
    audit = commands.add_parser("audit", help="the tamper-evident audit log")
    sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="check the hash chain; exit 1 where it breaks")
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace, ctx: AppContext) -> int:
    # The file is opened without the context's own chain check: this command reports the
    # break instead of being refused by it.
    conn = connect(ctx.database_path)
    try:
        report = verify_chain(conn)
    finally:
        conn.close()
    if report.broken is not None:
        print(AuditChainBroken(report.broken).message.render(args.lang), file=sys.stderr)
        return 1
    print(text("audit.intact", args.lang, entries=report.entries, head=report.head))
    return 0
