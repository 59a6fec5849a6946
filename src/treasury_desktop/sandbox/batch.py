"""``POST /v1/units/{unit}/documents:batch``: many submissions in one exchange (quarter end).

Each item is handled exactly as its own PUT would be (same idempotency, same checks) and gets
its own result, in order; one bad item does not spoil the others. The per-document PUT stays
the baseline; a client uses the batch only when /v1/health lists ``documents-batch``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from treasury_desktop.sandbox.checks import reason
from treasury_desktop.sandbox.config import UnitConfig
from treasury_desktop.sandbox.documents import Outcome, Submissions, invalid

MAX_ITEMS = 100


def _item_id(item: Any) -> str | None:
    document = item.get("document") if isinstance(item, Mapping) else None
    raw = document.get("id") if isinstance(document, Mapping) else None
    if not isinstance(raw, str):
        return None
    try:
        return raw if str(uuid.UUID(raw)) == raw else None
    except ValueError:
        return None


def _result(voucher_id: str | None, outcome: Outcome) -> dict[str, Any]:
    body = outcome.body
    if outcome.status in (200, 201):
        return {"id": voucher_id, "status": outcome.status, "document": dict(body)}
    result = {
        "id": voucher_id,
        "status": outcome.status,
        "code": body["code"],
        "message": body["message"],
        "message_en": body["message_en"],
    }
    if "reasons" in body:
        result["reasons"] = body["reasons"]
    return result


def submit_batch(submissions: Submissions, unit: UnitConfig, items: list[Any]) -> dict[str, Any]:
    """Every item's result, in order."""
    results = []
    for item in items:
        voucher_id = _item_id(item)
        if voucher_id is None:
            outcome = invalid([reason("batch_item_id", "document.id")])
        else:
            outcome = submissions.submit(unit, voucher_id, item)
        results.append(_result(voucher_id, outcome))
    return {"results": results}
