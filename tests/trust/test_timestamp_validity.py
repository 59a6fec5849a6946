"""'Valid at receipt, unless a trusted timestamp proves an earlier time': a signature made while
the certificate was valid, and timestamped then by a TSA that chains to a trusted root, is
accepted after the certificate expired (at the desk's verifier and at the sandbox's door);
without the timestamp, or with one that proves nothing, it is refused and the reason says why.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from tests.trust.levels import NOW, SIGNED_AT, DirectTsa, ExpiredSigners
from treasury_sandbox_world import TOKEN, UNIT, document

from treasury_desktop.domain.canonical import canonical_bytes
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.sandbox.config import default_config
from treasury_desktop.sandbox.server import start_sandbox
from treasury_desktop.sandbox.tsa import SANDBOX_TSA_POLICY, TimeStampAuthority
from treasury_desktop.signing.timestamp import add_timestamps, stamp_of
from treasury_desktop.signing.verify import SignatureInvalid, verify_detached

DOC = document()
CONTENT = canonical_bytes(DOC)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki(tmp_path_factory.mktemp("stamps"))


class Pki(ExpiredSigners):
    def sign(self, content: bytes = CONTENT, roles: int = 1,
             when: datetime = SIGNED_AT) -> bytes:
        return super().sign(content, roles, when)


def refused(pki: Pki, cms_der: bytes) -> SignatureInvalid:
    with pytest.raises(SignatureInvalid) as caught:
        verify_detached(CONTENT, cms_der, trusted_roots=[pki.levels.root.cert_der], at=NOW)
    return caught.value


def token_of(cms_der: bytes) -> bytes:
    info = cms.ContentInfo.load(cms_der)["content"]["signer_infos"][0]
    token = stamp_of(info)
    assert token is not None
    return bytes(token.dump())


def openssl_ts_verify(pki: Pki, cms_der: bytes, tsa: TimeStampAuthority, folder: Path) -> int:
    """``openssl ts -verify`` of the signature's token against the root (exit code)."""
    folder.mkdir(parents=True, exist_ok=True)
    info = cms.ContentInfo.load(cms_der)["content"]["signer_infos"][0]
    digest = hashlib.sha256(info["signature"].native).hexdigest()
    (folder / "token.der").write_bytes(token_of(cms_der))
    untrusted = folder / "untrusted.pem"
    untrusted.write_bytes(pki.levels.intermediate.cert_path.read_bytes())
    done = subprocess.run(
        ["openssl", "ts", "-verify", "-digest", digest, "-token_in", "-in",
         str(folder / "token.der"), "-CAfile", str(pki.levels.root.cert_path),
         "-untrusted", str(untrusted), "-attime", str(int(NOW.timestamp()))],
        capture_output=True, text=True, check=False)
    return done.returncode


def test_a_trusted_timestamp_keeps_a_signature_valid_after_the_certificate_expired(
        pki: Pki, tmp_path: Path) -> None:
    plain = pki.sign()
    assert refused(pki, plain).message.key == "signing.verify.cert_not_valid_at_receipt"
    tsa = pki.tsa()
    stamped = add_timestamps(plain, DirectTsa(tsa))
    [signer] = verify_detached(CONTENT, stamped, trusted_roots=[pki.levels.root.cert_der], at=NOW)
    assert signer.timestamp == SIGNED_AT + timedelta(minutes=1)
    assert signer.signing_time == SIGNED_AT
    # openssl reads the same token as a valid timestamp of this signature
    assert openssl_ts_verify(pki, stamped, tsa, tmp_path) == 0
    # and the token names the sandbox's own policy, under the UUID arc
    token = cms.ContentInfo.load(token_of(stamped))
    policy = token["content"]["encap_content_info"]["content"].parsed["policy"].dotted
    assert policy == SANDBOX_TSA_POLICY and policy.startswith("2.25.")
    # checked before the certificate expired, the timestamp is not even needed
    assert verify_detached(CONTENT, plain, trusted_roots=[pki.levels.root.cert_der],
                           at=SIGNED_AT + timedelta(hours=1))


def test_a_timestamp_from_an_untrusted_tsa_proves_nothing(pki: Pki) -> None:
    stamped = add_timestamps(pki.sign(), DirectTsa(pki.tsa(issuer="stranger")))
    error = refused(pki, stamped)
    assert error.message.key == "signing.verify.stamp_untrusted"
    assert "TSA" in error.message.render("en") and "Nguyễn Thị Lan" in error.message.render("vi")


@pytest.mark.parametrize(("eku", "critical"), [
    ((ExtendedKeyUsageOID.EMAIL_PROTECTION,), False),  # a signer's certificate, not a TSA's
    ((ExtendedKeyUsageOID.TIME_STAMPING,), False),  # RFC 3161: the extension MUST be critical
    ((ExtendedKeyUsageOID.TIME_STAMPING, ExtendedKeyUsageOID.CLIENT_AUTH), True),  # only one
])
def test_a_timestamp_signed_without_the_timestamping_purpose_proves_nothing(
        pki: Pki, tmp_path: Path, eku: tuple[x509.ObjectIdentifier, ...], critical: bool) -> None:
    tsa = pki.tsa(eku=eku, critical=critical)
    stamped = add_timestamps(pki.sign(), DirectTsa(tsa))
    assert refused(pki, stamped).message.key == "signing.verify.stamp_not_tsa"
    assert openssl_ts_verify(pki, stamped, tsa, tmp_path) != 0  # openssl refuses it too


def test_a_timestamp_of_another_signature_proves_nothing(pki: Pki) -> None:
    liar = DirectTsa(pki.tsa(), other_digest=hashlib.sha256(b"another signature").digest())
    stamped = add_timestamps(pki.sign(), liar)
    assert refused(pki, stamped).message.key == "signing.verify.stamp_invalid"


def test_a_signing_time_later_than_its_timestamp_is_refused(pki: Pki) -> None:
    late_claim = pki.sign(when=SIGNED_AT + timedelta(days=2))  # stamped a day before that
    stamped = add_timestamps(late_claim, DirectTsa(pki.tsa()))
    with pytest.raises(SignatureInvalid) as caught:
        verify_detached(CONTENT, stamped, trusted_roots=[pki.levels.root.cert_der],
                        at=SIGNED_AT + timedelta(days=3))
    assert caught.value.message.key == "signing.verify.future"


def test_the_sandbox_door_accepts_the_timestamped_voucher_and_refuses_the_plain_one(
        pki: Pki, tmp_path: Path) -> None:
    config = default_config().with_trusted_ca(pki.levels.root.cert_der).with_token(UNIT, TOKEN)
    config = config.with_signer(UNIT, pki.certs[0], SignerRole.CHIEF_ACCOUNTANT)
    config = config.with_signer(UNIT, pki.certs[1], SignerRole.ACCOUNT_HOLDER)
    plain = pki.sign(roles=2)
    stamped = add_timestamps(plain, DirectTsa(pki.tsa()))
    sandbox = start_sandbox(config, tmp_path / "sandbox.sqlite3")
    try:
        def put(doc: dict[str, object], cms_der: bytes) -> httpx.Response:
            return httpx.put(
                f"{sandbox.url}/v1/units/{UNIT}/documents/{doc['id']}",
                json={"document": doc, "signature": base64.b64encode(cms_der).decode()},
                headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)

        without = put(DOC, plain)
        assert without.status_code == 422
        reasons = without.json()["reasons"]
        assert [r["code"] for r in reasons] == ["signature_invalid"]
        assert "không có dấu thời gian tin cậy" in reasons[0]["message"]
        assert "no trusted timestamp" in reasons[0]["message_en"]
        accepted = put(DOC, stamped)
        assert accepted.status_code == 201, accepted.text
    finally:
        sandbox.stop()


def test_the_tsa_certificate_is_a_real_tsa_certificate(pki: Pki) -> None:
    tsa = pki.tsa()
    token = cms.ContentInfo.load(DirectTsa(tsa).stamp(bytes(32)))
    [cert] = [c.chosen.dump() for c in token["content"]["certificates"]]
    parsed = x509.load_der_x509_certificate(cert)
    eku = parsed.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    assert parsed.public_bytes(serialization.Encoding.DER) == cert
