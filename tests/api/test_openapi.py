"""The OpenAPI check of recorded exchanges is not vacuous: it catches a wrong answer."""

from __future__ import annotations

import httpx
import pytest
from openapi_core.exceptions import OpenAPIError
from treasury_sandbox_world import UNIT, check_exchanges

BASE = "http://127.0.0.1:8765"


def _exchange(path: str, status: int, body: bytes) -> tuple[httpx.Request, httpx.Response]:
    request = httpx.Request("GET", BASE + path, headers={"Authorization": "Bearer x"})
    response = httpx.Response(
        status, content=body, request=request, headers={"Content-Type": "application/json"}
    )
    return request, response


def test_a_conforming_answer_passes() -> None:
    body = b'{"unit": "1171277", "signers": []}'
    check_exchanges([_exchange(f"/v1/units/{UNIT}/signers", 200, body)])


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        (f"/v1/units/{UNIT}/signers", 200, b'{"unit": "1171277"}'),  # signers missing
        (f"/v1/units/{UNIT}/changes", 200, b'{"changes": [], "next_cursor": 5, "has_more": false}'),
        (f"/v1/units/{UNIT}/signers", 418, b'{"code": "teapot"}'),  # undocumented status
        (f"/v1/units/{UNIT}/signers", 401, b'{"code": "unauthorized"}'),  # no message
    ],
)
def test_a_wrong_answer_is_caught(path: str, status: int, body: bytes) -> None:
    with pytest.raises(OpenAPIError):
        check_exchanges([_exchange(path, status, body)])
