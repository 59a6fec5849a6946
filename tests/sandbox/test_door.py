"""The door of the treasury: idempotent PUT, every reason for a 422, concurrent replays."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from treasury_sandbox_world import UNIT, document

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.models import DeliveryOutcome, TreasuryStatus
from treasury_desktop.domain.canonical import canonical_bytes, content_hash


def test_first_put_201_replay_200_other_content_409(world, client: TreasuryClient) -> None:
    doc = document()
    cms = world.sign(doc)
    first = client.deliver(doc, cms)
    assert first.outcome is DeliveryOutcome.CREATED and first.http_status == 201
    assert first.document is not None
    assert first.document.status is TreasuryStatus.RECEIVED
    assert first.document.content_hash == content_hash(canonical_bytes(doc))
    assert re.fullmatch(rf"\d{{6}}_{UNIT}_0011\d{{3}}", first.document.reference)
    assert first.document.dossier.startswith("H")

    resigned = world.sign(doc)  # other signature bytes, same content: still a replay
    replay = client.deliver(doc, resigned)
    assert replay.outcome is DeliveryOutcome.REPLAYED and replay.http_status == 200
    assert replay.document == first.document

    other = dict(doc, number="126")
    conflict = client.deliver(other, world.sign(other))
    assert conflict.outcome is DeliveryOutcome.CONFLICT and conflict.http_status == 409
    assert "khác" in conflict.message


def test_invalid_document_gives_every_reason(world, client: TreasuryClient) -> None:
    doc = document()
    doc["lines"][0]["ndkt"] = "6598"  # not in the 2026 catalogue
    doc["total"] = 999  # does not match the lines
    cms = world.sign(doc, [world.outsider])  # unregistered, and no account holder
    result = client.deliver(doc, cms)
    assert result.outcome is DeliveryOutcome.INVALID and result.http_status == 422
    codes = {(r.field, r.code) for r in result.reasons}
    assert ("lines[0].ndkt", "ndkt.unknown") in codes
    assert ("total", "total.mismatch") in codes
    assert ("signature", "signer_not_registered") in codes
    assert ("signature", "role_missing") in codes
    assert all(r.message and r.message_en for r in result.reasons)
    assert any("Lê Văn Hùng" in r.message for r in result.reasons)
    assert client.document_status(doc["id"]) is None  # nothing stored for a 422


def test_signature_over_other_bytes_is_refused(world, client: TreasuryClient) -> None:
    doc = document()
    cms = world.sign(doc)
    tampered = dict(doc, payee=dict(doc["payee"], account="999999999999"))
    result = client.deliver(tampered, cms)
    assert result.outcome is DeliveryOutcome.INVALID
    assert [r.code for r in result.reasons] == ["signature_invalid"]


def test_roles_checked_against_registration_and_order(world, client: TreasuryClient) -> None:
    doc = document()
    now = datetime.now(UTC)
    # The account holder's signature dated before the chief accountant's.
    chief_late = world.sign(doc, [world.chief], at=now - timedelta(minutes=1))
    from treasury_desktop.signing.cms import add_signature

    both = add_signature(
        canonical_bytes(doc),
        chief_late,
        world.holder.der,
        world.holder.role,
        world.holder.sign_attrs,
        world.holder.algorithm,
        now - timedelta(minutes=10),
    )
    result = client.deliver(doc, both)
    assert [r.code for r in result.reasons] == ["order"]

    only_chief = client.deliver(doc, world.sign(doc, [world.chief]))
    assert [(r.code, r.message) for r in only_chief.reasons] == [
        ("role_missing", "Thiếu chữ ký của chủ tài khoản.")
    ]


def test_unit_and_id_must_match_the_path(world, client: TreasuryClient) -> None:
    doc = document(unit=dict(document()["unit"], account="9523.2.0000000"))
    result = client.deliver(doc, world.sign(doc))
    assert [r.code for r in result.reasons] == ["account_mismatch"]


def test_concurrent_identical_puts_make_one_document(world, client: TreasuryClient) -> None:
    doc = document()
    cms = world.sign(doc)
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: client.deliver(doc, cms), range(12)))
    outcomes = sorted(r.outcome.value for r in results)
    assert outcomes.count("created") == 1
    assert outcomes.count("replayed") == 11
    status = client.document_status(doc["id"])
    assert status is not None and len(status.history) == 1


def test_fiscal_year_without_catalogue(world, client: TreasuryClient) -> None:
    doc = document(fiscal_year=2031, date="2031-01-05")
    result = client.deliver(doc, world.sign(doc))
    assert "fiscal_year.no_catalog" in {r.code for r in result.reasons}


@pytest.mark.parametrize("field", ["document", "signature"])
def test_missing_parts_are_reasons(sandbox, field: str) -> None:
    import httpx
    from treasury_sandbox_world import TOKEN

    body = {"document": document(), "signature": "AAAA"}
    del body[field]
    with httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        answer = http.put(
            f"/v1/units/{UNIT}/documents/{body.get('document', document())['id']}", json=body
        )
    assert answer.status_code == 422
    assert field in {r["field"] for r in answer.json()["reasons"]}


def _submit_with(world, config, tmp_path, doc, cms):
    from treasury_sandbox_world import TOKEN

    from treasury_desktop.sandbox.server import running_sandbox

    with (
        running_sandbox(config, tmp_path / "other.sqlite3") as running,
        TreasuryClient(running.url, UNIT, TOKEN) as api,
    ):
        return api.deliver(doc, cms)


def test_signers_in_the_wrong_role(world, tmp_path) -> None:
    from dataclasses import replace

    from treasury_desktop.sandbox.config import RegisteredSigner

    unit = world.config.unit(UNIT)
    swapped = (
        RegisteredSigner(world.chief.der, world.holder.role),
        RegisteredSigner(world.holder.der, world.chief.role),
    )
    config = world.config.with_unit(replace(unit, signers=swapped))
    doc = document()
    result = _submit_with(world, config, tmp_path, doc, world.sign(doc))
    assert [r.code for r in result.reasons] == ["signer_wrong_role", "signer_wrong_role"]
    assert "kế toán trưởng" in result.reasons[0].message


def test_expired_certificate_is_refused(world, tmp_path) -> None:
    from treasury_sandbox_world import Signer

    from treasury_desktop.domain.roles import SignerRole
    from treasury_desktop.signing.testca import generate_key, issue_certificate

    now = datetime.now(UTC)
    key = generate_key("EC P-256")
    der = issue_certificate(
        world.ca,
        key.public_key(),
        holder_name="Phạm Thị Hoa",
        unit_name="Trường THCS Phú Lương",
        not_before=now - timedelta(days=400),
        not_after=now - timedelta(days=1),
    )
    expired = Signer(key, der, SignerRole.CHIEF_ACCOUNTANT)
    config = world.config.with_signer(UNIT, der, SignerRole.CHIEF_ACCOUNTANT)
    doc = document()
    result = _submit_with(world, config, tmp_path, doc, world.sign(doc, [expired, world.holder]))
    assert [r.code for r in result.reasons] == ["signature_invalid"]
    assert "Phạm Thị Hoa" in result.reasons[0].message



def test_a_signature_made_long_before_upload_is_refused(world) -> None:
    from treasury_desktop.sandbox.checks import MAX_SIGNATURE_AGE, check_signatures

    doc = document()
    content = canonical_bytes(doc)
    unit = world.config.unit(UNIT)
    later = datetime.now(UTC) + MAX_SIGNATURE_AGE + timedelta(days=1)
    reasons = check_signatures(world.config, unit, content, world.sign(doc), later)
    assert "signed_too_long_ago" in {r.code for r in reasons}
    assert check_signatures(world.config, unit, content, world.sign(doc), datetime.now(UTC)) == []
