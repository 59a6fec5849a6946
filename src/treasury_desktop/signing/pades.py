"""PAdES: signing a PDF with the token (pyHanko), each signer as an incremental update.

pyHanko builds the CMS and the PDF signature dictionary; the raw signature comes from
:class:`TokenPdfSigner`, which hands the bytes to our token thread, so the private key never
leaves the token. The signature is PAdES baseline B-B (ETSI.CAdES.detached, SHA-256).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Sequence

from asn1crypto import algos, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

RawSign = Callable[[bytes], bytes]
"""Signs the DER of the signed attributes on the token (hashing included) and returns the
signature (DER for ECDSA)."""


class TokenPdfSigner(signers.Signer):
    """A pyHanko signer whose key stays on the token: every signature goes through ``sign``."""

    def __init__(self, sign: RawSign, certificate_der: bytes,
                 chain: Sequence[bytes] = ()) -> None:
        cert = x509.Certificate.load(certificate_der)
        algorithm = cert.public_key.algorithm
        if algorithm == "ec":
            mechanism = "sha256_ecdsa"
            size = 2 * ((cert.public_key.bit_size + 7) // 8) + 9  # DER r, s at their longest
        elif algorithm == "rsa":
            mechanism = "sha256_rsa"
            size = (cert.public_key.bit_size + 7) // 8
        else:
            raise ValueError(f"unsupported key {algorithm}")
        registry = SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [cert, *(x509.Certificate.load(der) for der in chain)])
        super().__init__(signing_cert=cert, cert_registry=registry, embed_roots=False,
                         signature_mechanism=algos.SignedDigestAlgorithm(
                             {"algorithm": mechanism}))
        self._sign = sign
        self._size = size

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
        """The token's signature over ``data`` (placeholder bytes for pyHanko's size check)."""
        if digest_algorithm != "sha256":
            raise ValueError(f"only SHA-256 is allowed, not {digest_algorithm}")
        if dry_run:
            return bytes(self._size)
        return await asyncio.to_thread(self._sign, data)


def signature_count(pdf: bytes) -> int:
    """How many signatures the PDF already carries."""
    return len(PdfFileReader(io.BytesIO(pdf)).embedded_signatures)


def sign_pdf(pdf: bytes, signer: TokenPdfSigner, *, field_name: str, name: str,
             reason: str, location: str = "") -> bytes:
    """``pdf`` with one more signature, appended as an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=name, reason=reason, location=location or None,
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer).sign_pdf(writer, output=out)
    return out.getvalue()
