"""A sandbox treasury world for tests: a test CA, software signers, the demo unit, a clock,
a recording transport, and checks of every recorded exchange against the OpenAPI document.

Loaded under ONE module name by tests/api/conftest.py and tests/sandbox/conftest.py.
"""

from __future__ import annotations

import contextlib
import copy
import gzip
import json
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.exceptions import SecurityValidationError
from werkzeug.datastructures import Headers, ImmutableMultiDict

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.domain.money import amount_in_words
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.paths import resources_dir
from treasury_desktop.sandbox.config import (
    BudgetEstimate,
    ClerkTiming,
    RegisteredSigner,
    SandboxConfig,
    UnitConfig,
)
from treasury_desktop.sandbox.server import RunningSandbox, start_sandbox
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.testca import (
    PrivateKey,
    SoftwareCA,
    generate_key,
    issue_certificate,
    make_test_ca,
)
from treasury_desktop.signing.token import SignatureAlgorithm

UNIT = "1171277"
OTHER_UNIT = "7654321"
TOKEN = "desk-1171277-secret"
OTHER_TOKEN = "desk-7654321-secret"
ESTIMATE = 50_000_000  # chapter 422, industry 072, source 13, fiscal year 2026

BASE_DOCUMENT: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "data" / "design_example.json").read_text(encoding="utf-8")
)


def document(amount: int = 1_234_000, **changes: Any) -> dict[str, Any]:
    """A valid C2-02a/NS of the demo unit with a fresh id, its total and words filled in."""
    doc = copy.deepcopy(BASE_DOCUMENT)
    doc["id"] = str(uuid.uuid4())
    doc["lines"][0]["amount"] = amount
    doc["total"] = amount
    doc["amount_in_words"] = amount_in_words(amount)
    doc.update(changes)
    return doc


@dataclass(frozen=True)
class Signer:
    """A software key with its certificate from the test CA, acting in one role."""

    key: PrivateKey
    der: bytes
    role: SignerRole

    def sign_attrs(self, data: bytes) -> bytes:
        if isinstance(self.key, ec.EllipticCurvePrivateKey):
            return self.key.sign(data, ec.ECDSA(hashes.SHA256()))
        assert isinstance(self.key, rsa.RSAPrivateKey)
        return self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    @property
    def algorithm(self) -> SignatureAlgorithm:
        if isinstance(self.key, ec.EllipticCurvePrivateKey):
            return SignatureAlgorithm.ECDSA_SHA256
        return SignatureAlgorithm.RSA_PKCS1_SHA256


@dataclass(frozen=True)
class World:
    """The test CA, the registered chief accountant and account holder, an outsider."""

    ca: SoftwareCA
    chief: Signer
    holder: Signer
    outsider: Signer  # certified by the CA, registered nowhere
    config: SandboxConfig

    def sign(
        self,
        doc: dict[str, Any],
        signers: Sequence[Signer] | None = None,
        at: datetime | None = None,
    ) -> bytes:
        """A detached CMS over the canonical bytes, by ``signers`` (default: both, in order)."""
        from treasury_desktop.domain.canonical import canonical_bytes

        content = canonical_bytes(doc)
        cms: bytes | None = None
        moment = at or datetime.now(UTC) - timedelta(seconds=5)
        for signer in signers if signers is not None else (self.chief, self.holder):
            cms = add_signature(
                content, cms, signer.der, signer.role, signer.sign_attrs, signer.algorithm, moment
            )
        assert cms is not None
        return cms


def make_world(root: Path) -> World:
    """A CA and three EC P-256 signers (fast), and a config with two units."""
    ca = make_test_ca(root / "ca")

    def signer(holder: str, role: SignerRole) -> Signer:
        key = generate_key("EC P-256")
        der = issue_certificate(
            ca, key.public_key(), holder_name=holder, unit_name="Trường THCS Phú Lương"
        )
        return Signer(key, der, role)

    chief = signer("Nguyễn Thị Lan", SignerRole.CHIEF_ACCOUNTANT)
    holder = signer("Trần Văn Minh", SignerRole.ACCOUNT_HOLDER)
    outsider = signer("Lê Văn Hùng", SignerRole.CHIEF_ACCOUNTANT)
    unit = UnitConfig(
        UNIT,
        "Trường THCS Phú Lương",
        "9523.2.1171277",
        "0011",
        signers=(
            RegisteredSigner(chief.der, chief.role),
            RegisteredSigner(holder.der, holder.role),
        ),
        estimates=(BudgetEstimate(2026, "422", "072", "13", ESTIMATE),),
        tokens=(TOKEN,),
    )
    other = UnitConfig(
        OTHER_UNIT, "UBND xã Tân Cương", "9523.3.7654321", "0011", tokens=(OTHER_TOKEN,)
    )
    config = SandboxConfig(
        units=(unit, other),
        trusted_cas=(ca.cert_der,),
        clerk=ClerkTiming(step_seconds=60.0, return_rate=0.0),
    )
    return World(ca, chief, holder, outsider, config)


@dataclass
class ManualClock:
    """The treasury's clock in tests: moves only when told."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self) -> datetime:
        with self.lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.now += timedelta(seconds=seconds)


class RecordingTransport(httpx.HTTPTransport):
    """The real HTTP transport, keeping every (request, response) for the OpenAPI check."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        response.read()
        self.exchanges.append((request, response))
        return response


class _OpenAPIRequest:
    def __init__(self, request: httpx.Request) -> None:
        url = urlsplit(str(request.url))
        self.host_url = f"{url.scheme}://{url.netloc}"
        self.path = url.path
        self.method = request.method.lower()
        body = request.content
        if request.headers.get("content-encoding") == "gzip":
            with contextlib.suppress(OSError, EOFError):
                body = gzip.decompress(body)
        self.body: bytes | None = body or None
        self.content_type = request.headers.get("content-type", "application/json")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(url.query)),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )


class _OpenAPIResponse:
    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.data: bytes | None = response.content or None
        self.content_type = response.headers.get("content-type", "")
        self.headers = Headers(dict(response.headers))


@cache
def openapi() -> OpenAPI:
    """The shipped OpenAPI document."""
    return OpenAPI.from_file_path(str(resources_dir() / "api" / "openapi.yaml"))


def check_exchanges(
    exchanges: Sequence[tuple[httpx.Request, httpx.Response]], requests: bool = True
) -> None:
    """Every recorded response (and request, unless bad on purpose) must conform to the
    OpenAPI document."""
    spec = openapi()
    for request, response in exchanges:
        req = _OpenAPIRequest(request)
        try:
            if requests:
                spec.validate_request(req)  # type: ignore[arg-type]
        except SecurityValidationError:
            pass  # the auth tests send no or bad credentials on purpose
        spec.validate_response(req, _OpenAPIResponse(response))  # type: ignore[arg-type]


def with_config(world: World, change: Callable[[SandboxConfig], SandboxConfig]) -> World:
    """The world with a changed sandbox configuration."""
    return replace(world, config=change(world.config))


# --- fixtures (re-exported by tests/api/conftest.py and tests/sandbox/conftest.py) ---


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The session's CA, signers and sandbox configuration."""
    return make_world(tmp_path_factory.mktemp("sandbox-world"))


@pytest.fixture
def clock() -> ManualClock:
    """The treasury's clock, moved by the test."""
    return ManualClock()


@pytest.fixture
def sandbox(world: World, clock: ManualClock, tmp_path: Path) -> Iterator[RunningSandbox]:
    """A real sandbox on 127.0.0.1 (random port) with its own database file."""
    running = start_sandbox(world.config, tmp_path / "sandbox.sqlite3", clock=clock, seed=7)
    yield running
    running.stop()


@pytest.fixture
def recorder() -> Iterator[RecordingTransport]:
    """A recording transport; at the end every exchange is checked against the OpenAPI file."""
    transport = RecordingTransport()
    yield transport
    transport.close()
    check_exchanges(transport.exchanges)


@pytest.fixture
def client(sandbox: RunningSandbox, recorder: RecordingTransport) -> Iterator[TreasuryClient]:
    """The app's client for the demo unit, through the recording transport."""
    with TreasuryClient(sandbox.url, UNIT, TOKEN, transport=recorder) as api:
        yield api
