"""What can go wrong talking to the treasury, sorted by what the outbox should do about it.

- :class:`TransientError`: try again later (network, timeout, 5xx, 429/503, a broken answer).
  ``retry_after`` is the server's Retry-After in seconds, when it gave one.
  ``maybe_committed`` says the server may have acted on a PUT before the answer was lost:
  resend the same bytes (the PUT is idempotent) or ask for the document's status first.
- :class:`AuthError`: the desk credential is wrong (401) or not for this unit (403): pause.
- :class:`ConfigError`: a bad server address, a TLS failure, an unknown unit: pause and say so.
- :class:`RequestRefused`: the server refused the request itself (400, 413, 415): a transport
  refusal, never the treasury's word on a voucher; the outbox pauses and keeps the items.

All are :class:`ExpectedError`, so the user reads a plain Vietnamese sentence.
"""

from __future__ import annotations

from typing import Any

from treasury_desktop.i18n import ExpectedError


class ApiError(ExpectedError):
    """Any failure of a call to the treasury API; ``status`` is the HTTP status, if any."""

    def __init__(self, key: str, /, *, status: int | None = None, **params: Any) -> None:
        self.status = status
        if status is not None:  # the sentences that name the status read it from the params
            params.setdefault("status", status)
        super().__init__(key, **params)


class TransientError(ApiError):
    """Worth retrying later; see the module docstring for ``maybe_committed``."""

    def __init__(
        self,
        key: str,
        /,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        maybe_committed: bool = False,
        **params: Any,
    ) -> None:
        self.retry_after = retry_after
        self.maybe_committed = maybe_committed
        super().__init__(key, status=status, **params)


class AuthError(ApiError):
    """The credential is not accepted (401) or not for this unit (403): pause the outbox."""


class ConfigError(ApiError):
    """The connection settings are wrong (URL, TLS, unit): pause the outbox and say why."""


class RequestRefused(ApiError):
    """The server refused the request as such (``code`` is its error code)."""

    def __init__(self, key: str, /, *, status: int | None = None, code: str = "", **params: Any):
        self.code = code
        super().__init__(key, status=status, **params)
