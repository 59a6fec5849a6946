"""The treasury API client: one pooled HTTPS connection per desk (httpx, HTTP/2 where offered).

TLS is verified (TLS 1.2 or newer) against the system's CAs, or against a pinned CA bundle.
Request bodies are gzipped above a size only where /v1/health offers ``gzip-requests`` (a 415
is answered by sending again uncompressed, and remembered for that server: in this process, and
in the data folder when the client is given a :class:`CompressionMemory`); answers are read
with a size cap and every exchange has an overall deadline (:mod:`treasury_desktop.api.exchange`).
Each call returns a frozen result or raises an :mod:`~treasury_desktop.api.errors` class.
"""

from __future__ import annotations

import base64
import gzip
import ipaddress
import json
import re
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import certifi
import httpx

from treasury_desktop import __version__
from treasury_desktop.api.errors import ApiError, ConfigError, TransientError
from treasury_desktop.api.exchange import (
    AnswerTooLarge,
    BadEncoding,
    bounded_transport,
    deadline,
    environment_proxy,
    read_bounded,
)
from treasury_desktop.api.models import (
    Balances,
    Catalog,
    ChangesPage,
    DeliveryOutcome,
    DeliveryResult,
    DocumentStatus,
    Reason,
    ServerInfo,
    Signer,
)
from treasury_desktop.api.responses import body_json, raise_for_status, transport_error

_UNIT = re.compile(r"^[0-9]{7}$")
_VOUCHER_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_LOOPBACK_NAMES = ("localhost",)
GZIP_CAPABILITY = "gzip-requests"
MAX_ANSWER = 16 * 1024 * 1024
"""The largest answer read (after decompression); the biggest real one, a catalogue, is far
smaller. Past it the answer is a broken or hostile server's, and the call fails as transient."""

_refuses_gzip: set[str] = set()  # servers that answered 415 to a gzipped body (this process)
_refuses_lock = threading.Lock()


class CompressionMemory(Protocol):
    """Where the servers that take no compressed bodies are remembered beyond this process
    (``api.connection.CompressionRefusals``: the desk's profile)."""

    def refuses(self, server: str) -> bool:
        """Whether ``server`` once answered 415 to a compressed body."""

    def remember_refusal(self, server: str) -> None:
        """Record that ``server`` answered 415 to a compressed body."""


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for each phase of a call."""

    connect: float = 10.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0
    total: float = 60.0  # the whole exchange, however the server trickles its bytes

    def httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


DEFAULT_TIMEOUTS = Timeouts()


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """The base URL without a trailing slash; HTTPS, or HTTP to this machine (the sandbox)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query:
        raise ConfigError("api.bad_url", url=url)
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError("api.insecure_url", url=url)
    return url.strip().rstrip("/")


def check_credential(token: str) -> str:
    """A bearer credential is printable ASCII on one line (RFC 6750's token68 and kin); anything
    else (a pasted newline, a Vietnamese word) is refused before it goes into a header."""
    if not token or not all(" " < ch <= "~" for ch in token):
        raise ConfigError("delivery.bad_credential")
    return token


def tls_context(ca_bundle: Path | str | None) -> ssl.SSLContext:
    """Verification on, TLS 1.2 or newer; a pinned bundle replaces the public CAs."""
    try:
        context = ssl.create_default_context(cafile=str(ca_bundle or certifi.where()))
    except (OSError, ssl.SSLError) as error:
        raise ConfigError("api.ca_bundle", path=str(ca_bundle), reason=str(error)) from error
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class TreasuryClient:
    """Calls the treasury API v1 for one unit with the desk's bearer credential."""

    def __init__(
        self,
        server_url: str,
        unit: str,
        token: str,
        *,
        ca_bundle: Path | str | None = None,
        timeouts: Timeouts = DEFAULT_TIMEOUTS,
        gzip_above: int = 1024,
        transport: httpx.BaseTransport | None = None,
        max_answer: int = MAX_ANSWER,
        proxy: str | None = None,
        compression_memory: CompressionMemory | None = None,
    ) -> None:
        if not _UNIT.match(unit):
            raise ConfigError("api.bad_unit", unit=unit)
        check_credential(token)
        self.server_url = check_server_url(server_url)
        self.unit = unit
        self._gzip_above = gzip_above
        self._gzip_offered: bool | None = None  # None: /v1/health not asked yet
        self._memory = compression_memory
        self._total = timeouts.total
        self._finish_by: float | None = None
        self._max_answer = max_answer
        limits = httpx.Limits(max_connections=8, max_keepalive_connections=8)
        verify = tls_context(ca_bundle)
        self._http = httpx.Client(
            base_url=self.server_url,
            http2=True,
            verify=verify,
            timeout=timeouts.httpx(),
            limits=limits,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "Accept-Encoding": "gzip",
                "User-Agent": f"treasury-desktop/{__version__}",
            },
            # The office's proxy from the settings, else the environment's (HTTPS_PROXY …).
            transport=transport
            or bounded_transport(verify, limits, proxy or environment_proxy(self.server_url)),
            follow_redirects=False,
        )

    def finish_by(self, moment: float | None) -> None:
        """No exchange goes on past ``moment`` (``time.monotonic()``), e.g. the end of an
        ``outbox run --timeout``; None lifts it. Calls after it fail at once as timeouts."""
        self._finish_by = moment

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    def __enter__(self) -> TreasuryClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _unit_path(self, tail: str) -> str:
        return f"/v1/units/{self.unit}/{tail}"

    def _send(
        self,
        method: str,
        path: str,
        *,
        mutating: bool = False,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str | int] | None = None,
    ) -> httpx.Response:
        until = time.monotonic() + self._total
        if self._finish_by is not None:
            until = min(until, self._finish_by)
        try:
            with deadline(until):
                request = self._http.build_request(
                    method, path, content=content, headers=headers, params=params)
                response = self._http.send(request, stream=True)
                return read_bounded(response, self._max_answer, until)
        except httpx.HTTPError as error:
            raise transport_error(error, mutating, self.server_url) from error
        except AnswerTooLarge as error:
            raise TransientError("delivery.answer_too_large", maybe_committed=mutating,
                                 server=self.server_url) from error
        except BadEncoding as error:
            raise TransientError("api.bad_answer", maybe_committed=mutating) from error

    def health(self) -> ServerInfo:
        """The server's status, API version and capabilities (no credential needed); a server
        that lists ``gzip-requests`` gets larger bodies compressed from then on."""
        response = self._send("GET", "/v1/health")
        raise_for_status(response, self.unit)
        info = body_json(response, ServerInfo.from_json)
        self._gzip_offered = GZIP_CAPABILITY in info.capabilities
        return info

    def _send_json(self, method: str, path: str, data: Any) -> httpx.Response:
        """A JSON body, gzipped where offered; a 415 to a gzipped body is sent again plain and
        the server is remembered as one that takes no compressed bodies (RFC 7694)."""
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json"}
        large = len(payload) >= self._gzip_above
        if large and self._gzip_offered is None:  # ask once what the server takes
            try:
                self.health()
            except ApiError:
                self._gzip_offered = False  # plain is always understood
        if large and bool(self._gzip_offered) and not self._refuses_gzip():
            zipped = {**headers, "Content-Encoding": "gzip"}
            body = gzip.compress(payload, compresslevel=6)
            response = self._send(method, path, mutating=True, content=body, headers=zipped)
            if response.status_code != 415:
                return response
            with _refuses_lock:
                _refuses_gzip.add(self.server_url)
            if self._memory is not None:
                self._memory.remember_refusal(self.server_url)
        return self._send(method, path, mutating=True, content=payload, headers=headers)

    def _refuses_gzip(self) -> bool:
        with _refuses_lock:
            if self.server_url in _refuses_gzip:
                return True
        return self._memory is not None and self._memory.refuses(self.server_url)

    def deliver(self, document: Mapping[str, Any], signature: bytes) -> DeliveryResult:
        """PUT a signed voucher (idempotent: resend the same bytes after any TransientError)."""
        voucher_id = _voucher_id(document)
        path = self._unit_path(f"documents/{voucher_id}")
        response = self._send_json("PUT", path, _envelope(document, signature))
        if response.status_code in (200, 201, 409, 422):
            code = response.status_code
            return body_json(response, lambda data: _delivery_result(code, data), mutating=True)
        raise_for_status(response, self.unit, mutating=True)
        raise TransientError(
            "api.unexpected_status", status=response.status_code, maybe_committed=True
        )

    def deliver_batch(
        self, items: Sequence[tuple[Mapping[str, Any], bytes]]
    ) -> tuple[DeliveryResult, ...]:
        """Several vouchers in one POST, when health() lists ``documents-batch``; one result
        per item, in the items' order (paired by id, not by position), each exactly what its
        own PUT would have answered."""
        ids = [_voucher_id(document) for document, _ in items]
        path = self._unit_path("documents:batch")
        response = self._send_json("POST", path, {"items": [_envelope(d, s) for d, s in items]})
        raise_for_status(response, self.unit, mutating=True)

        def read(data: Any) -> tuple[DeliveryResult, ...]:
            by_id: dict[str, list[DeliveryResult]] = {}
            for r in data["results"]:
                result = _delivery_result(int(r["status"]), r.get("document") or r)
                by_id.setdefault(str(r["id"]), []).append(result)
            if sorted(ids) != sorted(k for k, found in by_id.items() for _ in found):
                raise ValueError("a batch answer names each sent voucher once")
            # The n-th item of an id gets the n-th result of that id, wherever it stands.
            return tuple(by_id[key].pop(0) for key in ids)

        return body_json(response, read, mutating=True)

    def document_status(self, voucher_id: str) -> DocumentStatus | None:
        """The voucher's status and history, or None when the treasury never received it."""
        response = self._send("GET", self._unit_path(f"documents/{quote(voucher_id, safe='')}"))
        if response.status_code == 404 and _code(response) == "document_not_found":
            return None
        raise_for_status(response, self.unit)
        return body_json(response, DocumentStatus.from_json)

    def receipt(self, voucher_id: str) -> dict[str, Any] | None:
        """The treasury's signed receipt of a paid voucher (verified by the caller), or None
        while there is none (not paid yet, or never received)."""
        path = self._unit_path(f"documents/{quote(voucher_id, safe='')}/receipt")
        response = self._send("GET", path)
        if response.status_code == 404 and _code(response) in ("receipt_not_found",
                                                              "document_not_found"):
            return None
        raise_for_status(response, self.unit)
        return body_json(response, _receipt_json)

    def changes(self, after: str | None = None, limit: int = 100) -> ChangesPage:
        """Status changes after ``after`` (from the start when None), oldest first."""
        params: dict[str, str | int] = {"limit": limit}
        if after is not None:
            params["after"] = after
        response = self._send("GET", self._unit_path("changes"), params=params)
        raise_for_status(response, self.unit)
        return body_json(response, ChangesPage.from_json)

    def balances(self, year: int, etag: str | None = None) -> Balances | None:
        """Remaining budget estimates; None when unchanged since ``etag`` (304)."""
        response = self._conditional(self._unit_path("balances"), {"year": year}, etag)
        if response is None:
            return None
        tag = response.headers.get("etag")
        return body_json(response, lambda data: Balances.from_json(data, tag))

    def catalog(self, name: str, year: int, etag: str | None = None) -> Catalog | None:
        """A budget-code list of a year; None when unchanged since ``etag`` (304)."""
        response = self._conditional(f"/v1/catalogs/{quote(name, safe='')}", {"year": year}, etag)
        if response is None:
            return None
        tag = response.headers.get("etag")
        return body_json(response, lambda data: Catalog.from_json(data, tag))

    def signers(self) -> tuple[Signer, ...]:
        """The unit's registered signers (also proves the credential works for this unit)."""
        response = self._send("GET", self._unit_path("signers"))
        raise_for_status(response, self.unit)
        return body_json(response, lambda d: tuple(Signer.from_json(s) for s in d["signers"]))

    def _conditional(
        self, path: str, params: Mapping[str, str | int], etag: str | None
    ) -> httpx.Response | None:
        headers = {"If-None-Match": etag} if etag else None
        response = self._send("GET", path, params=params, headers=headers)
        if response.status_code == 304:
            return None
        raise_for_status(response, self.unit)
        return response


def _receipt_json(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("receipt"), dict):
        raise ValueError("not a receipt")
    return data


def _code(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    return str(data.get("code", "")) if isinstance(data, dict) else ""


def _voucher_id(document: Mapping[str, Any]) -> str:
    voucher_id = str(document.get("id", ""))
    if not _VOUCHER_ID.match(voucher_id):
        raise ValueError(f"a voucher id is a lowercase UUID, not {voucher_id!r}")
    return voucher_id


def _envelope(document: Mapping[str, Any], signature: bytes) -> dict[str, Any]:
    return {"document": document, "signature": base64.b64encode(signature).decode("ascii")}


def _delivery_result(status: int, data: Mapping[str, Any]) -> DeliveryResult:
    if status in (200, 201):
        outcome = DeliveryOutcome.CREATED if status == 201 else DeliveryOutcome.REPLAYED
        return DeliveryResult(outcome, status, document=DocumentStatus.from_json(data))
    message, message_en = str(data["message"]), str(data.get("message_en", ""))
    if status == 409:
        details = data.get("details")
        held = details.get("content_hash") if isinstance(details, Mapping) else None
        return DeliveryResult(DeliveryOutcome.CONFLICT, 409, message=message, message_en=message_en,
                            held_hash=held if isinstance(held, str) else "")
    if status != 422:
        raise ValueError(f"unexpected item status {status}")
    reasons = data["reasons"]
    if not isinstance(reasons, list):
        raise TypeError("reasons is not a list")
    return DeliveryResult(
        DeliveryOutcome.INVALID,
        422,
        reasons=tuple(Reason.from_json(r) for r in reasons),
        message=message,
        message_en=message_en,
    )
