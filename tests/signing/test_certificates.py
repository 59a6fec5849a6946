"""Certificates as the chooser lists them: validity, usage, expiry warning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from treasury_signing_fixtures import SoftwareKeys

from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.testca import generate_key, issue_certificate


def test_describes_a_certificate(software_keys: SoftwareKeys) -> None:
    info = CertificateInfo.from_der(software_keys.rsa.der)
    assert info.holder_name == "Nguyễn Thị Lan"
    assert info.organisation == "Trường THCS Phú Lương"
    assert info.key_type == "RSA-2048"
    assert len(info.sha256) == 64 and info.sha256 == info.sha256.lower()
    assert info.can_sign
    assert CertificateInfo.from_der(software_keys.ec.der).key_type == "EC P-256"


def test_usable_at_gives_the_reason(software_keys: SoftwareKeys) -> None:
    now = datetime.now(UTC)
    info = CertificateInfo.from_der(software_keys.rsa.der)
    assert info.usable_at(now) is None
    before = info.usable_at(info.not_before - timedelta(seconds=1))
    assert before is not None and before.key == "signing.cert.not_yet_valid"
    after = info.usable_at(info.not_after + timedelta(seconds=1))
    assert after is not None and after.key == "signing.cert.expired"
    assert info.not_after.strftime("%d/%m/%Y") in after.render("vi")
    usage = CertificateInfo.from_der(software_keys.encipher_only.der).usable_at(now)
    assert usage is not None and usage.key == "signing.cert.no_signing_usage"
    weak = CertificateInfo.from_der(software_keys.weak_rsa.der).usable_at(now)
    assert weak is not None and weak.key == "signing.cert.weak_key"


def test_expires_soon(software_keys: SoftwareKeys) -> None:
    now = datetime.now(UTC)
    key = generate_key("EC P-256")
    der = issue_certificate(
        software_keys.ca,
        key.public_key(),
        holder_name="Ngô Thị Hạn",
        unit_name="UBND xã",
        not_before=now - timedelta(days=700),
        not_after=now + timedelta(days=20),
    )
    info = CertificateInfo.from_der(der)
    assert info.expires_soon(now)
    assert not info.expires_soon(now, days=10)
    assert not CertificateInfo.from_der(software_keys.rsa.der).expires_soon(now)
    assert not info.expires_soon(now + timedelta(days=21))  # already expired: not "soon"
