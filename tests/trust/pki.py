"""A CA made by the tests, with its revocation services on 127.0.0.1.

- :class:`TestPki`: a root, an issuing CA under it, and signing certificates whose AIA names an
  OCSP URL and whose CRL distribution point names a CRL URL;
- :class:`RevocationServer`: a real HTTP server that answers OCSP with the sandbox's responder
  and serves the issuing CA's CRL, counting every request (``ocsp_requests``);
- :func:`openssl_ocsp`: ``openssl ocsp`` as an independent responder over the same CA.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from treasury_desktop.sandbox.ocsp import OcspResponder, RevocationList
from treasury_desktop.sandbox.tsa import TimeStampAuthority

Key = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _name(cn: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Trust Test"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def _ca_cert(subject: str, key: Key, issuer: x509.Certificate | None, issuer_key: Key,
             start: datetime) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0),
                       critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                       critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass
class TestPki:
    """Root → issuing CA → signing certificates; the issuing CA revokes and publishes a CRL."""

    folder: Path
    ocsp_url: str = "http://127.0.0.1:9/ocsp"  # set once the responder's port is known
    crl_url: str = "http://127.0.0.1:9/ca.crl"
    revoked: RevocationList = field(default_factory=RevocationList)
    issued: list[x509.Certificate] = field(default_factory=list)

    __test__ = False  # not a test class

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        start = datetime.now(UTC) - timedelta(days=30)
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = _ca_cert("Trust Test Root", self.root_key, None, self.root_key, start)
        self.ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ca = _ca_cert("Trust Test Issuing CA", self.ca_key, self.root, self.root_key, start)
        self.root_pem = self.folder / "root.pem"
        self.root_pem.write_bytes(self.root.public_bytes(serialization.Encoding.PEM))
        self.ca_pem = self.folder / "ca.pem"
        self.ca_pem.write_bytes(self.ca.public_bytes(serialization.Encoding.PEM))
        self.ca_key_pem = self.folder / "ca.key.pem"
        self.ca_key_pem.write_bytes(self.ca_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ))
        self.chain_pem = self.folder / "chain.pem"  # for openssl -CAfile
        self.chain_pem.write_bytes(self.ca_pem.read_bytes() + self.root_pem.read_bytes())

    @property
    def root_der(self) -> bytes:
        """The root, DER."""
        return self.root.public_bytes(serialization.Encoding.DER)

    @property
    def ca_der(self) -> bytes:
        """The issuing CA, DER."""
        return self.ca.public_bytes(serialization.Encoding.DER)

    def issue(self, holder: str, key: Key | None = None, *, urls: bool = True,
              policy: str | None = None) -> tuple[Key, bytes]:
        """A signing key and its DER certificate, with AIA/CRLDP naming the responder."""
        key = key or ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(holder))
            .issuer_name(self.ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                self.ca_key.public_key()), critical=False)
        )
        if policy is not None:
            builder = builder.add_extension(x509.CertificatePolicies([
                x509.PolicyInformation(x509.ObjectIdentifier(policy), None)]), critical=False)
        if urls:
            builder = builder.add_extension(x509.AuthorityInformationAccess([
                x509.AccessDescription(x509.AuthorityInformationAccessOID.OCSP,
                                       x509.UniformResourceIdentifier(self.ocsp_url)),
            ]), critical=False).add_extension(x509.CRLDistributionPoints([
                x509.DistributionPoint([x509.UniformResourceIdentifier(self.crl_url)],
                                       None, None, None),
            ]), critical=False)
        cert = builder.sign(self.ca_key, hashes.SHA256())
        self.issued.append(cert)
        return key, cert.public_bytes(serialization.Encoding.DER)

    def revoke(self, cert_der: bytes, at: datetime | None = None) -> None:
        """Revoke a certificate this CA issued."""
        serial = x509.load_der_x509_certificate(cert_der).serial_number
        self.revoked.revoke(serial, at or datetime.now(UTC) - timedelta(minutes=1))
        self._write_index()

    def crl_der(self) -> bytes:
        """The issuing CA's current CRL."""
        now = datetime.now(UTC)
        builder = (x509.CertificateRevocationListBuilder().issuer_name(self.ca.subject)
                   .last_update(now - timedelta(minutes=1)).next_update(now + timedelta(hours=1)))
        for cert in self.issued:
            when = self.revoked.revoked_at(cert.serial_number)
            if when is not None:
                builder = builder.add_revoked_certificate(
                    x509.RevokedCertificateBuilder().serial_number(cert.serial_number)
                    .revocation_date(when).build()
                )
        return builder.sign(self.ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def responder(self) -> OcspResponder:
        """The sandbox's OCSP responder over this CA."""
        return OcspResponder(self.ca, self.ca_key, self.revoked)

    def tsa(self) -> tuple[Key, x509.Certificate]:
        """A time-stamping unit certificate issued by the issuing CA (EKU timeStamping)."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder().subject_name(_name("Trust Test TSA"))
            .issuer_name(self.ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                           critical=True)
            .sign(self.ca_key, hashes.SHA256())
        )
        return key, cert

    def index_path(self) -> Path:
        """The openssl ``ca`` index the independent responder reads."""
        return self.folder / "index.txt"

    def _write_index(self) -> None:
        lines = []
        for cert in self.issued:
            expiry = cert.not_valid_after_utc.strftime("%y%m%d%H%M%SZ")
            when = self.revoked.revoked_at(cert.serial_number)
            state, revoked = ("V", "") if when is None else ("R", when.strftime("%y%m%d%H%M%SZ"))
            subject = "/" + "/".join(a.rfc4514_string() for a in cert.subject)
            lines.append(f"{state}\t{expiry}\t{revoked}\t{cert.serial_number:X}\tunknown\t"
                         f"{subject}\n")
        self.index_path().write_text("".join(lines))


class RevocationServer:
    """OCSP (POST /ocsp), the CRL (GET /ca.crl) and a TSA (POST /tsa) of a TestPki on
    127.0.0.1, counting requests."""

    def __init__(self, pki: TestPki) -> None:
        self.pki = pki
        self.ocsp_requests = 0
        self.crl_requests = 0
        self.ocsp_down = False
        self.tsa_down = False
        responder = pki.responder()
        self.tsa_key, self.tsa_cert = pki.tsa()
        self.tsa_pem = pki.folder / "tsa.pem"
        self.tsa_pem.write_bytes(self.tsa_cert.public_bytes(serialization.Encoding.PEM))
        tsa = TimeStampAuthority(self.tsa_cert, self.tsa_key)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real responders and TSAs do
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/tsa":
                    if outer.tsa_down:
                        self.send_error(503)
                        return
                    self._send(tsa.respond(body), "application/timestamp-reply")
                    return
                outer.ocsp_requests += 1
                if outer.ocsp_down:
                    self.send_error(503)
                    return
                self._send(responder.respond(body), "application/ocsp-response")

            def do_GET(self) -> None:  # noqa: N802
                outer.crl_requests += 1
                self._send(outer.pki.crl_der(), "application/pkix-crl")

            def _send(self, data: bytes, kind: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = self._server.server_address[1]
        pki.ocsp_url = f"http://127.0.0.1:{port}/ocsp"
        pki.crl_url = f"http://127.0.0.1:{port}/ca.crl"
        self.tsa_url = f"http://127.0.0.1:{port}/tsa"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving (the port then refuses connections)."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def openssl_ocsp(pki: TestPki, port: int) -> Iterator[None]:
    """``openssl ocsp`` answering for the issuing CA on ``port`` (index from the TestPki)."""
    pki._write_index()
    process = subprocess.Popen(
        ["openssl", "ocsp", "-index", str(pki.index_path()), "-port", str(port),
         "-rsigner", str(pki.ca_pem), "-rkey", str(pki.ca_key_pem), "-CA", str(pki.ca_pem),
         "-nmin", "30", "-ignore_err"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        # The responder serves one connection at a time: a probe connection would block it,
        # so wait for it to say it listens.
        assert process.stderr is not None
        for line in process.stderr:
            if "waiting for OCSP client connections" in line:
                break
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
