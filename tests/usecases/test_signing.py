"""Signing vouchers: real SoftHSM2 tokens for the path users take, a fake token for what
SoftHSM2 cannot show (a locked PIN, a token pulled out mid-batch)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from treasury_signing_fixtures import make_vouchers, register

from treasury_desktop.context import AppContext
from treasury_desktop.domain.canonical import voucher_bytes
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.errors import PinIncorrect, PinLocked
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.fake_token import FakeSlots, FakeToken
from treasury_desktop.signing.testca import generate_key, issue_certificate
from treasury_desktop.store.audit import audit_entries
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import RegisteredSigner, SignatureStore, SignerRegistry
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.signing import SigningRequest, SigningService

CHIEF, HOLDER = SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER


@pytest.fixture
def executor() -> Iterator[TokenExecutor]:
    with TokenExecutor() as ex:
        yield ex


@pytest.fixture
def conn(ctx: AppContext) -> sqlite3.Connection:
    return ctx.connect()


def test_two_signers_on_softhsm_and_openssl_accepts(
    ctx: AppContext, conn: sqlite3.Connection, executor: TokenExecutor, softhsm: Any,
    softhsm_module_loaded: Any, example_document: dict[str, Any], tmp_path: Path,
    openssl_verify: Callable[..., int],
) -> None:
    ids = make_vouchers(ctx, example_document, 3)
    register(conn, softhsm.chief.key.certificate_der, CHIEF)
    register(conn, softhsm.holder.key.certificate_der, HOLDER)
    service = SigningService(conn, executor, softhsm_module_loaded, Actor("lan", "chief"))

    plan = service.prepare(SigningRequest(tuple(ids), CHIEF, token="KTT-RSA"))
    assert plan.total == 3 * 1_234_000 and len(plan.items) == 3
    assert plan.certificate.holder_name == "Nguyễn Thị Lan"
    progress: list[tuple[int, int]] = []
    result = service.execute(plan, softhsm.chief.user_pin, lambda d, t: progress.append((d, t)))
    assert result.signed == tuple(ids) and not result.failed
    assert progress[-1] == (3, 3)

    # The account holder cannot sign a voucher the chief has not signed: make one more.
    [unsigned] = make_vouchers(ctx, example_document, 1)
    holder_plan = service.prepare(SigningRequest((*ids, unsigned), HOLDER, token="CTK-EC"))
    assert [r[0] for r in holder_plan.refused] == [unsigned]
    assert holder_plan.refused[0][1].key == "signing.voucher.chief_first"
    result = service.execute(holder_plan, softhsm.holder.user_pin)
    assert result.signed == tuple(ids)

    repo, _ = ctx.repositories(conn)
    ca_pem = softhsm.ca.cert_path
    for voucher_id in ids:
        stored = repo.get(voucher_id)
        assert stored is not None and stored.status is VoucherState.SIGNED_HOLDER
        signers = service.verify_fully_signed(voucher_id)
        assert [s.role for s in signers] == [CHIEF, HOLDER]
        cms = SignatureStore(conn).latest_cms(voucher_id)
        assert cms is not None
        content = voucher_bytes(stored.voucher)
        assert openssl_verify(content, cms, ca_pem, tmp_path / voucher_id) == 0
        assert openssl_verify(content + b" ", cms, ca_pem, tmp_path / "x") != 0


def test_unregistered_certificate_and_wrong_role_are_refused(
    ctx: AppContext, conn: sqlite3.Connection, executor: TokenExecutor, softhsm: Any,
    softhsm_module_loaded: Any, example_document: dict[str, Any],
) -> None:
    ids = make_vouchers(ctx, example_document, 1)
    service = SigningService(conn, executor, softhsm_module_loaded, Actor("lan"))
    with pytest.raises(ExpectedError) as unregistered:
        service.prepare(SigningRequest(tuple(ids), CHIEF, token="KTT-RSA"))
    assert unregistered.value.message.key == "signing.role.not_registered"
    register(conn, softhsm.holder.key.certificate_der, HOLDER)
    with pytest.raises(ExpectedError) as wrong_role:
        service.prepare(SigningRequest(tuple(ids), CHIEF, token="CTK-EC"))
    assert "Trần Văn Minh" in str(wrong_role.value)


def test_expired_certificate_is_refused_with_the_reason(
    ctx: AppContext, conn: sqlite3.Connection, executor: TokenExecutor, softhsm: Any,
    softhsm_module_loaded: Any, example_document: dict[str, Any],
) -> None:
    ids = make_vouchers(ctx, example_document, 1)
    register(conn, softhsm.expired.certificate_der, CHIEF)
    service = SigningService(conn, executor, softhsm_module_loaded, Actor("lan"))
    with pytest.raises(ExpectedError) as refused:
        service.prepare(SigningRequest(tuple(ids), CHIEF, token="DATED",
                                       cert_sha256=softhsm.expired.cert_sha256))
    assert refused.value.message.key == "signing.cert.expired"


def test_wrong_pin_signs_nothing_and_is_not_retried(
    ctx: AppContext, conn: sqlite3.Connection, executor: TokenExecutor, softhsm: Any,
    softhsm_module_loaded: Any, example_document: dict[str, Any],
) -> None:
    ids = make_vouchers(ctx, example_document, 2)
    register(conn, softhsm.pin_test.key.certificate_der, CHIEF)
    service = SigningService(conn, executor, softhsm_module_loaded, Actor("lan"))
    plan = service.prepare(SigningRequest(tuple(ids), CHIEF, token="PIN-TEST"))
    with pytest.raises(PinIncorrect):
        service.execute(plan, "000000")
    repo, _ = ctx.repositories(conn)
    for voucher_id in ids:
        stored = repo.get(voucher_id)
        assert stored is not None and stored.status is VoucherState.DRAFT
        assert SignatureStore(conn).of(voucher_id) == []


def test_editing_a_signed_voucher_drops_its_signature(
    ctx: AppContext, conn: sqlite3.Connection, executor: TokenExecutor, softhsm: Any,
    softhsm_module_loaded: Any, example_document: dict[str, Any],
) -> None:
    [voucher_id] = make_vouchers(ctx, example_document, 1)
    register(conn, softhsm.chief.key.certificate_der, CHIEF)
    service = SigningService(conn, executor, softhsm_module_loaded, Actor("lan"))
    plan = service.prepare(SigningRequest((voucher_id,), CHIEF, token="KTT-RSA"))
    service.execute(plan, softhsm.chief.user_pin)
    repo, profile = ctx.repositories(conn)
    drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, lambda: date(2026, 11, 20))
    stored = repo.get(voucher_id)
    assert stored is not None
    edited = stored.voucher.with_changes(number="999")
    with pytest.raises(ExpectedError):
        drafting.save(edited)
    after = drafting.save(edited, drop_signatures=True).stored
    assert after.status is VoucherState.DRAFT
    assert SignatureStore(conn).of(voucher_id) == []
    actions = [e.action for e in audit_entries(conn, voucher_id)]
    assert actions[-2:] == ["signatures_dropped", "edit"]


# -- what SoftHSM2 cannot show: a fake token behind the same interface ----------------------


def fake_token(tmp_path: Path, **kwargs: Any) -> FakeToken:
    from treasury_desktop.signing.testca import make_test_ca

    ca = make_test_ca(tmp_path / "ca")
    key = generate_key("EC P-256")
    der = issue_certificate(ca, key.public_key(), holder_name="Nguyễn Thị Lan",
                            unit_name="Trường THCS Phú Lương")
    return FakeToken(label="FAKE", user_pin="1234", keys=[(key, der)], **kwargs)


def test_token_pulled_mid_batch_leaves_each_voucher_signed_or_untouched(
    ctx: AppContext, conn: sqlite3.Connection, executor: TokenExecutor,
    example_document: dict[str, Any], tmp_path: Path,
) -> None:
    ids = make_vouchers(ctx, example_document, 5)
    token = fake_token(tmp_path, remove_on_sign=3)
    register(conn, token.keys[0][1], CHIEF)
    service = SigningService(conn, executor, FakeSlots([token]), Actor("lan"))
    plan = service.prepare(SigningRequest(tuple(ids), CHIEF))
    result = service.execute(plan, "1234")
    assert result.signed == tuple(ids[:2])
    assert [f[0] for f in result.failed] == [ids[2]]
    assert result.failed[0][1].key == "signing.token.removed"
    assert result.not_attempted == tuple(ids[3:])
    repo, _ = ctx.repositories(conn)
    for voucher_id in ids:
        stored = repo.get(voucher_id)
        assert stored is not None
        signatures = SignatureStore(conn).of(voucher_id)
        if voucher_id in result.signed:
            assert stored.status is VoucherState.SIGNED_CHIEF and len(signatures) == 1
        else:
            assert stored.status is VoucherState.DRAFT and signatures == []


def test_locked_token_is_refused_before_asking_for_a_pin(
    ctx: AppContext, conn: sqlite3.Connection, executor: TokenExecutor,
    example_document: dict[str, Any], tmp_path: Path,
) -> None:
    ids = make_vouchers(ctx, example_document, 1)
    token = fake_token(tmp_path, tries_left=0)
    register(conn, token.keys[0][1], CHIEF)
    service = SigningService(conn, executor, FakeSlots([token]), Actor("lan"))
    with pytest.raises(PinLocked):
        service.prepare(SigningRequest(tuple(ids), CHIEF))
    assert token.calls == [] or all(name != "login" for name, _ in token.calls)


def test_every_token_call_runs_on_the_token_thread(
    ctx: AppContext, conn: sqlite3.Connection, executor: TokenExecutor,
    example_document: dict[str, Any], tmp_path: Path,
) -> None:
    ids = make_vouchers(ctx, example_document, 2)
    token = fake_token(tmp_path)
    register(conn, token.keys[0][1], CHIEF)
    service = SigningService(conn, executor, FakeSlots([token]), Actor("lan"))
    service.execute(service.prepare(SigningRequest(tuple(ids), CHIEF)), "1234")
    assert token.calls and {thread for _, thread in token.calls} == {executor.thread_id}


def test_one_certificate_cannot_sign_in_both_roles(
    ctx: AppContext, conn: sqlite3.Connection, executor: TokenExecutor,
    example_document: dict[str, Any], tmp_path: Path,
) -> None:
    ids = make_vouchers(ctx, example_document, 1)
    token = fake_token(tmp_path)
    der = token.keys[0][1]
    register(conn, der, CHIEF)
    with pytest.raises(ExpectedError) as refused:
        register(conn, der, HOLDER)
    assert refused.value.message.key == "signing.signers.other_role"
    service = SigningService(conn, executor, FakeSlots([token]), Actor("lan"))
    service.execute(service.prepare(SigningRequest(tuple(ids), CHIEF)), "1234")
    # Even if a register lists the certificate for both roles, the second signature is refused.
    info = CertificateInfo.from_der(der)
    SignerRegistry(conn).add(
        RegisteredSigner(info.sha256, HOLDER, info.holder_name, der, source="treasury"),
        actor=Actor("sync"),
    )
    with pytest.raises(ExpectedError) as twice:
        service.prepare(SigningRequest(tuple(ids), HOLDER))
    assert twice.value.message.key == "signing.role.same_person"
