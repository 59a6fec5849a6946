"""The sandbox's own CA services: OCSP and TSA on its port, revocation by --config or by an
admin call, and a signature made after its certificate was revoked refused at the door."""

from __future__ import annotations

import base64
import hashlib
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import yaml
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from tests.trust.pki import TestPki, free_port
from treasury_sandbox_world import UNIT, document

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.domain.canonical import canonical_bytes
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.outbox.adapter import ClientPort
from treasury_desktop.sandbox.config import load_config
from treasury_desktop.sandbox.server import RunningSandbox, start_sandbox
from treasury_desktop.sandbox.tsa import TimeStampAuthority
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.fetch import HttpFetcher
from treasury_desktop.signing.revocation import RevocationCache, RevocationChecker, Status
from treasury_desktop.signing.timestamp import TsaClient, add_timestamps
from treasury_desktop.signing.token import SignatureAlgorithm
from treasury_desktop.signing.trust import AnchorSource, TrustStore
from treasury_desktop.usecases.trust import refresh_from_treasury

TOKEN = "desk-secret-authority"


class Signers:
    """Two signers of the unit, with keys, issued by the TestPki (AIA naming the sandbox)."""

    def __init__(self, pki: TestPki) -> None:
        self.chief_key, self.chief = pki.issue("Nguyễn Thị Lan")
        self.holder_key, self.holder = pki.issue("Trần Văn Minh")

    def sign(self, doc: dict[str, object], at: datetime) -> bytes:
        content = canonical_bytes(doc)
        cms = None
        for der, key, role in ((self.chief, self.chief_key, SignerRole.CHIEF_ACCOUNTANT),
                               (self.holder, self.holder_key, SignerRole.ACCOUNT_HOLDER)):
            assert isinstance(key, ec.EllipticCurvePrivateKey)
            cms = add_signature(content, cms, der, role,
                                lambda data, k=key: k.sign(data, ec.ECDSA(hashes.SHA256())),
                                SignatureAlgorithm.ECDSA_SHA256, at)
        assert cms is not None
        return cms


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[TestPki, Signers, RunningSandbox, Path]]:
    port = free_port()
    pki = TestPki(tmp_path / "pki")
    pki.ocsp_url = f"http://127.0.0.1:{port}/ocsp"
    pki.crl_url = f"http://127.0.0.1:{port}/none.crl"
    signers = Signers(pki)
    tsa_key, tsa_cert = pki.tsa()
    (pki.folder / "tsa.pem").write_bytes(tsa_cert.public_bytes(serialization.Encoding.PEM))
    (pki.folder / "tsa.key.pem").write_bytes(tsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    for name, der in (("chief", signers.chief), ("holder", signers.holder)):
        (pki.folder / f"{name}.der").write_bytes(der)
    config = {
        "trusted_cas": [{"file": "root.pem"}, {"file": "ca.pem"}],
        "units": [{
            "code": UNIT, "name": "Trường THCS Phú Lương", "account": "9523.2.1171277",
            "treasury": "0011", "tokens": [TOKEN],
            "signers": [
                {"role": "chief-accountant", "certificate": {"file": "chief.der"}},
                {"role": "account-holder", "certificate": {"file": "holder.der"}},
            ],
            "estimates": [{"fiscal_year": 2026, "chapter": "422", "industry": "072",
                           "source": "13", "amount": 2_500_000_000}],
        }],
        "authority": {
            "certificate": {"file": "ca.pem"}, "key": "ca.key.pem",
            "tsa_certificate": {"file": "tsa.pem"}, "tsa_key": "tsa.key.pem",
            # the holder's certificate was revoked two hours ago, from the configuration
            "revoked": [{"sha256": hashlib.sha256(signers.holder).hexdigest(),
                         "at": (datetime.now(UTC) - timedelta(hours=2)).isoformat()}],
        },
    }
    path = pki.folder / "sandbox.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    sandbox = start_sandbox(load_config(path), tmp_path / "sandbox.sqlite3", port=port)
    yield pki, signers, sandbox, path
    sandbox.stop()


def _put(url: str, doc: dict[str, object], cms: bytes) -> httpx.Response:
    return httpx.put(f"{url}/v1/units/{UNIT}/documents/{doc['id']}",
                     json={"document": doc, "signature": base64.b64encode(cms).decode()},
                     headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)


def test_ocsp_and_revocation_by_config_and_by_the_admin_call(world: tuple, tmp_path: Path) -> None:
    pki, signers, sandbox, _ = world
    fetcher = HttpFetcher(timeout=3)
    try:
        checker = RevocationChecker(fetcher, RevocationCache())
        assert checker.check(signers.holder, pki.ca_der).status is Status.REVOKED  # --config
        assert checker.check(signers.chief, pki.ca_der).status is Status.GOOD
        done = httpx.post(f"{sandbox.url}/v1/admin/revocations",
                          json={"sha256": hashlib.sha256(signers.chief).hexdigest()}, timeout=5)
        assert done.status_code == 200, done.text
        fresh = RevocationChecker(fetcher, RevocationCache())
        answer = fresh.check(signers.chief, pki.ca_der)
        assert answer.status is Status.REVOKED and answer.revoked_at is not None
        bad = httpx.post(f"{sandbox.url}/v1/admin/revocations", json={"sha256": "00" * 32},
                         timeout=5)
        assert bad.status_code == 400
        # openssl, independently, reads the sandbox's answer and checks its signature
        chief_pem = tmp_path / "chief.pem"
        chief_pem.write_bytes(b"".join(
            [b"-----BEGIN CERTIFICATE-----\n", base64.encodebytes(signers.chief),
             b"-----END CERTIFICATE-----\n"]))
        shown = subprocess.run(
            ["openssl", "ocsp", "-issuer", str(pki.ca_pem), "-cert", str(chief_pem), "-url",
             pki.ocsp_url, "-CAfile", str(pki.chain_pem), "-no_nonce"],
            capture_output=True, text=True, timeout=30)
        assert "Response verify OK" in shown.stdout + shown.stderr
        assert f"{chief_pem}: revoked" in shown.stdout
    finally:
        fetcher.close()


def test_the_sandbox_tsa_stamps(world: tuple) -> None:
    _, _, sandbox, _ = world
    fetcher = HttpFetcher(timeout=3)
    try:
        token = TsaClient(fetcher, f"{sandbox.url}/tsa").stamp(hashlib.sha256(b"x").digest())
    finally:
        fetcher.close()
    assert token[:1] == b"\x30"


class _TsaAt:
    """The sandbox's TSA (its certificate and key from the configuration) with its clock at
    ``moment``, asked directly."""

    def __init__(self, folder: Path, moment: datetime) -> None:
        key = serialization.load_pem_private_key((folder / "tsa.key.pem").read_bytes(), None)
        cert = x509.load_pem_x509_certificate((folder / "tsa.pem").read_bytes())
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        self._tsa = TimeStampAuthority(cert, key, now=lambda: moment)

    def stamp(self, digest: bytes) -> bytes:
        request = tsp.TimeStampReq({"version": 1, "cert_req": True, "message_imprint": {
            "hash_algorithm": {"algorithm": "sha256"}, "hashed_message": digest}})
        return bytes(tsp.TimeStampResp.load(self._tsa.respond(request.dump()))[
            "time_stamp_token"].dump())


def test_a_signature_made_after_revocation_is_refused_at_the_door(world: tuple) -> None:
    pki, signers, sandbox, _ = world
    now = datetime.now(UTC)
    late = document()
    stamped_late = add_timestamps(signers.sign(late, now - timedelta(minutes=1)),
                                  _TsaAt(pki.folder, now - timedelta(minutes=1)))
    refused = _put(sandbox.url, late, stamped_late)
    assert refused.status_code == 422
    codes = [r["code"] for r in refused.json()["reasons"]]
    assert "certificate_revoked" in codes  # a timestamp proves it was signed after
    # claimed five hours ago, before the revocation two hours ago: only a claim (a clock set
    # back says the same), so the certificate is judged at receipt, when it was revoked
    claimed = document()
    refused = _put(sandbox.url, claimed, signers.sign(claimed, now - timedelta(hours=5)))
    assert refused.status_code == 422
    assert "revoked_before_receipt" in [r["code"] for r in refused.json()["reasons"]]
    # signed five hours ago, and a trusted timestamp proves it: the signature stands
    early = document()
    proven = add_timestamps(signers.sign(early, now - timedelta(hours=5)),
                            _TsaAt(pki.folder, now - timedelta(hours=5) + timedelta(seconds=5)))
    accepted = _put(sandbox.url, early, proven)
    assert accepted.status_code == 201, accepted.text


def test_the_treasury_catalogue_of_trusted_cas_feeds_the_desk(world: tuple,
                                                               tmp_path: Path) -> None:
    pki, _, sandbox, _ = world
    store = TrustStore(tmp_path / "shipped-none", tmp_path / "desk-trust")
    client = TreasuryClient(sandbox.url, UNIT, TOKEN)
    port = ClientPort(client)
    try:
        first = refresh_from_treasury(store, port, 2026)
        again = refresh_from_treasury(store, port, 2026)
    finally:
        port.close()
    listed = {a.sha256: a.source for a in store.anchors()}
    assert listed == {hashlib.sha256(pki.root_der).hexdigest(): AnchorSource.TREASURY,
                      hashlib.sha256(pki.ca_der).hexdigest(): AnchorSource.TREASURY}
    assert len(first.added) == 2 and first.refused == ()
    assert again.added == () and again.known == 2
