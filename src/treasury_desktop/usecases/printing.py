"""Printing vouchers (in chứng từ): the stored voucher, its stamps and the treasury's part,
laid out by the one renderer into one PDF (each voucher from a new page)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from treasury_desktop import paths
from treasury_desktop.domain.canonical import content_hash, voucher_bytes
from treasury_desktop.domain.voucher import Voucher, to_document
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.printing.job import PrintJob, TreasuryPart
from treasury_desktop.printing.layout import find_layout
from treasury_desktop.printing.render import render_pdf
from treasury_desktop.printing.stamps import Stamp, stamps_from_cms
from treasury_desktop.signing.receipt import ReceiptInvalid, verify_receipt
from treasury_desktop.store.office_names import OfficeNameStore
from treasury_desktop.store.receipts import ReceiptStore
from treasury_desktop.store.signatures import SignatureStore
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.usecases.office_names import office_codes


def treasury_roots(data_dir: Path) -> list[bytes]:
    """The treasury roots (DER) whose receipts this desk accepts: shipped and added ones."""
    found: list[bytes] = []
    shipped = paths.resources_dir() / "trust" / "treasury"
    for folder in (shipped, paths.treasury_trust_dir(data_dir)):
        for file in sorted(folder.glob("*")) if folder.is_dir() else ():
            raw = file.read_bytes()
            try:
                cert = (x509.load_pem_x509_certificate(raw) if b"-----BEGIN" in raw
                        else x509.load_der_x509_certificate(raw))
            except ValueError:
                continue  # not a certificate: a README or a stray file
            found.append(cert.public_bytes(Encoding.DER))
    return found


class PrintService:
    """Builds print jobs from the store and renders them."""

    def __init__(self, conn: sqlite3.Connection, trusted_roots: Sequence[bytes] = ()) -> None:
        self._repo = SqliteVoucherRepository(conn)
        self._signatures = SignatureStore(conn)
        self._receipts = ReceiptStore(conn)
        self._office_names = OfficeNameStore(conn)
        self._roots = tuple(trusted_roots)

    def job(self, voucher_id: str) -> PrintJob:
        """One voucher's print job; ExpectedError when it does not exist or has no layout."""
        stored = self._repo.get(voucher_id)
        if stored is None:
            raise ExpectedError("store.not_found", id=voucher_id)
        voucher = stored.voucher
        layout = find_layout(voucher.form)
        if layout is None:
            raise ExpectedError("print.no_layout", form=voucher.form)
        signed_bytes = voucher_bytes(voucher)
        digest = content_hash(signed_bytes)
        stamps = stamps_from_cms(signed_bytes, self._signatures.latest_cms(voucher.id),
                                 voucher.unit.name)
        roles = tuple(s.role for b in layout.blocks for s in b.signers if s.role)
        return PrintJob(self._document(voucher), digest, tuple(stamps), roles_required=roles,
                        treasury=self._treasury_part(voucher, digest))

    def _document(self, voucher: Voucher) -> dict[str, object]:
        """The document to lay out: the signed one, with the office names the voucher was
        drafted with beside it (``office_names``, printed after their codes; not signed)."""
        document: dict[str, object] = to_document(voucher)
        kept = self._office_names.kept(voucher.id)
        codes = office_codes(voucher)
        names = {field.replace(".", "_"): k.name for field, k in kept.items()
                 if codes.get(field) == k.code}
        if names:
            document["office_names"] = names
        return document

    def _treasury_part(self, voucher: Voucher, digest: str) -> TreasuryPart | None:
        """The treasury's part from its kept receipt, verified again (offline) before use."""
        envelope = self._receipts.envelope(voucher.id)
        if envelope is None:
            return None
        try:
            receipt = verify_receipt(envelope, voucher_id=voucher.id, unit=voucher.unit.code,
                                     content_hash=digest, trusted_roots=self._roots)
        except ReceiptInvalid:
            return None
        organisation = receipt.signer_organisation or f"KBNN {receipt.treasury}"
        officers = tuple(Stamp(role=o.title, name=o.name, signed_at=o.signed_at, title=o.title,
                               organisation=organisation, serial=receipt.signer_serial)
                         for o in receipt.officers)
        return TreasuryPart(receipt.reference, receipt.dossier, receipt.accounting_date,
                            officers)

    def pdf(self, voucher_ids: Sequence[str]) -> bytes:
        """The PDF of these vouchers, in the order given."""
        jobs = [self.job(voucher_id) for voucher_id in voucher_ids]
        return render_pdf(jobs, title="Chứng từ", keywords=" ".join(j.qr_text for j in jobs))

    def write(self, voucher_ids: Sequence[str], out: Path) -> Path:
        """Render and write the PDF; ExpectedError when the file cannot be written."""
        write_file(out, self.pdf(voucher_ids))
        return out


def write_file(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out``; ExpectedError (a plain sentence) when that fails."""
    try:
        out.write_bytes(data)
    except OSError as error:
        raise ExpectedError("cli.file_unwritable", path=str(out), reason=error.strerror) from None
