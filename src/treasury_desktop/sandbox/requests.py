"""Reading a request safely: the bearer credential, the path, the (gzip) body, the JSON.

Each helper raises :class:`Refusal`, a ready 4xx answer, so a handler never turns bad input into
a 500.
"""

from __future__ import annotations

import re
import uuid
import zlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from treasury_desktop.domain.limits import LimitExceeded, load_json
from treasury_desktop.sandbox.checks import from_problem
from treasury_desktop.sandbox.config import SandboxConfig, UnitConfig
from treasury_desktop.sandbox.documents import invalid
from treasury_desktop.sandbox.responses import JSONResponse, error

_UNIT = re.compile(r"^[0-9]{7}$")


class Refusal(Exception):  # noqa: N818 - it is an answer, not a failure of ours
    """A 4xx answer raised from deep inside a handler."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def refuse(status: int, code: str, key: str, **params: Any) -> Refusal:
    """A :class:`Refusal` with the JSON error body."""
    headers = {"WWW-Authenticate": 'Bearer realm="kbnn"'} if status == 401 else None
    return Refusal(error(status, code, key, headers=headers, **params))


def bearer_units(request: Request, config: SandboxConfig) -> tuple[str, ...]:
    """The unit codes the request's desk credential serves (401 when there is none)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise refuse(401, "unauthorized", "sandbox.error.no_credential")
    units = config.units_for_token(token.strip())
    if units is None:
        raise refuse(401, "unauthorized", "sandbox.error.bad_credential")
    return units


def authorized_unit(request: Request, config: SandboxConfig) -> UnitConfig:
    """The unit of the path, if the credential may act for it (401, 400, 403)."""
    allowed = bearer_units(request, config)
    code = request.path_params.get("unit", "")
    if not _UNIT.match(code):
        raise refuse(400, "invalid_unit", "sandbox.error.invalid_unit", unit=code[:20])
    unit = config.unit(code)
    if unit is None or code not in allowed:
        # An unknown unit answers exactly like one the credential does not cover: a desk cannot
        # probe which unit codes exist.
        raise refuse(403, "forbidden", "sandbox.error.forbidden", unit=code)
    return unit


def voucher_id_of(request: Request) -> str:
    """The document id of the path: a UUID in its canonical lowercase form."""
    raw = str(request.path_params.get("id", ""))
    try:
        parsed = uuid.UUID(raw)
    except ValueError:
        parsed = None
    if parsed is None or str(parsed) != raw:
        raise refuse(400, "invalid_id", "sandbox.error.invalid_id")
    return raw


def int_param(request: Request, name: str, low: int, high: int, default: int | None) -> int:
    """A whole-number query parameter within [low, high] (400 otherwise)."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if default is None:
            raise refuse(400, "invalid_parameter", "sandbox.error.parameter_missing", name=name)
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise refuse(
            400, "invalid_parameter", "sandbox.error.parameter_range", name=name, low=low, high=high
        )
    return int(raw)


async def read_body(request: Request, limit: int) -> bytes:
    """The body, gunzipped when sent with Content-Encoding: gzip; 413 past ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise await _too_large(request, limit, int(declared))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise await _too_large(request, limit, None)
        chunks.append(chunk)
    body = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding != "gzip":
        raise refuse(415, "unsupported_encoding", "sandbox.error.encoding", encoding=encoding[:20])
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        plain = inflater.decompress(body, limit + 1)
    except zlib.error as failure:
        raise refuse(400, "malformed_body", "sandbox.error.bad_gzip") from failure
    if len(plain) > limit or inflater.unconsumed_tail:
        raise refuse(413, "too_large", "sandbox.error.too_large", limit=limit)
    return plain


DRAIN_LIMIT = 64 * 1024 * 1024
"""An oversize body up to this size is read and thrown away, so that the client, still
sending, reads the 413 instead of a connection reset; a larger one is cut off."""


async def _too_large(request: Request, limit: int, declared: int | None) -> Refusal:
    refusal = refuse(413, "too_large", "sandbox.error.too_large", limit=limit)
    refusal.response.headers["Connection"] = "close"
    if declared is None or declared <= DRAIN_LIMIT:
        drained = 0
        async for chunk in request.stream():
            drained += len(chunk)
            if drained > DRAIN_LIMIT:
                break
    return refusal


def require_json(request: Request) -> None:
    """A body is JSON (``application/json``, any parameters): 415 otherwise."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise refuse(415, "unsupported_media_type", "sandbox.error.media_type")


def parse_json(body: bytes) -> Any:
    """The JSON value of the body (400 when it is not UTF-8 JSON)."""
    try:  # the desk's limits (nesting, digits, NaN), with the desk's reasons
        return load_json(body.decode("utf-8"), max_bytes=len(body))
    except LimitExceeded as failure:
        refused = invalid([from_problem(failure.problem)])
        raise Refusal(JSONResponse(refused.body, refused.status)) from failure
    except (UnicodeDecodeError, ValueError, RecursionError) as failure:
        raise refuse(400, "malformed_json", "sandbox.error.malformed_json") from failure
