"""Turning httpx failures and HTTP statuses into the API's error classes."""

from __future__ import annotations

import email.utils
import ssl
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from treasury_desktop.api.errors import AuthError, ConfigError, RequestRefused, TransientError

T = TypeVar("T")


MAX_RETRY_AFTER = 3600.0
"""A server asking for a longer pause than this is not believed (a typo or garbage would park
vouchers for years); the outbox comes back within the hour."""


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds (a number or an HTTP date), at most an hour, or None."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(0.0, when.timestamp() - time.time()), MAX_RETRY_AFTER)


def _tls_failure(error: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def transport_error(error: httpx.HTTPError, mutating: bool, server: str) -> Exception:
    """The API error for a failed exchange. Only failures before the request left (connect,
    pool) are sure not to have reached the server; anything later may have been committed."""
    tls = _tls_failure(error)
    if tls is not None:
        return ConfigError(
            "api.tls", server=server, reason=getattr(tls, "reason", None) or str(tls)
        )
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return ConfigError("api.bad_url", url=server)
    if isinstance(error, httpx.ConnectTimeout | httpx.ConnectError | httpx.PoolTimeout):
        return TransientError("api.offline" if mutating else "delivery.offline_call", server=server)
    if isinstance(error, httpx.TimeoutException):
        return TransientError("api.timeout" if mutating else "delivery.timeout_call",
                              server=server, maybe_committed=mutating)
    if isinstance(error, httpx.DecodingError):
        return TransientError("api.bad_answer", maybe_committed=mutating)
    return TransientError("api.connection_lost" if mutating else "delivery.lost_call",
                          server=server, maybe_committed=mutating)


def _error_fields(response: httpx.Response) -> tuple[str, str]:
    try:
        data = response.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    return str(data.get("code", "")), str(data.get("message", ""))


def raise_for_status(response: httpx.Response, unit: str, *, mutating: bool = False) -> None:
    """Raise the API error for a non-2xx answer (304 is handled by the caller)."""
    status = response.status_code
    if 200 <= status < 300:
        return
    code, said = _error_fields(response)
    if status == 511:  # RFC 6585: the network wants a login first (a captive portal)
        raise TransientError("delivery.not_treasury_page", status=status, server=_host(response))
    if 300 <= status < 400:
        raise ConfigError(
            "api.redirect",
            status=status,
            server=str(response.url),
            location=response.headers.get("location", ""),
        )
    if status in (429, 503):
        raise TransientError(
            "api.busy",
            status=status,
            retry_after=retry_after_seconds(response.headers.get("retry-after")),
        )
    if status >= 500:
        raise TransientError("api.server_error", status=status, maybe_committed=mutating)
    if status == 401:
        raise AuthError("api.auth_invalid", status=status, server_message=said)
    if status == 403:
        raise AuthError("api.auth_forbidden", status=status, unit=unit, server_message=said)
    if status == 404 and code == "unit_not_found":
        raise ConfigError("api.unit_unknown", status=status, unit=unit)
    if status == 404:
        raise ConfigError("api.not_treasury", status=status, server=str(response.url))
    if status == 413:
        raise RequestRefused("api.too_large", status=status, code=code, server_message=said or code)
    if status in (400, 415, 422):
        raise RequestRefused("api.refused", status=status, code=code, server_message=said or code)
    # 408, 421, 425 … come from proxies and front ends, not from the treasury's verdict: the
    # request may even have been committed. Try again later, never treat it as a refusal.
    raise TransientError("api.unexpected_status", status=status, maybe_committed=mutating)


def body_json(response: httpx.Response, read: Callable[[Any], T], *, mutating: bool = False) -> T:
    """Read a 2xx JSON answer; a body that is not what the API says is a transient failure
    (a proxy's error page, a cut connection), and after a PUT it may follow a commit. An HTML
    page is no treasury's answer: most likely the login page of the network (a captive portal)."""
    if _is_html(response):
        raise TransientError("delivery.not_treasury_page", status=response.status_code,
                             server=_host(response), maybe_committed=mutating)
    try:
        return read(response.json())
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise TransientError(
            "api.bad_answer", status=response.status_code, maybe_committed=mutating
        ) from error


def _is_html(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml") or response.content[:64].lstrip(
        b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<!doctype html", b"<html"))


def _host(response: httpx.Response) -> str:
    return response.url.host
