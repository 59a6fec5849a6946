"""``voucher pdf ID... --out FILE.pdf [--sign --role ROLE]``: the vouchers on A4, as the
treasury prints them; with ``--sign`` the PDF is signed on the token (PAdES)."""

from __future__ import annotations

import argparse
from pathlib import Path

from treasury_desktop.cli.signing_cmd import open_modules, pin_for
from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError, text
from treasury_desktop.signing.errors import LoginCancelled
from treasury_desktop.usecases.printing import PrintService, treasury_roots, write_file


def register(voucher_commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``voucher pdf`` to the ``voucher`` command."""
    pdf = voucher_commands.add_parser("pdf", help="print vouchers to one PDF (A4)")
    pdf.add_argument("ids", nargs="+", metavar="ID")
    pdf.add_argument("--out", required=True, metavar="FILE", help="the PDF file to write")
    pdf.add_argument("--sign", action="store_true",
                     help="sign the PDF on the token (PAdES); a signed FILE gets one more")
    pdf.add_argument("--role", choices=[r.value for r in SignerRole])
    pdf.add_argument("--module", metavar="LIB", help="a PKCS#11 module file")
    pdf.add_argument("--token", metavar="LABEL", help="token label or serial")
    pdf.add_argument("--cert", metavar="SHA256", help="certificate fingerprint")
    pdf.set_defaults(handler=_pdf)


def _pdf(args: argparse.Namespace, ctx: AppContext) -> int:
    service = PrintService(ctx.connect(), treasury_roots(ctx.data_dir))
    out = Path(args.out)
    if not args.sign:
        service.write(args.ids, out)
        print(text("print.written", args.lang, path=str(out), count=len(args.ids)))
        return 0
    if args.role is None:
        raise ExpectedError("print.pades.role_needed")
    return _signed(args, ctx, service, out)


def _signed(args: argparse.Namespace, ctx: AppContext, service: PrintService, out: Path) -> int:
    from treasury_desktop.usecases.pdf_signing import PdfSigningService, signed_fields

    pdf = _existing(out, service, args.ids)
    role = SignerRole(args.role)
    with open_modules(ctx, args.module) as (executor, modules):
        signing = PdfSigningService(ctx.connect(), executor, modules)
        plan = signing.prepare(role, args.token, args.cert)
        summary = text("print.pades.summary", args.lang, token=plan.token_info.label,
                       holder=plan.certificate.holder_name, path=str(out))
        pin = pin_for(plan.token_info, summary, args.lang)
        try:
            signed = signing.sign(plan, pin, pdf)
        except LoginCancelled:
            raise ExpectedError("signing.cli.cancelled") from None
        finally:
            del pin
    write_file(out, signed)
    print(text("print.pades.signed", args.lang, path=str(out), count=len(signed_fields(signed))))
    return 0


def _existing(out: Path, service: PrintService, ids: list[str]) -> bytes:
    """The PDF to sign: FILE as it is when it already carries these vouchers' signatures (the
    next signer adds theirs), else a fresh printout."""
    from pyhanko.pdf_utils.misc import PdfReadError

    from treasury_desktop.usecases.pdf_signing import printed_ids, signed_fields

    if out.is_file():
        data = out.read_bytes()
        try:
            fields = signed_fields(data)
            held = printed_ids(data)
        except (PdfReadError, ValueError, KeyError, TypeError):  # not a PDF: print afresh
            return service.pdf(ids)
        if fields:
            if held != list(ids):
                raise ExpectedError("print.pades.other_vouchers", path=str(out))
            return data
    return service.pdf(ids)
