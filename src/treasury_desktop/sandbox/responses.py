"""The sandbox's JSON answers: the error body {code, message, message_en, details}."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from treasury_desktop.i18n import text


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON (Vietnamese stays readable)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def error_body(
    code: str, key: str, details: Mapping[str, Any] | None = None, **params: Any
) -> bytes:
    """The error JSON: ``code`` for programs, ``message`` for people (vi), ``message_en``."""
    return dumps(
        {
            "code": code,
            "message": text(key, "vi", **params),
            "message_en": text(key, "en", **params),
            "details": dict(details or {}),
        }
    )


class JSONResponse(Response):
    """A JSON answer."""

    media_type = "application/json"

    def __init__(
        self, content: Any, status_code: int = 200, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(dumps(content), status_code, headers=dict(headers or {}))


def error(
    status: int,
    code: str,
    key: str,
    *,
    details: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    **params: Any,
) -> Response:
    """An error answer with its JSON body."""
    return Response(
        error_body(code, key, details, **params),
        status,
        headers=dict(headers or {}),
        media_type="application/json",
    )
