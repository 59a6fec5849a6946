"""A 200/201 that names other content than the signed bytes never settles an item."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.port import DeliveryOutcome, TreasuryUnavailable
from treasury_desktop.domain.canonical import canonical_bytes, content_hash
from treasury_desktop.outbox.adapter import ClientPort


def port_answering(held: str) -> ClientPort:
    def answer(request: httpx.Request) -> httpx.Response:
        voucher_id = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(201, json={
            "id": voucher_id, "unit": "1171277", "status": "received", "content_hash": held,
            "received_at": "2026-11-20T08:00:00+00:00",
            "updated_at": "2026-11-20T08:00:00+00:00", "detail": "", "reason": None,
            "reference": "r", "dossier": "d", "history": [],
        })

    client = TreasuryClient("http://127.0.0.1:9", "1171277", "token",
                            transport=httpx.MockTransport(answer))
    return ClientPort(client)


def test_the_echoed_hash_must_be_the_signed_bytes(example_document: dict[str, Any]) -> None:
    data = canonical_bytes(example_document)
    good = port_answering(content_hash(data))
    try:
        assert good.deliver("1171277", example_document["id"], data, b"cms").outcome in (
            DeliveryOutcome.CREATED, DeliveryOutcome.REPLAYED)
    finally:
        good.close()
    other = json.loads(data)
    other["number"] = "999"
    wrong = port_answering(content_hash(canonical_bytes(other)))
    try:
        with pytest.raises(TreasuryUnavailable):
            wrong.deliver("1171277", example_document["id"], data, b"cms")
    finally:
        wrong.close()
