"""Trust anchors (chứng thư gốc tin cậy): the certificates a signing chain must end at.

Shipped anchors are PEM files in ``resources/trust/``, each with its source and fingerprint
noted in the comment lines above the certificate. The user adds more (``trust add FILE``, the
settings dialog, or the treasury's list), kept as ``<sha256>.pem`` in the data folder's
``trust/anchors/``; removing a shipped anchor records its fingerprint in ``trust/removed.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.certificates import sha256_hex

_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


class AnchorSource(StrEnum):
    """Where an anchor came from."""

    SHIPPED = "shipped"  # resources/trust/, with the app
    USER = "user"  # trust add, or the settings dialog
    TREASURY = "treasury"  # the treasury's catalogue of trusted CAs


@dataclass(frozen=True)
class TrustAnchor:
    """One trusted CA certificate."""

    der: bytes
    sha256: str
    subject: str
    not_after: str
    source: AnchorSource
    note: str = ""

    @classmethod
    def from_der(cls, der: bytes, source: AnchorSource, note: str = "") -> TrustAnchor:
        """Describe a DER certificate as an anchor."""
        cert = x509.load_der_x509_certificate(der)
        return cls(
            der, sha256_hex(der), cert.subject.rfc4514_string(),
            cert.not_valid_after_utc.date().isoformat(), source, note,
        )

    def certificate(self) -> x509.Certificate:
        """The parsed certificate."""
        return x509.load_der_x509_certificate(self.der)

    @property
    def name(self) -> str:
        """The common name (the subject when it has none)."""
        names = self.certificate().subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.subject


def certificates_in(raw: bytes) -> list[bytes]:
    """The DER certificates in a PEM file (one or more blocks) or a DER file.

    Raises ExpectedError ``trust.file.not_certificate`` when there is none.
    """
    try:
        blocks = _PEM_BLOCK.findall(raw)
        if blocks:
            return [
                x509.load_pem_x509_certificate(block).public_bytes(Encoding.DER)
                for block in blocks
            ]
        return [x509.load_der_x509_certificate(raw).public_bytes(Encoding.DER)]
    except ValueError:
        raise ExpectedError("trust.file.not_certificate") from None


def _note_of(raw: bytes) -> str:
    for line in raw.decode("utf-8", "replace").splitlines():
        if line.startswith("# Source:"):
            return line[len("# Source:"):].strip()
    return ""


def _pem(der: bytes) -> bytes:
    return x509.load_der_x509_certificate(der).public_bytes(Encoding.PEM)


class TrustStore:
    """The anchors of one desk: shipped ones (minus removed ones) and the user's own."""

    def __init__(self, shipped_dir: Path, user_dir: Path) -> None:
        self._shipped_dir = shipped_dir
        self._user_dir = user_dir

    @property
    def _anchors_dir(self) -> Path:
        return self._user_dir / "anchors"

    @property
    def _removed_file(self) -> Path:
        return self._user_dir / "removed.txt"

    def _removed(self) -> set[str]:
        if not self._removed_file.is_file():
            return set()
        return {line.strip() for line in self._removed_file.read_text().splitlines() if line}

    def anchors(self) -> tuple[TrustAnchor, ...]:
        """Every anchor in force, shipped first, each once."""
        found: dict[str, TrustAnchor] = {}
        removed = self._removed()
        for folder, source in ((self._shipped_dir, AnchorSource.SHIPPED),
                               (self._anchors_dir, None)):
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.pem")):
                raw = path.read_bytes()
                note = _note_of(raw)
                kind = source or (
                    AnchorSource.TREASURY if note == AnchorSource.TREASURY.value
                    else AnchorSource.USER
                )
                for der in certificates_in(raw):
                    anchor = TrustAnchor.from_der(der, kind, note)
                    if anchor.sha256 not in removed:
                        found.setdefault(anchor.sha256, anchor)
        return tuple(found.values())

    def add(self, raw: bytes, source: AnchorSource = AnchorSource.USER) -> list[TrustAnchor]:
        """Trust every certificate in ``raw`` (PEM or DER); returns those added.

        Only CA certificates can be anchors: an end-entity certificate is refused.
        """
        added = []
        ders = certificates_in(raw)
        for der in ders:
            cert = x509.load_der_x509_certificate(der)
            try:
                is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
            except x509.ExtensionNotFound:
                is_ca = False
            if not is_ca:
                raise ExpectedError("trust.file.not_ca", subject=cert.subject.rfc4514_string())
        removed = self._removed()
        for der in ders:
            anchor = TrustAnchor.from_der(der, source, source.value)
            if anchor.sha256 in removed:  # a shipped anchor the user trusts again
                removed.discard(anchor.sha256)
                self._write_removed(removed)
                added.append(anchor)
                continue
            if any(a.sha256 == anchor.sha256 for a in self.anchors()):
                continue
            self._anchors_dir.mkdir(parents=True, exist_ok=True)
            header = f"# Source: {source.value}\n".encode()
            (self._anchors_dir / f"{anchor.sha256}.pem").write_bytes(header + _pem(der))
            added.append(anchor)
        return added

    def remove(self, fingerprint: str) -> TrustAnchor:
        """Stop trusting the anchor with this SHA-256 (full, or a unique prefix of 8+)."""
        wanted = fingerprint.strip().lower().replace(":", "")
        matches = [a for a in self.anchors() if a.sha256.startswith(wanted)]
        if len(wanted) < 8 or len(matches) != 1:
            raise ExpectedError("trust.remove.not_found", sha256=fingerprint)
        anchor = matches[0]
        own = self._anchors_dir / f"{anchor.sha256}.pem"
        if own.is_file():
            own.unlink()
        if anchor.source is AnchorSource.SHIPPED:
            self._write_removed(self._removed() | {anchor.sha256})
        return anchor

    def _write_removed(self, fingerprints: set[str]) -> None:
        self._user_dir.mkdir(parents=True, exist_ok=True)
        valid = sorted(f for f in fingerprints if _FINGERPRINT.match(f))
        self._removed_file.write_text("".join(f"{f}\n" for f in valid))
