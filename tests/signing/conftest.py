"""Signing fixtures: the shared SoftHSM2 tokens (fixtures.py) and software keys."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.testca import (
    PrivateKey,
    SoftwareCA,
    generate_key,
    issue_certificate,
    make_test_ca,
)


def _load_fixtures() -> ModuleType:
    # One module name for every folder, so the tokens are made once per process.
    name = "treasury_signing_fixtures"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fixtures.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_fixtures = _load_fixtures()
softhsm = _fixtures.softhsm
softhsm_module_loaded = _fixtures.softhsm_module_loaded


@dataclass(frozen=True)
class SoftwareSigner:
    """A software key and its certificate from the session's test CA."""

    key: PrivateKey
    der: bytes

    @property
    def sha256(self) -> str:
        return CertificateInfo.from_der(self.der).sha256


@dataclass(frozen=True)
class SoftwareKeys:
    """Software keys for the fake token and the CMS tests (fast, no SoftHSM)."""

    ca: SoftwareCA
    rsa: SoftwareSigner
    ec: SoftwareSigner
    weak_rsa: SoftwareSigner
    expired: SoftwareSigner
    encipher_only: SoftwareSigner
    other_ca: SoftwareCA


@pytest.fixture(scope="session")
def software_keys(tmp_path_factory: pytest.TempPathFactory) -> SoftwareKeys:
    root = tmp_path_factory.mktemp("software-ca")
    ca = make_test_ca(root / "ca")
    now = datetime.now(UTC)

    def signer(key_type: str, holder: str, **kwargs: object) -> SoftwareSigner:
        key = generate_key(key_type)
        der = issue_certificate(
            ca, key.public_key(), holder_name=holder, unit_name="Trường THCS Phú Lương", **kwargs
        )  # type: ignore[arg-type]
        return SoftwareSigner(key, der)

    return SoftwareKeys(
        ca=ca,
        rsa=signer("RSA-2048", "Nguyễn Thị Lan"),
        ec=signer("EC P-256", "Trần Văn Minh"),
        weak_rsa=signer("RSA-1024", "Đỗ Văn Yếu"),
        expired=signer(
            "EC P-256",
            "Hoàng Văn Cũ",
            not_before=now - timedelta(days=100),
            not_after=now - timedelta(days=1),
        ),
        encipher_only=signer("EC P-256", "Vũ Thị Mã", key_usage=("key_agreement",)),
        other_ca=make_test_ca(root / "other", common_name="CA lạ"),
    )
