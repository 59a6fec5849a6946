"""A three-level PKI made by the tests: root → intermediate (sub-CA) → signers and a TSA, the way
Vietnamese public CAs issue; plus broken intermediates (expired, not a CA), and signatures made
with leaf keys held on a SoftHSM2 token of its own (in a child process, so the session's
SoftHSM2 configuration is never touched).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.sandbox.tsa import TimeStampAuthority
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.testca import SoftwareCA
from treasury_desktop.signing.token import SignatureAlgorithm

Key = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
NOW = datetime.now(UTC).replace(microsecond=0)
CHILD = Path(__file__).with_name("softhsm_child.py")


def _name(cn: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Levels Test"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def _save(folder: Path, stem: str, cert: x509.Certificate, key: Key) -> SoftwareCA:
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / f"{stem}.pem", folder / f"{stem}.key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return SoftwareCA(cert_path, key_path, cert.public_bytes(serialization.Encoding.DER))


def make_ca(folder: Path, cn: str, issuer: SoftwareCA | None = None, *,
            path_length: int | None = None, is_ca: bool = True,
            not_before: datetime | None = None, not_after: datetime | None = None) -> SoftwareCA:
    """A CA certificate (self-signed when ``issuer`` is None) saved as ``<cn>.pem``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issuer_key: Key = key if issuer is None else issuer.private_key()
    issuer_name = _name(cn) if issuer is None else issuer.certificate().subject
    builder = (
        x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(issuer_name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - timedelta(days=900))
        .not_valid_after(not_after or NOW + timedelta(days=3000))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=path_length if is_ca
                                             else None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                     False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),  # type: ignore[arg-type]
            critical=False)
    cert = builder.sign(issuer_key, hashes.SHA256())
    return _save(folder, cn.replace(" ", "-").lower(), cert, key)


def issue_leaf(ca: SoftwareCA, key: Key, holder: str, *, not_before: datetime | None = None,
               not_after: datetime | None = None) -> bytes:
    """A signer's certificate (digitalSignature, nonRepudiation) issued by ``ca``."""
    issuer_key = ca.private_key()
    cert = (
        x509.CertificateBuilder().subject_name(_name(holder))
        .issuer_name(ca.certificate().subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - timedelta(days=100))
        .not_valid_after(not_after or NOW + timedelta(days=600))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                     False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            issuer_key.public_key()), critical=False)  # type: ignore[arg-type]
        .sign(issuer_key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def issue_tsa(ca: SoftwareCA, *, eku: tuple[x509.ObjectIdentifier, ...] = (
        ExtendedKeyUsageOID.TIME_STAMPING,), critical: bool = True,
              ) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A time-stamping unit's key and certificate issued by ``ca``."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(_name("Levels Test TSA"))
        .issuer_name(ca.certificate().subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=400)).not_valid_after(NOW + timedelta(days=900))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                     False), critical=True)
        .add_extension(x509.ExtendedKeyUsage(list(eku)), critical=critical)
        .sign(ca.private_key(), hashes.SHA256())
    )
    return key, cert


@dataclass(frozen=True)
class Levels:
    """Root → intermediate, and a second intermediate that is expired, and a 'CA' that is not."""

    root: SoftwareCA
    intermediate: SoftwareCA
    expired: SoftwareCA
    not_a_ca: SoftwareCA
    stranger: SoftwareCA  # a root nobody trusts

    def ca_file(self, folder: Path, *cas: SoftwareCA) -> Path:
        """A PEM bundle of ``cas`` for ``openssl -CAfile``."""
        path = folder / "cafile.pem"
        path.write_bytes(b"".join(ca.cert_path.read_bytes() for ca in cas))
        return path


def make_levels(folder: Path) -> Levels:
    root = make_ca(folder, "Levels Root CA", path_length=1)
    return Levels(
        root,
        make_ca(folder, "Levels Sub CA", root, path_length=0),
        make_ca(folder, "Levels Old Sub CA", root, path_length=0,
                not_before=NOW - timedelta(days=900), not_after=NOW - timedelta(days=3)),
        make_ca(folder, "Levels Fake Sub CA", root, is_ca=False),
        make_ca(folder, "Levels Stranger Root", path_length=1),
    )


@dataclass(frozen=True)
class TokenSignature:
    """A detached CMS made on the SoftHSM2 token, and the signer's certificate (DER)."""

    cms_der: bytes
    certificate_der: bytes


def sign_on_softhsm(folder: Path, content: bytes,
                    signers: list[tuple[SoftwareCA, str, list[bytes]]],
                    when: datetime = NOW) -> list[TokenSignature]:
    """For each (issuing CA, holder, CA certificates to carry): a key generated on a SoftHSM2
    token of a configuration under ``folder``, its certificate from the CA, and a chief
    accountant's signature over ``content`` made by the token (RSA-2048, PKCS#1 v1.5)."""
    request = {
        "folder": str(folder), "content": content.hex(), "when": when.isoformat(),
        "signers": [{"ca_cert": str(ca.cert_path), "ca_key": str(ca.key_path),
                     "ca_der": ca.cert_der.hex(), "holder": holder,
                     "chain": [c.hex() for c in chain]} for ca, holder, chain in signers],
    }
    env = {k: v for k, v in os.environ.items() if k != "SOFTHSM2_CONF"}
    done = subprocess.run([sys.executable, str(CHILD)], input=json.dumps(request), env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return [TokenSignature(bytes.fromhex(s["cms"]), bytes.fromhex(s["certificate"]))
            for s in json.loads(done.stdout)]


SIGNED_AT = NOW - timedelta(days=20)  # the signers' certificates were valid then
EXPIRED_ON = NOW - timedelta(days=10)  # and expired on this day


class DirectTsa:
    """The sandbox TSA asked without HTTP; with ``other_digest`` it stamps something else."""

    def __init__(self, tsa: TimeStampAuthority, other_digest: bytes | None = None) -> None:
        self._tsa = tsa
        self._other = other_digest

    def stamp(self, digest: bytes) -> bytes:
        request = tsp.TimeStampReq({
            "version": 1, "nonce": 7, "cert_req": True,
            "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                                "hashed_message": self._other or digest}})
        answer = tsp.TimeStampResp.load(self._tsa.respond(request.dump()))
        return bytes(answer["time_stamp_token"].dump())


class ExpiredSigners:
    """Under the sub-CA: a chief accountant and an account holder whose certificates expired
    ten days ago, and TSAs (whose clock says ``SIGNED_AT``) to stamp what they signed then."""

    def __init__(self, folder: Path) -> None:
        self.levels: Levels = make_levels(folder)
        self.keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(2)]
        self.certs = [
            issue_leaf(self.levels.intermediate, key, holder, not_before=NOW - timedelta(days=400),
                       not_after=EXPIRED_ON)
            for key, holder in zip(self.keys, ("Nguyễn Thị Lan", "Trần Văn Minh"), strict=True)
        ]

    def tsa(self, *, issuer: str = "intermediate", **options: Any) -> TimeStampAuthority:
        ca = getattr(self.levels, issuer)
        key, cert = issue_tsa(ca, **options)
        return TimeStampAuthority(cert, key, now=lambda: SIGNED_AT + timedelta(minutes=1))

    def sign(self, content: bytes, roles: int = 1, when: datetime = SIGNED_AT) -> bytes:
        cms_der = None
        for i, role in enumerate((SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER)[:roles]):
            key = self.keys[i]
            cms_der = add_signature(
                content, cms_der, self.certs[i], role,
                lambda data, k=key: k.sign(data, ec.ECDSA(hashes.SHA256())),
                SignatureAlgorithm.ECDSA_SHA256, when + timedelta(seconds=i),
                chain=[self.levels.intermediate.cert_der])
        assert cms_der is not None
        return cms_der
