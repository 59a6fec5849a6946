"""The sandbox configuration: the built-in demo unit, files, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.sandbox.config import (
    SandboxConfigError,
    config_from_mapping,
    default_config,
    load_config,
)


def test_default_config_serves_the_demo_unit() -> None:
    config = default_config()
    unit = config.unit("1171277")
    assert unit is not None
    assert (unit.name, unit.account, unit.treasury) == (
        "Trường THCS Phú Lương",
        "9523.2.1171277",
        "0011",
    )
    assert config.units_for_token("demo-1171277") == ("1171277",)
    assert config.units_for_token("guess") is None
    assert any(e.fiscal_year == 2026 for e in unit.estimates)


def test_demo_registers_its_tokens_programmatically(world) -> None:
    pem = x509.load_der_x509_certificate(world.chief.der).public_bytes(Encoding.PEM)
    config = (
        default_config()
        .with_trusted_ca(world.ca.cert_der)
        .with_signer("1171277", pem, SignerRole.CHIEF_ACCOUNTANT)
    )
    unit = config.unit("1171277")
    assert unit is not None and unit.signers[0].certificate_der == world.chief.der
    assert unit.signers[0].holder_name() == "Nguyễn Thị Lan"
    assert config.trusted_cas == (world.ca.cert_der,)
    with pytest.raises(KeyError):
        config.with_signer("0000000", pem, SignerRole.ACCOUNT_HOLDER)


def test_json_config(tmp_path: Path, world) -> None:
    pem = x509.load_der_x509_certificate(world.holder.der).public_bytes(Encoding.PEM).decode()
    path = tmp_path / "kbnn.json"
    path.write_text(
        json.dumps(
            {
                "units": [
                    {
                        "code": "3000001",
                        "name": "UBND xã",
                        "account": "9523.1.3000001",
                        "treasury": "0013",
                        "signers": [{"role": "account-holder", "certificate": pem}],
                    }
                ],
                "clerk": {"step_seconds": 5, "return_rate": 0.5},
            }
        ),
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.clerk.step_seconds == 5 and config.clerk.return_rate == 0.5
    assert config.unit("3000001").signers[0].role is SignerRole.ACCOUNT_HOLDER


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"units": [{"code": "1", "name": "x", "account": "y", "treasury": 11}]}, "quoted"),
        (
            {
                "units": [
                    {
                        "code": "1",
                        "name": "x",
                        "account": "y",
                        "treasury": "1",
                        "signers": [{"role": "boss", "certificate": "x"}],
                    }
                ]
            },
            "role",
        ),
        (
            {
                "units": [
                    {
                        "code": "1",
                        "name": "x",
                        "account": "y",
                        "treasury": "1",
                        "signers": [{"role": "account-holder", "certificate": "junk"}],
                    }
                ]
            },
            "PEM",
        ),
        ({"trusted_cas": [{"file": "missing.pem"}]}, "missing.pem"),
        ({"units": "all"}, "list"),
        ([], "mapping"),
    ],
)
def test_config_errors_say_where(tmp_path: Path, data: object, words: str) -> None:
    with pytest.raises(SandboxConfigError) as caught:
        config_from_mapping(data, tmp_path)
    assert words in str(caught.value)
