"""The optional batch submission: per-item results, the same idempotency as the PUT."""

from __future__ import annotations

from treasury_sandbox_world import document

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.models import DeliveryOutcome


def test_batch_gives_each_item_its_own_result(world, client: TreasuryClient) -> None:
    assert "documents-batch" in client.health().capabilities
    first, second, bad = document(), document(2_000_000), document()
    bad["lines"][0]["ndkt"] = "6598"
    client.deliver(first, world.sign(first))
    taken = dict(first, number="999")  # the id of `first` with other content
    results = client.deliver_batch(
        [
            (first, world.sign(first)),
            (second, world.sign(second)),
            (bad, world.sign(bad)),
            (taken, world.sign(taken)),
        ]
    )
    assert [r.outcome for r in results] == [
        DeliveryOutcome.REPLAYED,
        DeliveryOutcome.CREATED,
        DeliveryOutcome.INVALID,
        DeliveryOutcome.CONFLICT,
    ]
    assert results[1].document is not None and results[1].document.id == second["id"]
    assert [r.code for r in results[2].reasons] == ["ndkt.unknown"]
    again = client.deliver_batch([(second, world.sign(second))])
    assert again[0].outcome is DeliveryOutcome.REPLAYED
    assert again[0].document == client.document_status(second["id"])
