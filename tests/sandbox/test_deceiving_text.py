"""The sandbox treasury refuses text that can deceive, with the desk's own rule: a payee
name with a right-to-left override is a 422 reason naming the field, not a stored voucher."""

from __future__ import annotations

import base64

import httpx
import pytest
from treasury_sandbox_world import TOKEN, UNIT, document


@pytest.fixture
def http(sandbox) -> httpx.Client:
    with httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        yield c


@pytest.mark.parametrize("hidden", ["\u202e", "\u2066", "\x00", "\u200b"])
def test_hidden_characters_are_refused_by_the_treasury(http: httpx.Client, hidden: str) -> None:
    doc = document()
    doc["payee"] = {**doc["payee"], "name": f"Công ty {hidden}ABC"}
    body = {"document": doc, "signature": base64.b64encode(b"0" * 64).decode()}
    answer = http.put(f"/v1/units/{UNIT}/documents/{doc['id']}", json=body)
    assert answer.status_code == 422, answer.text
    reasons = answer.json()["reasons"]
    assert {"payee.name"} <= {r["field"] for r in reasons if r["code"] == "text.hidden_character"}


@pytest.mark.parametrize(
    ("raw", "code"),
    [(b'{"document": ' + b"[" * 5_000 + b"]" * 5_000 + b"}", "limit.depth"),
     (b'{"document": {"total": ' + b"9" * 5_000 + b"}}", "limit.digits"),
     (b'{"document": {"total": NaN}}', "limit.not_a_number")],
    ids=["deep", "digits", "nan"],
)
def test_hostile_json_is_refused_with_the_limit_as_reason(
    http: httpx.Client, raw: bytes, code: str
) -> None:
    answer = http.put(f"/v1/units/{UNIT}/documents/{document()['id']}", content=raw,
                      headers={"Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert [r["code"] for r in answer.json()["reasons"]] == [code]
