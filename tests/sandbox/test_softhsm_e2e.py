"""End to end with real tokens: SoftHSM2 signs, the app's client sends, the sandbox accepts."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from treasury_sandbox_world import TOKEN, UNIT, ManualClock, document

from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.models import DeliveryOutcome, TreasuryStatus
from treasury_desktop.domain.canonical import canonical_bytes, voucher_bytes
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.voucher import from_document, to_document
from treasury_desktop.sandbox.config import BudgetEstimate, RegisteredSigner, SandboxConfig
from treasury_desktop.sandbox.server import running_sandbox
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.token import default_algorithm, select_token


def _signing_fixtures():
    name = "treasury_signing_fixtures"  # the same session tokens as tests/signing
    if name not in sys.modules:
        path = Path(__file__).parents[1] / "signing" / "fixtures.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


fx = _signing_fixtures()
softhsm, softhsm_module_loaded = fx.softhsm, fx.softhsm_module_loaded


def _token_config(world, softhsm) -> SandboxConfig:
    unit = world.config.unit(UNIT)
    registered = (
        RegisteredSigner(softhsm.chief.key.certificate_der, SignerRole.CHIEF_ACCOUNTANT),
        RegisteredSigner(softhsm.holder.key.certificate_der, SignerRole.ACCOUNT_HOLDER),
    )
    config = world.config.with_unit(replace(unit, signers=registered))
    return replace(config, trusted_cas=(softhsm.ca.cert_der,))


def _token_sign(content: bytes, softhsm, softhsm_module_loaded) -> bytes:
    """Both signatures, chief accountant then account holder, each on its SoftHSM2 token."""
    cms = None
    for provisioned, role in (
        (softhsm.chief, SignerRole.CHIEF_ACCOUNTANT),
        (softhsm.holder, SignerRole.ACCOUNT_HOLDER),
    ):
        token = select_token(softhsm_module_loaded.tokens(), provisioned.label)
        token.login(fx.USER_PIN)
        try:
            algorithm = default_algorithm(provisioned.key.key_type)
            cms = add_signature(
                content,
                cms,
                provisioned.key.certificate_der,
                role,
                lambda data, t=token, k=provisioned.key, a=algorithm: t.sign(
                    k.cert_sha256, data, a
                ),
                algorithm,
                datetime.now(UTC),
            )
        finally:
            token.logout()
    assert cms is not None
    return cms


def _paid(sandbox, api: TreasuryClient, clock: ManualClock, voucher_id: str):
    for _ in range(6):
        clock.advance(100)
        sandbox.state.clerk.run_due()
    return api.document_status(voucher_id)


def test_token_signed_voucher_is_received_and_paid(
    world, softhsm, softhsm_module_loaded, tmp_path: Path
) -> None:
    doc = document(4_500_000)
    cms = _token_sign(canonical_bytes(doc), softhsm, softhsm_module_loaded)
    clock = ManualClock()
    with (
        running_sandbox(
            _token_config(world, softhsm), tmp_path / "e2e.sqlite3", clock=clock, seed=4
        ) as sandbox,
        TreasuryClient(sandbox.url, UNIT, TOKEN) as api,
    ):
        result = api.deliver(doc, cms)
        assert result.outcome is DeliveryOutcome.CREATED, result.reasons
        status = _paid(sandbox, api, clock, doc["id"])
        # The software-signed voucher of the test world is refused: not this unit's signers now.
        other = document()
        refused = api.deliver(other, world.sign(other))
    assert status is not None and status.status is TreasuryStatus.PAID
    assert refused.outcome is DeliveryOutcome.INVALID
    assert {r.code for r in refused.reasons} == {"signature_invalid"}  # untrusted CA


PAYROLL = Path(__file__).parents[1] / "data" / "payroll_c2_02b.json"


def test_a_payroll_voucher_with_tax_is_signed_verified_and_paid(
    world, softhsm, softhsm_module_loaded, tmp_path: Path
) -> None:
    """C2-02b/NS: six salary lines, one tax block; SoftHSM2 signs, openssl verifies, the
    sandbox treasury receives and pays it; tampering with the tax part is refused."""
    voucher = from_document(json.loads(PAYROLL.read_text("utf-8")))
    voucher = voucher.with_changes(id=str(uuid.uuid4()), date="2026-02-25")
    doc = to_document(voucher)
    assert len(doc["lines"]) == 6 and doc["tax_total"] == 1_755_000
    content = voucher_bytes(voucher)
    cms = _token_sign(content, softhsm, softhsm_module_loaded)
    assert fx.openssl_verify(content, cms, softhsm.ca.cert_path, tmp_path / "ok") == 0
    config = _token_config(world, softhsm)
    unit = config.unit(UNIT)
    roomy = (BudgetEstimate(2026, "422", "072", "13", 500_000_000),)
    config = config.with_unit(replace(unit, estimates=roomy))
    clock = ManualClock()
    with (
        running_sandbox(config, tmp_path / "payroll.sqlite3", clock=clock, seed=4) as sandbox,
        TreasuryClient(sandbox.url, UNIT, TOKEN) as api,
    ):
        # The same signed bytes claiming another split: the parts no longer add up.
        forged = copy.deepcopy(doc)
        forged["id"] = str(uuid.uuid4())
        forged["payee_total"] -= 100_000
        refused = api.deliver(forged, _token_sign(canonical_bytes(forged), softhsm,
                                                 softhsm_module_loaded))
        result = api.deliver(doc, cms)
        assert result.outcome is DeliveryOutcome.CREATED, result.reasons
        status = _paid(sandbox, api, clock, doc["id"])
    assert status is not None and status.status is TreasuryStatus.PAID
    assert refused.outcome is DeliveryOutcome.INVALID
    assert {r.code for r in refused.reasons} == {"payee_total.mismatch", "split.mismatch"}
    split = next(r for r in refused.reasons if r.code == "split.mismatch")
    assert "không bằng tổng số tiền" in split.message
