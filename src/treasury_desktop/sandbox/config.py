"""What the sandbox treasury knows: trusted CAs, units, their signers, estimates and credentials.

Built in code (:class:`SandboxConfig`, used by the demo and the tests) or read from a YAML/JSON
file (``--config``). Certificates in a file are PEM text, or a path (PEM or DER) relative to it.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from treasury_desktop.domain.canonical import content_hash
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.paths import resources_dir
from treasury_desktop.sandbox.authority import (
    AuthorityError,
    SandboxAuthority,
    authority_from_mapping,
)
from treasury_desktop.sandbox.receipts import ReceiptSigner


class SandboxConfigError(ExpectedError):
    """The sandbox configuration file cannot be used; the message says where and why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__("sandbox.config_invalid", source=source, reason=reason)


def certificate_der(raw: bytes) -> bytes:
    """DER bytes of a certificate given as PEM or DER (raises ValueError when neither)."""
    cert = (
        x509.load_pem_x509_certificate(raw)
        if raw.lstrip().startswith(b"-----BEGIN")
        else x509.load_der_x509_certificate(raw)
    )
    return cert.public_bytes(Encoding.DER)


@dataclass(frozen=True)
class RegisteredSigner:
    """A signer the unit registered with the treasury (đăng ký mẫu chữ ký): certificate + role."""

    certificate_der: bytes
    role: SignerRole
    name: str = ""

    @property
    def cert_sha256(self) -> str:
        """Lowercase hex SHA-256 of the certificate."""
        return content_hash(self.certificate_der)

    def certificate(self) -> x509.Certificate:
        """The parsed certificate."""
        return x509.load_der_x509_certificate(self.certificate_der)

    def holder_name(self) -> str:
        """The registered name, or the certificate's common name."""
        if self.name:
            return self.name
        names = self.certificate().subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(names[0].value) if names else ""


@dataclass(frozen=True)
class BudgetEstimate:
    """Dự toán giao: the amount a unit may spend in a fiscal year on chapter/industry/source."""

    fiscal_year: int
    chapter: str
    industry: str
    source: str
    amount: int

    @property
    def key(self) -> tuple[int, str, str, str]:
        """What budget lines are matched on."""
        return (self.fiscal_year, self.chapter, self.industry, self.source)


@dataclass(frozen=True)
class UnitConfig:
    """A budget-using unit (mã ĐVQHNS) with its account at a treasury office."""

    code: str
    name: str
    account: str
    treasury: str
    signers: tuple[RegisteredSigner, ...] = ()
    estimates: tuple[BudgetEstimate, ...] = ()
    tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClerkTiming:
    """How long the simulated clerk takes per step, in seconds at speed 1, and how often it
    sends a voucher back (trả lại) for no budget reason."""

    step_seconds: float = 60.0
    return_rate: float = 0.0


@dataclass(frozen=True)
class SandboxConfig:
    """Everything the sandbox serves. Immutable: ``with_*`` return changed copies."""

    units: tuple[UnitConfig, ...] = ()
    trusted_cas: tuple[bytes, ...] = ()
    clerk: ClerkTiming = field(default_factory=ClerkTiming)
    max_body_bytes: int = 2_000_000
    authority: SandboxAuthority | None = None  # its own CA's OCSP, TSA and revocations
    receipt_signer: ReceiptSigner | None = None  # signs receipts of paid vouchers (báo nợ)

    def unit(self, code: str) -> UnitConfig | None:
        """The unit with this code, if configured."""
        return next((u for u in self.units if u.code == code), None)

    def units_for_token(self, token: str) -> tuple[str, ...] | None:
        """The unit codes a desk credential serves, or None when nobody issued it."""
        given = token.encode()
        codes = tuple(
            u.code
            for u in self.units
            if any(hmac.compare_digest(given, t.encode()) for t in u.tokens)
        )
        return codes or None

    def with_receipt_signer(self, signer: ReceiptSigner) -> SandboxConfig:
        """A copy that issues receipts for paid vouchers, signed by ``signer``."""
        return replace(self, receipt_signer=signer)

    def with_trusted_ca(self, der: bytes) -> SandboxConfig:
        """A copy that also trusts this CA certificate."""
        return replace(self, trusted_cas=(*self.trusted_cas, certificate_der(der)))

    def with_signer(
        self, unit_code: str, cert: bytes, role: SignerRole, name: str = ""
    ) -> SandboxConfig:
        """A copy with one more registered signer for ``unit_code``."""
        signer = RegisteredSigner(certificate_der(cert), SignerRole(role), name)
        return self._with_unit(unit_code, lambda u: replace(u, signers=(*u.signers, signer)))

    def with_token(self, unit_code: str, token: str) -> SandboxConfig:
        """A copy where ``token`` is one more desk credential of ``unit_code``."""
        return self._with_unit(unit_code, lambda u: replace(u, tokens=(*u.tokens, token)))

    def with_unit(self, unit: UnitConfig) -> SandboxConfig:
        """A copy with ``unit`` added (or replacing the unit of the same code)."""
        others = tuple(u for u in self.units if u.code != unit.code)
        return replace(self, units=(*others, unit))

    def _with_unit(self, code: str, change: Any) -> SandboxConfig:
        if self.unit(code) is None:
            raise KeyError(f"no unit {code} in the sandbox configuration")
        return replace(self, units=tuple(change(u) if u.code == code else u for u in self.units))


def _cert(value: Any, base: Path, where: str) -> bytes:
    if isinstance(value, Mapping) and "file" in value:
        path = base / str(value["file"])
        try:
            return certificate_der(path.read_bytes())
        except (OSError, ValueError) as error:
            raise SandboxConfigError(where, f"certificate file {path}: {error}") from error
    if isinstance(value, str):
        try:
            return certificate_der(value.encode())
        except ValueError as error:
            raise SandboxConfigError(where, f"not a PEM certificate: {error}") from error
    raise SandboxConfigError(where, "a certificate is PEM text or {file: PATH}")


def _str(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        raise SandboxConfigError(where, f"'{key}' must be quoted text (leading zeros matter)")
    if not isinstance(value, str) or not value:
        raise SandboxConfigError(where, f"'{key}' is required text")
    return value


def _list(data: Mapping[str, Any], key: str, where: str) -> Sequence[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise SandboxConfigError(where, f"'{key}' must be a list")
    return value


def _estimate(raw: Any, where: str) -> BudgetEstimate:
    if not isinstance(raw, Mapping):
        raise SandboxConfigError(where, "an estimate is a mapping")
    year, amount = raw.get("fiscal_year"), raw.get("amount")
    if not isinstance(year, int) or not isinstance(amount, int) or amount < 0:
        raise SandboxConfigError(where, "fiscal_year and amount are whole numbers")
    return BudgetEstimate(
        year,
        _str(raw, "chapter", where),
        _str(raw, "industry", where),
        _str(raw, "source", where),
        amount,
    )


def _unit(raw: Any, base: Path, where: str) -> UnitConfig:
    if not isinstance(raw, Mapping):
        raise SandboxConfigError(where, "a unit is a mapping")
    signers = []
    for i, s in enumerate(_list(raw, "signers", where)):
        at = f"{where}.signers[{i}]"
        if not isinstance(s, Mapping):
            raise SandboxConfigError(at, "a signer is a mapping")
        try:
            role = SignerRole(str(s.get("role")))
        except ValueError as error:
            raise SandboxConfigError(
                at, f"role is one of {[r.value for r in SignerRole]}"
            ) from error
        signers.append(
            RegisteredSigner(_cert(s.get("certificate"), base, at), role, str(s.get("name", "")))
        )
    return UnitConfig(
        code=_str(raw, "code", where),
        name=_str(raw, "name", where),
        account=_str(raw, "account", where),
        treasury=_str(raw, "treasury", where),
        signers=tuple(signers),
        estimates=tuple(
            _estimate(e, f"{where}.estimates[{i}]")
            for i, e in enumerate(_list(raw, "estimates", where))
        ),
        tokens=tuple(str(t) for t in _list(raw, "tokens", where)),
    )


def config_from_mapping(data: Any, base: Path, source: str = "config") -> SandboxConfig:
    """Build a configuration from parsed YAML/JSON; certificate paths are relative to ``base``."""
    if not isinstance(data, Mapping):
        raise SandboxConfigError(source, "the top level is a mapping")
    clerk = data.get("clerk", {})
    if not isinstance(clerk, Mapping):
        raise SandboxConfigError(source, "'clerk' is a mapping")
    units = tuple(
        _unit(u, base, f"units[{i}]") for i, u in enumerate(_list(data, "units", source))
    )
    authority = None
    if data.get("authority") is not None:
        known = tuple(s.certificate_der for u in units for s in u.signers)
        try:
            authority = authority_from_mapping(data["authority"], base, _cert, known)
        except AuthorityError as error:
            raise SandboxConfigError(f"{source}: authority", str(error)) from error
    return SandboxConfig(
        units=units,
        trusted_cas=tuple(
            _cert(c, base, f"trusted_cas[{i}]")
            for i, c in enumerate(_list(data, "trusted_cas", source))
        ),
        clerk=ClerkTiming(
            float(clerk.get("step_seconds", 60.0)), float(clerk.get("return_rate", 0.0))
        ),
        max_body_bytes=int(data.get("max_body_bytes", 2_000_000)),
        authority=authority,
    )


def load_config(path: Path) -> SandboxConfig:
    """Read a YAML or JSON configuration file."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise SandboxConfigError(str(path), str(error)) from error
    return config_from_mapping(data, path.parent, str(path))


def default_config_path() -> Path:
    """The built-in configuration: the demo unit 1171277 (Trường THCS Phú Lương)."""
    return resources_dir() / "sandbox" / "default.yaml"


def default_config() -> SandboxConfig:
    """The built-in configuration; the demo registers its tokens' certificates on top."""
    return load_config(default_config_path())
