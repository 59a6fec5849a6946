"""SoftHSM2 tokens for the whole test session, shared by every test folder, and the two
helpers signing tests use everywhere (complete drafts, registered signers).

SoftHSM reads SOFTHSM2_CONF once per process, so there is one configuration and one set of
tokens per test process: the first caller of :func:`signing_world` makes them, later callers get
the same ones. Load this module under ONE name so its cache is shared::

    # in another folder's conftest.py
    import importlib.util, sys
    from pathlib import Path
from typing import Any
    _name = "treasury_signing_fixtures"
    if _name not in sys.modules:
        _path = Path(__file__).parents[1] / "signing" / "fixtures.py"
        _spec = importlib.util.spec_from_file_location(_name, _path)
        sys.modules[_name] = importlib.util.module_from_spec(_spec)
        _spec.loader.exec_module(sys.modules[_name])
    softhsm = sys.modules[_name].softhsm  # the session fixture

or call ``treasury_desktop.signing.provision`` directly in a child process of your own.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import PyKCS11
import pytest

from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.voucher import from_document
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.pkcs11_token import Pkcs11Module
from treasury_desktop.signing.provision import (
    ProvisionedKey,
    ProvisionedToken,
    SoftHsmConfig,
    SoftwareCA,
    add_signing_key,
    make_softhsm_config,
    make_test_ca,
    provision_token,
    softhsm_module,
)
from treasury_desktop.signing.testca import PrivateKey, generate_key, issue_certificate
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import RegisteredSigner, SignerRegistry
from treasury_desktop.usecases.drafting import DraftingService

UNIT = "Trường THCS Phú Lương"
USER_PIN = "123456"
SO_PIN = "12345678"


@dataclass(frozen=True)
class SigningWorld:
    """The session's test CA and SoftHSM2 tokens (labels are unique)."""

    root: Path
    ca: SoftwareCA
    config: SoftHsmConfig
    chief: ProvisionedToken  # "KTT-RSA": Nguyễn Thị Lan, RSA-2048, chief accountant
    holder: ProvisionedToken  # "CTK-EC": Trần Văn Minh, EC P-256, account holder
    pin_test: ProvisionedToken  # "PIN-TEST": for wrong-PIN tests (its state changes)
    dated: ProvisionedToken  # "DATED": an expired and a not-yet-valid certificate
    expired: ProvisionedKey
    not_yet_valid: ProvisionedKey


_world: list[SigningWorld] = []


def signing_world(root: Path) -> SigningWorld:
    """Make (once per process) the CA and tokens under ``root`` and point SOFTHSM2_CONF there."""
    if _world:
        return _world[0]
    module = softhsm_module()
    if module is None:
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2 opensc)")
    if str(module) in PyKCS11.PyKCS11Lib._loaded_libs:
        raise RuntimeError("SoftHSM2 was loaded before the signing fixtures set SOFTHSM2_CONF")
    ca = make_test_ca(root / "ca")
    config = make_softhsm_config(root / "softhsm", module)
    config.activate()

    def token(label: str, holder: str, key_type: str) -> ProvisionedToken:
        return provision_token(
            config,
            ca,
            label=label,
            user_pin=USER_PIN,
            so_pin=SO_PIN,
            holder_name=holder,
            unit_name=UNIT,
            key_type=key_type,
        )

    chief = token("KTT-RSA", "Nguyễn Thị Lan", "RSA-2048")
    holder = token("CTK-EC", "Trần Văn Minh", "EC P-256")
    pin_test = token("PIN-TEST", "Lê Văn Hùng", "EC P-256")
    now = datetime.now(UTC)
    dated = token("DATED", "Phạm Thị Hoa", "EC P-256")
    _, expired = add_signing_key(
        config,
        ca,
        label="DATED",
        user_pin=USER_PIN,
        holder_name="Phạm Thị Hoa (hết hạn)",
        unit_name=UNIT,
        key_type="EC P-256",
        not_before=now - timedelta(days=300),
        not_after=now - timedelta(days=1),
    )
    _, future = add_signing_key(
        config,
        ca,
        label="DATED",
        user_pin=USER_PIN,
        holder_name="Phạm Thị Hoa (chưa hiệu lực)",
        unit_name=UNIT,
        key_type="EC P-256",
        not_before=now + timedelta(days=10),
        not_after=now + timedelta(days=400),
    )
    world = SigningWorld(root, ca, config, chief, holder, pin_test, dated, expired, future)
    _world.append(world)
    return world


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> SigningWorld:
    """The session's SoftHSM2 tokens and test CA."""
    return signing_world(tmp_path_factory.mktemp("signing"))


@pytest.fixture(scope="session")
def softhsm_module_loaded(softhsm: SigningWorld) -> Iterator[Pkcs11Module]:
    """SoftHSM2 loaded once for the session (unloaded at the end)."""
    module = Pkcs11Module(softhsm.config.module_path)
    yield module
    module.close()


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

    def signer(key_type: str, holder: str, **kwargs: Any) -> SoftwareSigner:
        key = generate_key(key_type)
        der = issue_certificate(ca, key.public_key(), holder_name=holder, unit_name=UNIT, **kwargs)
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


def openssl_verify(content: bytes, cms_der: bytes, ca_pem: Path, folder: Path) -> int:
    """Exit code of ``openssl cms -verify`` on a detached signature (0 = accepted)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "content.bin"
    sig = folder / "signature.p7s"
    data.write_bytes(content)
    sig.write_bytes(cms_der)
    done = subprocess.run(
        [
            "openssl",
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            str(sig),
            "-content",
            str(data),
            "-CAfile",
            str(ca_pem),
            "-purpose",
            "any",
            "-out",
            os.devnull,
        ],
        capture_output=True,
    )
    return done.returncode


def make_vouchers(ctx: AppContext, doc: dict[str, Any], count: int) -> list[str]:
    """``count`` complete drafts numbered 200, 201 …"""
    repo, profile = ctx.repositories()
    drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, lambda: date(2026, 11, 20))
    ids = []
    for i in range(count):
        voucher = from_document({**doc, "number": str(200 + i)}, assign_id=False)
        voucher = voucher.with_changes(id=drafting.new_draft().id)
        result = drafting.save(voucher)
        assert not result.problems, result.problems
        ids.append(voucher.id)
    return ids


def register(conn: sqlite3.Connection, der: bytes, role: SignerRole) -> None:
    """Record a certificate for a role in the unit profile."""
    info = CertificateInfo.from_der(der)
    SignerRegistry(conn).add(
        RegisteredSigner(info.sha256, role, info.holder_name, der), actor=Actor("admin")
    )
