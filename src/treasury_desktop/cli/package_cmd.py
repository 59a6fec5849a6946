"""``package export|import|list|desk``: vouchers travelling between desks as files."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError, Lang, text
from treasury_desktop.signing.errors import LoginCancelled, PinState
from treasury_desktop.usecases.package_arrivals import arrivals, needs, refusal
from treasury_desktop.usecases.package_export import PackageExporter, desk_identity, rename_desk
from treasury_desktop.usecases.package_import import ImportResult, importer_for

_ROLES = [r.value for r in SignerRole]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``package``."""
    package = commands.add_parser("package", help="send vouchers to another desk as a file")
    sub = package.add_subparsers(dest="package_command", metavar="ACTION", required=True)
    export = sub.add_parser("export", help="write the vouchers into one package file")
    export.add_argument("ids", nargs="+", metavar="ID")
    export.add_argument("--out", required=True, metavar="FILE",
                        help="the package file, or a folder to put a new one in")
    export.add_argument("--sign", action="store_true", help="sign the manifest with a token")
    export.add_argument("--role", choices=_ROLES, help="the sender's role (with --sign)")
    export.add_argument("--module", metavar="LIB", help="a PKCS#11 module file")
    export.add_argument("--token", metavar="LABEL", help="token label or serial")
    export.add_argument("--cert", metavar="SHA256", help="certificate fingerprint")
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=_export)
    imp = sub.add_parser("import", help="receive a package from another desk")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=_import)
    lst = sub.add_parser("list", help="what arrived from other desks, and what it needs")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_list)
    desk = sub.add_parser("desk", help="show or set this desk's name")
    desk.add_argument("--name", help="the name other desks see")
    desk.set_defaults(handler=_desk)


def _now() -> datetime:
    return datetime.now(UTC)


def _export(args: argparse.Namespace, ctx: AppContext) -> int:
    if args.sign and not args.role:
        print(text("package.cli.role_needed", args.lang), file=sys.stderr)
        return 2
    exporter = PackageExporter(ctx.connect(), ctx.actor, _now)
    prepared = exporter.prepare(args.ids)
    for voucher_id, reason in prepared.refused:
        print(f"{voucher_id}: {reason.render(args.lang)}", file=sys.stderr)
    signature = _sign_manifest(args, ctx, prepared.manifest_bytes) if args.sign else None
    result = exporter.write(prepared, Path(args.out), signature)
    if args.json:
        print(json.dumps({
            "path": str(result.path), "package_id": result.package_id,
            "exported": list(result.exported), "size": result.size, "signed": result.signed,
            "refused": [{"voucher_id": v, "reason": m.render(args.lang)}
                        for v, m in result.refused],
        }, ensure_ascii=False))
    else:
        print(text("package.cli.exported", args.lang, path=str(result.path),
                   count=len(result.exported), size=result.size))
    return 0 if not result.refused else 1


def _sign_manifest(args: argparse.Namespace, ctx: AppContext, manifest: bytes) -> bytes:
    from treasury_desktop.cli.signing_cmd import _read_pin, open_modules
    from treasury_desktop.usecases.package_sender import ManifestSigner

    role = SignerRole(args.role)
    with open_modules(ctx, args.module) as (executor, modules):
        signer = ManifestSigner(ctx.connect(), executor, modules, _now)
        plan = signer.prepare(role, args.token, args.cert)
        pin: str | None = None
        if not plan.token_info.protected_auth_path:
            if (os.environ.get("TREASURY_PIN") is not None
                    and plan.token_info.pin_state in (PinState.COUNT_LOW, PinState.FINAL_TRY)):
                raise ExpectedError("signing.pin.env_after_failure", token=plan.token_info.label)
            pin = _read_pin(text("package.cli.signed_by", args.lang,
                                 holder=plan.certificate.holder_name,
                                 role=text(f"role.{role.value}", args.lang)))
            if not pin:
                raise ExpectedError("signing.pin.empty")
        try:
            return signer.sign(plan, pin, manifest)
        except LoginCancelled:
            raise ExpectedError("signing.cli.cancelled") from None
        finally:
            del pin


def _import(args: argparse.Namespace, ctx: AppContext) -> int:
    conn = ctx.connect()
    result = importer_for(conn, ctx.drafting(conn), ctx.actor, _now).import_file(Path(args.file))
    if args.json:
        print(json.dumps(import_json(result, args.lang), ensure_ascii=False))
    else:
        _print_import(result, args.lang)
    return 0 if all(item.ok for item in result.items) else 1


def import_json(result: ImportResult, lang: Lang) -> dict[str, object]:
    """The import's outcome as JSON (``--json``)."""
    sender = result.sender
    return {
        "package_id": result.package_id,
        "desk": {"id": result.desk.id, "name": result.desk.name},
        "created_at": result.created_at,
        "sender": None if sender is None else {
            "holder": sender.holder_name, "role": sender.role.value,
            "registered": sender.registered,
        },
        "read_before": result.read_before,
        "items": [
            {"voucher_id": i.voucher_id, "number": i.number, "outcome": i.outcome.value,
             "ok": i.ok, "message": i.message.render(lang),
             "roles": [r.value for r in i.roles], "queued_elsewhere": i.queued_elsewhere}
            for i in result.items
        ],
    }


def _print_import(result: ImportResult, lang: Lang) -> None:
    print(text("package.cli.from", lang, package=result.package_id, desk=result.desk.name,
               created=result.created_at))
    sender = result.sender
    if sender is None:
        print(text("package.cli.unsigned", lang))
    else:
        note = "" if sender.registered else text("package.cli.sender_unregistered", lang)
        print(text("package.cli.sender", lang, holder=sender.holder_name,
                   role=text(f"role.{sender.role.value}", lang), note=note))
    if result.read_before:
        print(text("package.cli.read_before", lang))
    for item in result.items:
        stream = sys.stdout if item.ok else sys.stderr
        extra = f" [{text('package.needs.queued_elsewhere', lang)}]" \
            if item.queued_elsewhere else ""
        print(f"{item.voucher_id}  {item.message.render(lang)}{extra}",
              file=stream)
    ok = sum(1 for item in result.items if item.ok)
    print(text("package.cli.summary", lang, ok=ok, total=len(result.items),
               refused=len(result.items) - ok))


def _list(args: argparse.Namespace, ctx: AppContext) -> int:
    rows = arrivals(ctx.connect())
    if args.json:
        for row in rows:
            reason = refusal(row)
            print(json.dumps({
                "voucher_id": row.voucher_id, "number": row.number, "total": row.total,
                "status": row.status.value if row.status else None, "desk": row.desk_name,
                "sender": row.sender, "arrived_at": row.arrived_at, "outcome": row.outcome,
                "reason": reason.render(args.lang) if reason else "",
                "queued_elsewhere": row.queued_elsewhere, "in_outbox": row.in_outbox,
                "needs": needs(row).render(args.lang),
            }, ensure_ascii=False))
        return 0
    if not rows:
        print(text("package.cli.no_arrivals", args.lang))
    for row in rows:
        print(f"{row.arrived_at[:16]}  {row.desk_name:<20} {row.number:<8} {row.total:>14,}  "
              f"{text(f'package.outcome.{row.outcome}', args.lang):<18} "
              f"{needs(row).render(args.lang)}")
    return 0


def _desk(args: argparse.Namespace, ctx: AppContext) -> int:
    _, profile = ctx.repositories()
    desk = rename_desk(profile, args.name) if args.name else desk_identity(profile)
    print(f"{desk.name}  ({desk.id})")
    return 0
