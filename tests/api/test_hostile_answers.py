"""Answers no treasury should give, and what the client makes of them: never a final verdict
from a proxy's status, never a pause of years, never an overflow."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.errors import RequestRefused, TransientError
from treasury_desktop.api.models import TreasuryStatus
from treasury_desktop.api.responses import MAX_RETRY_AFTER, retry_after_seconds
from treasury_desktop.clock import Backoff

UNIT = "1171277"
DOC_ID = "0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60"


def client_answering(status: int, headers: dict[str, str] | None = None) -> TreasuryClient:
    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers or {}, json={"code": "x", "message": "x"})

    return TreasuryClient("http://127.0.0.1:9", UNIT, "token",
                          transport=httpx.MockTransport(answer))


@pytest.mark.parametrize("status", [408, 421, 425, 451])
def test_a_proxy_status_is_transient_and_maybe_committed(
    status: int, example_document: dict[str, Any]
) -> None:
    with client_answering(status) as api, pytest.raises(TransientError) as caught:
        api.deliver(example_document, b"cms")
    assert caught.value.maybe_committed


def test_a_malformed_request_is_still_refused(example_document: dict[str, Any]) -> None:
    with client_answering(400) as api, pytest.raises(RequestRefused):
        api.deliver(example_document, b"cms")


@pytest.mark.parametrize("raw", ["100000000000000", "99999999999999999999999", "²", "-5", "x"])
def test_retry_after_is_bounded_or_ignored(raw: str) -> None:
    seconds = retry_after_seconds(raw)
    assert seconds is None or 0 <= seconds <= MAX_RETRY_AFTER


def test_backoff_after_days_offline_does_not_overflow() -> None:
    rng = random.Random(1)
    backoff = Backoff(base=2.0, cap=300.0)
    for attempts in (1, 10, 1025, 100_000):
        assert 0 <= backoff.delay(attempts, rng) <= 300.0
    assert backoff.delay(5000, rng, retry_after=MAX_RETRY_AFTER) == MAX_RETRY_AFTER


def test_a_status_this_version_does_not_know_keeps_the_feed_moving() -> None:
    page = {
        "changes": [{"cursor": "7", "id": DOC_ID, "status": "cho_giao_dien_tabmis",
                     "detail": "Chờ giao diện TABMIS", "reason": None,
                     "at": "2026-11-20T08:00:00+00:00"}],
        "next_cursor": "7", "has_more": False,
    }

    def answer(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=page)

    with TreasuryClient("http://127.0.0.1:9", UNIT, "token",
                        transport=httpx.MockTransport(answer)) as api:
        [change] = api.changes().changes
    assert change.status is TreasuryStatus.UNKNOWN and not change.status.is_final
    assert change.detail == "Chờ giao diện TABMIS"
