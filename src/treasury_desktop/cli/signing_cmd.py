"""``tokens``, ``signers``, ``sign`` and ``export``: the signing commands."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.domain.canonical import voucher_bytes
from treasury_desktop.domain.money import format_vnd
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError, Lang, text
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.errors import LoginCancelled, PinState
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.token import TokenInfo, select_certificate, select_token
from treasury_desktop.store.signatures import SignatureStore, SignerRegistry
from treasury_desktop.usecases.signers import listing, record_from_token, refresh_from_treasury
from treasury_desktop.usecases.signing import SigningRequest, SigningService
from treasury_desktop.usecases.tokens import ModuleSet, TokenView, describe, module_paths
from treasury_desktop.usecases.trust import open_desk_trust

_ROLES = [r.value for r in SignerRole]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the signing commands."""
    tokens = commands.add_parser("tokens", help="list tokens and their certificates")
    tokens.add_argument("--module", metavar="LIB", help="a PKCS#11 module file")
    tokens.add_argument("--json", action="store_true")
    tokens.set_defaults(handler=_tokens)

    signers = commands.add_parser("signers", help="list or record the unit's signers")
    sub = signers.add_subparsers(dest="signers_command", metavar="ACTION")
    signers.set_defaults(handler=_signers_list, json=False)
    lst = sub.add_parser("list", help="list the registered signers")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_signers_list)
    add = sub.add_parser("add", help="record a certificate from a token for a role")
    add.add_argument("--role", required=True, choices=_ROLES)
    _token_options(add)
    add.set_defaults(handler=_signers_add)
    remove = sub.add_parser("remove", help="forget a certificate")
    remove.add_argument("sha256")
    remove.set_defaults(handler=_signers_remove)
    refresh = sub.add_parser("refresh", help="fetch the treasury's register of the unit's signers")
    refresh.add_argument("--server", metavar="URL", help="the sandbox or treasury address")
    refresh.set_defaults(handler=_signers_refresh)

    sign = commands.add_parser("sign", help="sign vouchers (PIN from TREASURY_PIN or asked)")
    sign.add_argument("ids", nargs="+", metavar="ID")
    sign.add_argument("--role", required=True, choices=_ROLES)
    _token_options(sign)
    sign.set_defaults(handler=_sign)

    export = commands.add_parser("export", help="write ID.json (signed bytes) and ID.p7s")
    export.add_argument("id", metavar="ID")
    export.add_argument("--out", required=True, metavar="DIR")
    export.set_defaults(handler=_export)


def _token_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--module", metavar="LIB", help="a PKCS#11 module file")
    parser.add_argument("--token", metavar="LABEL", help="token label or serial")
    parser.add_argument("--cert", metavar="SHA256", help="certificate fingerprint")


@contextmanager
def open_modules(
    ctx: AppContext, explicit: str | None
) -> Iterator[tuple[TokenExecutor, ModuleSet]]:
    _, profile = ctx.repositories()
    paths = module_paths(profile, explicit)
    with TokenExecutor() as executor:
        modules = executor.call(ModuleSet, paths)
        try:
            if explicit and modules.problems:
                problem = modules.problems[0].message
                raise ExpectedError(problem.key, **problem.params)
            yield executor, modules
        finally:
            executor.call(modules.close)


def _tokens(args: argparse.Namespace, ctx: AppContext) -> int:
    with open_modules(ctx, args.module) as (executor, modules):
        views = executor.call(lambda: describe(modules.tokens(), datetime.now(UTC)))
        problems = list(modules.problems)
    if args.json:
        print(json.dumps({
            "tokens": [_token_json(v, args.lang) for v in views],
            "module_problems": [
                {"module": p.path, "message": p.message.render(args.lang)} for p in problems
            ],
        }, ensure_ascii=False, indent=2))
        return 0
    for problem in problems:
        print(problem.message.render(args.lang), file=sys.stderr)
    if not views:
        print(text("signing.token.none", args.lang))
        return 0
    for view in views:
        info = view.info
        state = text(f"signing.pin_state.{info.pin_state.value}", args.lang)
        print(f"{info.label}  serial {info.serial}  {info.manufacturer} {info.model}  [{state}]")
        for cert in view.certificates:
            c = cert.info
            mark = "✓" if cert.refusal is None else "✗"
            print(f"  {mark} {c.holder_name} — {c.organisation}  ({c.issuer_name})")
            print(f"    {c.key_type}  serial {c.serial}  "
                  f"{c.not_before:%d/%m/%Y} – {c.not_after:%d/%m/%Y}  SHA-256 {c.sha256}")
            if cert.refusal is not None:
                print(f"    {cert.refusal.render(args.lang)}")
            elif cert.expires_soon:
                print("    " + text("signing.cert.expires_soon", args.lang,
                                    holder=c.holder_name, date=f"{c.not_after:%d/%m/%Y}"))
    return 0


def _token_json(view: TokenView, lang: str) -> dict[str, object]:
    info = view.info
    return {
        "label": info.label, "serial": info.serial, "manufacturer": info.manufacturer,
        "model": info.model, "module": info.module_path, "pin_state": info.pin_state.value,
        "pin_pad": info.protected_auth_path,
        "certificates": [
            {
                "holder": c.info.holder_name, "organisation": c.info.organisation,
                "issuer": c.info.issuer_name, "serial": c.info.serial,
                "not_before": c.info.not_before.isoformat(),
                "not_after": c.info.not_after.isoformat(), "key_type": c.info.key_type,
                "sha256": c.info.sha256, "usable": c.refusal is None,
                "reason": c.refusal.render(lang) if c.refusal else None,  # type: ignore[arg-type]
                "expires_soon": c.expires_soon,
            }
            for c in view.certificates
        ],
    }


def _signers_list(args: argparse.Namespace, ctx: AppContext) -> int:
    listed = listing(ctx.connect())
    if args.json:
        for row in listed.signers:
            s = row.signer
            print(json.dumps({"sha256": s.cert_sha256, "role": s.role.value,
                              "holder": s.holder_name, "token": s.token_label,
                              "source": s.source, "in_register": row.in_register},
                             ensure_ascii=False))
        return 0
    for row in listed.signers:
        s = row.signer
        role = text(f"role.{s.role.value}", args.lang)
        source = text(f"signing.signers.source.{_source_key(s.source)}", args.lang)
        print(f"{role:<16} {s.holder_name:<28} {s.cert_sha256}  {source}  {s.token_label}")
        if row.warning is not None:
            print(f"  ! {row.warning.render(args.lang)}", file=sys.stderr)
    return 0


def _source_key(source: str) -> str:
    return source if source in ("local", "treasury", "demo") else "other"


def _signers_refresh(args: argparse.Namespace, ctx: AppContext) -> int:
    from treasury_desktop.api.port import TreasuryFailure
    from treasury_desktop.delivery import open_port

    port, unit = open_port(ctx, args.server)
    try:
        done = refresh_from_treasury(ctx.connect(), port, unit, ctx.actor)
    except TreasuryFailure as error:
        raise ExpectedError("signing.signers.refresh_failed", detail=error.described()) from None
    finally:
        port.close()
    for signer in done.added:
        print(f"+ {text(f'role.{signer.role.value}', args.lang)}: {signer.holder_name} "
              f"{signer.cert_sha256}")
    for signer in done.removed:
        print(f"- {text(f'role.{signer.role.value}', args.lang)}: {signer.holder_name} "
              f"{signer.cert_sha256}")
    for fingerprint in done.refused:
        print(text("signing.signers.bad_entry", args.lang, fingerprint=fingerprint),
              file=sys.stderr)
    print(done.message.render(args.lang))
    return _signers_list(argparse.Namespace(json=False, lang=args.lang), ctx)


def _signers_add(args: argparse.Namespace, ctx: AppContext) -> int:
    role = SignerRole(args.role)
    with open_modules(ctx, args.module) as (executor, modules):
        def pick() -> tuple[TokenInfo, CertificateInfo]:
            token = select_token(modules.tokens(), args.token)
            return token.info(), select_certificate(token.certificates(), args.cert)

        info, cert = executor.call(pick)
    record_from_token(SignerRegistry(ctx.connect()), info, cert, role, ctx.actor,
                      datetime.now(UTC))
    print(f"{text(f'role.{role.value}', args.lang)}: {cert.holder_name} {cert.sha256}")
    return 0


def _signers_remove(args: argparse.Namespace, ctx: AppContext) -> int:
    removed = SignerRegistry(ctx.connect()).remove(args.sha256, actor=ctx.actor)
    if not removed:
        raise ExpectedError("signing.cert.not_found", fingerprint=args.sha256[:16])
    return 0


def _read_pin(plan_text: str) -> str:
    pin = os.environ.get("TREASURY_PIN")
    if pin is not None:
        return pin
    if not sys.stdin.isatty():
        raise ExpectedError("signing.pin.no_terminal")
    print(plan_text, file=sys.stderr)
    return getpass.getpass("PIN: ")


def pin_for(info: TokenInfo, summary: str, lang: Lang) -> str | None:
    """The PIN for one login: None on a PIN pad, else TREASURY_PIN or a prompt without echo.

    Never retried: a script must not spend the last tries with a PIN that already failed.
    """
    if info.protected_auth_path:
        pad = text("signing.pin.pad_prompt", lang, token=info.label)
        print(f"{summary}\n{pad}", file=sys.stderr)
        return None
    from_env = os.environ.get("TREASURY_PIN") is not None
    if from_env and info.pin_state in (PinState.COUNT_LOW, PinState.FINAL_TRY):
        raise ExpectedError("signing.pin.env_after_failure", token=info.label)
    pin = _read_pin(summary)
    if not pin:
        raise ExpectedError("signing.pin.empty")
    return pin


def _sign(args: argparse.Namespace, ctx: AppContext) -> int:
    role = SignerRole(args.role)
    conn = ctx.connect()
    _, profile = ctx.repositories(conn)
    trust = open_desk_trust(ctx.data_dir, profile)
    with open_modules(ctx, args.module) as (executor, modules), closing(trust):
        service = SigningService(conn, executor, modules, ctx.actor, catalog=ctx.catalog,
                                 trust=trust.checker, timestamper=trust.timestamper)
        plan = service.prepare(SigningRequest(tuple(args.ids), role, args.token, args.cert))
        for voucher_id, reason in plan.refused:
            print(f"{voucher_id}: {reason.render(args.lang)}", file=sys.stderr)
        for warning in plan.warnings:
            print(warning.render(args.lang), file=sys.stderr)
        summary = text(
            "signing.cli.summary", args.lang, token=plan.token_info.label,
            holder=plan.certificate.holder_name, count=len(plan.items),
            total=format_vnd(plan.total),
            state=text(f"signing.pin_state.{plan.token_info.pin_state.value}", args.lang),
        )
        pin = pin_for(plan.token_info, summary, args.lang)
        try:
            result = service.execute(plan, pin)
        except LoginCancelled:
            raise ExpectedError("signing.cli.cancelled") from None
        finally:
            del pin
    for voucher_id in result.signed:
        print(voucher_id)
    for voucher_id, reason in result.failed:
        print(f"{voucher_id}: {reason.render(args.lang)}", file=sys.stderr)
    for voucher_id in result.not_attempted:
        print(f"{voucher_id}: {text('signing.cli.not_attempted', args.lang)}", file=sys.stderr)
    if result.not_timestamped:
        print(text("trust.timestamp.later", args.lang, count=len(result.not_timestamped)),
              file=sys.stderr)
    print(text("signing.cli.done", args.lang, signed=len(result.signed),
               total=len(plan.items) + len(plan.refused)), file=sys.stderr)
    return 0 if len(result.signed) == len(plan.items) and not plan.refused else 1


def _export(args: argparse.Namespace, ctx: AppContext) -> int:
    conn = ctx.connect()
    repo, _ = ctx.repositories(conn)
    stored = repo.get(args.id)
    if stored is None:
        raise ExpectedError("store.not_found", id=args.id)
    cms = SignatureStore(conn).latest_cms(args.id)
    if cms is None:
        raise ExpectedError("signing.export.unsigned", number=stored.voucher.number or args.id)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{args.id}.json").write_bytes(voucher_bytes(stored.voucher))
        (out / f"{args.id}.p7s").write_bytes(cms)
    except OSError as error:
        raise ExpectedError("cli.file_unwritable", path=str(out), reason=error.strerror) from None
    print(out / f"{args.id}.json")
    print(out / f"{args.id}.p7s")
    return 0

