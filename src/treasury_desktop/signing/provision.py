"""SoftHSM2 tokens made on demand: for the test suite and for ``--demo``.

Each folder gets its own ``softhsm2.conf`` and token directory, so nothing touches the system's
tokens. Keys are generated ON the token (sign only, not extractable) by a child process, and
their certificates come from a software test CA (testca.py).

SoftHSM reads ``SOFTHSM2_CONF`` once, when the module is first initialised in a process: call
:meth:`SoftHsmConfig.activate` before loading the module, and provision every token before
loading it (a token added later shows only after the module is unloaded and loaded again).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from treasury_desktop.signing.certificates import sha256_hex
from treasury_desktop.signing.testca import SIGNING_KEY_USAGE, SoftwareCA, make_test_ca

__all__ = [
    "ProvisionedKey",
    "ProvisionedToken",
    "SoftHsmConfig",
    "SoftwareCA",
    "add_signing_key",
    "init_token",
    "make_softhsm_config",
    "make_test_ca",
    "provision_token",
    "softhsm_module",
]

SOFTHSM_MODULE_PATHS = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib64/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
    "/opt/homebrew/lib/softhsm/libsofthsm2.so",
)


def softhsm_module() -> Path | None:
    """The SoftHSM2 PKCS#11 module, when SoftHSM2 and softhsm2-util are installed."""
    if shutil.which("softhsm2-util") is None:
        return None
    for raw in SOFTHSM_MODULE_PATHS:
        if Path(raw).is_file():
            return Path(raw)
    return None


@dataclass(frozen=True)
class SoftHsmConfig:
    """A private SoftHSM2 configuration: its conf file and token folder."""

    conf_path: Path
    token_dir: Path
    module_path: Path

    def env(self) -> dict[str, str]:
        """This process's environment with SOFTHSM2_CONF pointing here (for child processes)."""
        return {**os.environ, "SOFTHSM2_CONF": str(self.conf_path)}

    def activate(self) -> None:
        """Point this process at the configuration. Do it before the module is loaded."""
        os.environ["SOFTHSM2_CONF"] = str(self.conf_path)


def make_softhsm_config(
    folder: str | os.PathLike[str], module_path: str | os.PathLike[str] | None = None
) -> SoftHsmConfig:
    """Write ``folder/softhsm2.conf`` with a private token folder ``folder/tokens``."""
    module = Path(module_path) if module_path else softhsm_module()
    if module is None:
        raise FileNotFoundError("SoftHSM2 is not installed (apt-get install softhsm2)")
    base = Path(folder).resolve()
    tokens = base / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = base / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\n"
        "objectstore.backend = file\n"
        "log.level = ERROR\n"
        "slots.removable = false\n",
        encoding="utf-8",
    )
    return SoftHsmConfig(conf, tokens, module)


@dataclass(frozen=True)
class ProvisionedKey:
    """A key made on a token, and its certificate (same CKA_ID)."""

    key_type: str
    key_id: str
    certificate_der: bytes
    cert_sha256: str
    holder_name: str
    unit_name: str


@dataclass(frozen=True)
class ProvisionedToken:
    """A SoftHSM2 token made by :func:`provision_token`, with its PINs (test/demo only)."""

    label: str
    serial: str
    user_pin: str
    so_pin: str
    config: SoftHsmConfig
    keys: tuple[ProvisionedKey, ...]

    @property
    def key(self) -> ProvisionedKey:
        """The first key (most tokens hold one)."""
        return self.keys[0]


def init_token(config: SoftHsmConfig, *, label: str, user_pin: str, so_pin: str) -> None:
    """Initialise a new token in a free slot with ``softhsm2-util``."""
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--pin",
            user_pin,
            "--so-pin",
            so_pin,
        ],
        env=config.env(),
        check=True,
        capture_output=True,
    )


def add_signing_key(
    config: SoftHsmConfig,
    ca: SoftwareCA,
    *,
    label: str,
    user_pin: str,
    holder_name: str,
    unit_name: str,
    key_type: str = "RSA-2048",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    key_usage: Sequence[str] = SIGNING_KEY_USAGE,
) -> tuple[str, ProvisionedKey]:
    """Generate a key on the token ``label`` and store its certificate; returns (serial, key)."""
    key_id = secrets.token_hex(8)
    request = {
        "module": str(config.module_path),
        "label": label,
        "pin": user_pin,
        "key_type": key_type,
        "key_id": key_id,
        "holder_name": holder_name,
        "unit_name": unit_name,
        "ca_cert": str(ca.cert_path),
        "ca_key": str(ca.key_path),
        "ca_der": ca.cert_der.hex(),
        "not_before": not_before.isoformat() if not_before else None,
        "not_after": not_after.isoformat() if not_after else None,
        "key_usage": list(key_usage),
    }
    env = config.env()
    src = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "treasury_desktop.signing._keygen"],
        input=json.dumps(request),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    answer = json.loads(done.stdout)
    der = bytes.fromhex(answer["certificate"])
    key = ProvisionedKey(key_type, key_id, der, sha256_hex(der), holder_name, unit_name)
    return str(answer["serial"]), key


def provision_token(
    config: SoftHsmConfig,
    ca: SoftwareCA,
    *,
    label: str,
    user_pin: str,
    so_pin: str,
    holder_name: str,
    unit_name: str,
    key_type: str = "RSA-2048",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> ProvisionedToken:
    """A new token ``label`` with one signing key and its certificate."""
    init_token(config, label=label, user_pin=user_pin, so_pin=so_pin)
    serial, key = add_signing_key(
        config,
        ca,
        label=label,
        user_pin=user_pin,
        holder_name=holder_name,
        unit_name=unit_name,
        key_type=key_type,
        not_before=not_before,
        not_after=not_after,
    )
    return ProvisionedToken(label, serial, user_pin, so_pin, config, (key,))
