"""The desk runs the treasury's rule before queuing: a voucher whose signers' certificates expired
after they signed is queued when trusted timestamps (a TSA under one of the desk's anchors) prove
when they signed, and refused without them, exactly as the sandbox's door does."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from tests.outbox.signed_vouchers import ACTOR, seed_signed
from tests.trust.levels import NOW, DirectTsa, ExpiredSigners
from treasury_signing_fixtures import register

from treasury_desktop import paths
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.timestamp import add_timestamps
from treasury_desktop.store.db import connect
from treasury_desktop.usecases.queueing import QueueOutcome, QueueService
from treasury_desktop.usecases.trust import desk_anchors, open_trust_store


@pytest.fixture(scope="module")
def signers(tmp_path_factory: pytest.TempPathFactory) -> ExpiredSigners:
    return ExpiredSigners(tmp_path_factory.mktemp("desk-stamps"))


def test_the_desk_queues_a_timestamped_voucher_after_the_certificates_expired(
        signers: ExpiredSigners, tmp_path: Path) -> None:
    data_dir = tmp_path / "desk"
    data_dir.mkdir()
    conn = connect(paths.database_path(data_dir))
    tsa = DirectTsa(signers.tsa())
    try:
        [stamped] = seed_signed(conn, 1, sign=lambda data: add_timestamps(
            signers.sign(data, roles=2), tsa))
        [plain] = seed_signed(conn, 1, sign=lambda data: signers.sign(data, roles=2), start=2)
        register(conn, signers.certs[0], SignerRole.CHIEF_ACCOUNTANT)
        register(conn, signers.certs[1], SignerRole.ACCOUNT_HOLDER)
        open_trust_store(data_dir).add(signers.levels.root.cert_path.read_bytes())
        # a desk that does not know its anchors trusts no timestamp: the treasury's rule, plainly
        blind = QueueService(conn, ACTOR, lambda: NOW + timedelta(minutes=1))
        [refused] = blind.queue([stamped])
        assert refused.outcome is QueueOutcome.SIGNATURE_INVALID
        assert "không có dấu thời gian tin cậy" in refused.message.render("vi")
        service = QueueService(conn, ACTOR, lambda: NOW + timedelta(minutes=1),
                                anchors=desk_anchors(data_dir))
        results = {r.voucher_id: r for r in service.queue([stamped, plain])}
    finally:
        conn.close()
    assert results[stamped].outcome is QueueOutcome.QUEUED, results[stamped].message.render("en")
    assert results[plain].outcome is QueueOutcome.SIGNATURE_INVALID
    assert "không còn hiệu lực vào ngày nhận" in results[plain].message.render("vi")
