"""One contract, two treasuries: the in-memory fake and the real client over the sandbox."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from signed_vouchers import document

sys.path.insert(0, str(Path(__file__).parents[1] / "chaos"))

from signed_desk import TOKEN, UNIT, SigningKit, make_kit  # noqa: E402

from treasury_desktop.api.client import TreasuryClient  # noqa: E402
from treasury_desktop.api.port import DeliveryOutcome, TreasuryPort  # noqa: E402
from treasury_desktop.domain.canonical import canonical_bytes  # noqa: E402
from treasury_desktop.domain.voucher import from_document, to_document  # noqa: E402
from treasury_desktop.outbox.adapter import ClientPort  # noqa: E402
from treasury_desktop.outbox.fake import FakeTreasury  # noqa: E402
from treasury_desktop.sandbox.server import running_sandbox  # noqa: E402


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> SigningKit:
    return make_kit(tmp_path_factory.mktemp("ca"))


@pytest.fixture(params=["fake", "sandbox"])
def port(request: pytest.FixtureRequest, kit: SigningKit) -> Iterator[TreasuryPort]:
    if request.param == "fake":
        yield FakeTreasury()
        return
    with running_sandbox(kit.sandbox_config(step_seconds=3600)) as sandbox:
        client = ClientPort(TreasuryClient(sandbox.url, UNIT, TOKEN))
        yield client
        client.close()


def signed(kit: SigningKit, number: int) -> tuple[str, bytes, bytes]:
    doc = to_document(from_document(document(number)))
    data = canonical_bytes(doc)
    return str(doc["id"]), data, kit.sign(data)


def test_submit_is_idempotent_and_refuses_other_content(port: TreasuryPort,
                                                        kit: SigningKit) -> None:
    voucher_id, data, cms = signed(kit, 1)
    assert port.deliver(UNIT, voucher_id, data, cms).outcome is DeliveryOutcome.CREATED
    again = port.deliver(UNIT, voucher_id, data, cms)
    assert again.outcome is DeliveryOutcome.REPLAYED and again.delivered
    other = json.loads(data)
    other["number"] = "2"
    other_bytes = canonical_bytes(other)
    conflict = port.deliver(UNIT, voucher_id, other_bytes, kit.sign(other_bytes))
    assert conflict.outcome is DeliveryOutcome.CONFLICT and conflict.reasons
    assert conflict.reasons[0].message


def test_status_and_changes_feed(port: TreasuryPort, kit: SigningKit) -> None:
    assert port.get_status(UNIT, "0193a9c6-0000-7000-8000-000000000000") is None
    ids = []
    for n in range(3):
        voucher_id, data, cms = signed(kit, n + 10)
        port.deliver(UNIT, voucher_id, data, cms)
        ids.append(voucher_id)
    state = port.get_status(UNIT, ids[0])
    assert state is not None and state.status == "received" and state.history
    first = port.changes(UNIT, None, 2)
    assert [c.voucher_id for c in first.changes] == ids[:2] and first.has_more
    rest = port.changes(UNIT, first.next_cursor, 2)
    assert [c.voucher_id for c in rest.changes] == ids[2:] and not rest.has_more
    assert port.changes(UNIT, rest.next_cursor, 2).changes == ()


def test_balances_with_etag(port: TreasuryPort) -> None:
    fetched = port.balances(UNIT, 2026, None)
    assert fetched.etag and fetched.body is not None
    again = port.balances(UNIT, 2026, fetched.etag)
    assert again.body is None and again.etag == fetched.etag
