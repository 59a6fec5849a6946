"""Signing with trust checks: refused before the PIN, warned offline, evidence in the CMS,
CAdES-T when the TSA answers; verified with ``openssl cms -verify`` and ``openssl ts -verify``.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms
from cryptography.x509 import ocsp
from tests.trust.pki import RevocationServer, TestPki
from treasury_signing_fixtures import make_vouchers, register

from treasury_desktop.context import AppContext
from treasury_desktop.domain.canonical import voucher_bytes
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.fake_token import FakeSlots, FakeToken
from treasury_desktop.signing.fetch import HttpFetcher
from treasury_desktop.signing.revocation import RevocationCache, RevocationChecker
from treasury_desktop.signing.status import CertificateChecker, TrustState
from treasury_desktop.signing.timestamp import TsaClient, add_timestamps, unstamped_count
from treasury_desktop.signing.trust import AnchorSource, TrustAnchor
from treasury_desktop.store.audit import audit_entries
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import SignatureStore
from treasury_desktop.usecases.signing import SigningRequest, SigningService
from treasury_desktop.usecases.timestamping import stamp_signed

CHIEF, HOLDER = SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER


@pytest.fixture
def executor() -> Iterator[TokenExecutor]:
    with TokenExecutor() as ex:
        yield ex


@pytest.fixture
def fetcher() -> Iterator[HttpFetcher]:
    client = HttpFetcher(timeout=2.0)
    yield client
    client.close()


@pytest.fixture
def pki(tmp_path: Path) -> TestPki:
    return TestPki(tmp_path / "pki")


@pytest.fixture
def server(pki: TestPki) -> Iterator[RevocationServer]:
    served = RevocationServer(pki)
    yield served
    served.close()


def _token(pki: TestPki, holder: str, label: str) -> FakeToken:
    key, der = pki.issue(holder)
    return FakeToken(label=label, user_pin="1234", keys=[(key, der)], serial=label)


def _service(ctx: AppContext, conn: sqlite3.Connection, executor: TokenExecutor,
             tokens: list[FakeToken], pki: TestPki, fetcher: HttpFetcher,
             tsa_url: str | None = None) -> SigningService:
    anchors = [TrustAnchor.from_der(pki.root_der, AnchorSource.USER)]
    checker = CertificateChecker(
        lambda: anchors,
        RevocationChecker(fetcher, RevocationCache(ctx.data_dir / "trust" / "revocation.json")),
        intermediates=[pki.ca_der],
    )
    stamper = TsaClient(fetcher, tsa_url) if tsa_url else None
    return SigningService(conn, executor, FakeSlots(tokens), Actor("lan"), trust=checker,
                          timestamper=stamper)


def _ocsp_in(cms_der: bytes) -> list[ocsp.OCSPResponse]:
    signed = cms.ContentInfo.load(cms_der)["content"]
    found = []
    for choice in signed["crls"] or []:
        if choice.name == "other" and choice.chosen["other_rev_info_format"].dotted == \
                "1.3.6.1.5.5.7.16.2":
            found.append(ocsp.load_der_ocsp_response(choice.chosen["other_rev_info"].dump()))
    return found


def _openssl_ts_verify(cms_der: bytes, pki: TestPki, folder: Path) -> list[int]:
    """``openssl ts -verify`` of each SignerInfo's timestamp token over its signature value."""
    codes = []
    signed = cms.ContentInfo.load(cms_der)["content"]
    for index, info in enumerate(signed["signer_infos"]):
        token = next(a["values"][0] for a in info["unsigned_attrs"]
                     if a["type"].dotted == "1.2.840.113549.1.9.16.2.14")
        path = folder / f"token{index}.der"
        path.write_bytes(token.dump())
        digest = hashlib.sha256(info["signature"].native).hexdigest()
        done = subprocess.run(
            ["openssl", "ts", "-verify", "-token_in", "-in", str(path), "-digest", digest,
             "-CAfile", str(pki.chain_pem)], capture_output=True, text=True,
        )
        codes.append(done.returncode)
    return codes


def test_a_good_certificate_signs_with_ocsp_evidence_and_a_timestamp(
    ctx: AppContext, executor: TokenExecutor, fetcher: HttpFetcher, pki: TestPki,
    server: RevocationServer, example_document: dict[str, Any], tmp_path: Path,
    openssl_verify: Callable[..., int],
) -> None:
    conn = ctx.connect()
    chief, holder = _token(pki, "Nguyễn Thị Lan", "KTT"), _token(pki, "Trần Văn Minh", "CTK")
    register(conn, chief.keys[0][1], CHIEF)
    register(conn, holder.keys[0][1], HOLDER)
    [voucher_id] = make_vouchers(ctx, example_document, 1)
    service = _service(ctx, conn, executor, [chief, holder], pki, fetcher, server.tsa_url)
    for role, token in ((CHIEF, chief), (HOLDER, holder)):
        plan = service.prepare(SigningRequest((voucher_id,), role, token=token.label))
        assert plan.status is not None and plan.status.state is TrustState.GOOD
        assert plan.warnings == ()
        result = service.execute(plan, "1234")
        assert result.signed == (voucher_id,) and result.not_timestamped == ()
    cms_der = SignatureStore(conn).latest_cms(voucher_id)
    assert cms_der is not None
    responses = _ocsp_in(cms_der)
    assert len(responses) == 2
    assert {r.certificate_status for r in responses} == {ocsp.OCSPCertStatus.GOOD}
    repo, _ = ctx.repositories(conn)
    stored = repo.get(voucher_id)
    assert stored is not None
    content = voucher_bytes(stored.voucher)
    assert openssl_verify(content, cms_der, pki.chain_pem, tmp_path / "cms") == 0
    assert unstamped_count(cms_der) == 0
    assert _openssl_ts_verify(cms_der, pki, tmp_path) == [0, 0]
    # the chief's signature, its OCSP response and its timestamp survived the second signer
    service.verify_fully_signed(voucher_id)


def test_a_revoked_certificate_is_refused_before_the_pin(
    ctx: AppContext, executor: TokenExecutor, fetcher: HttpFetcher, pki: TestPki,
    server: RevocationServer, example_document: dict[str, Any],
) -> None:
    conn = ctx.connect()
    token = _token(pki, "Lê Văn Thu Hồi", "KTT")
    register(conn, token.keys[0][1], CHIEF)
    pki.revoke(token.keys[0][1])
    ids = make_vouchers(ctx, example_document, 2)
    service = _service(ctx, conn, executor, [token], pki, fetcher)
    with pytest.raises(ExpectedError) as refused:
        service.prepare(SigningRequest(tuple(ids), CHIEF))
    assert refused.value.message.key == "trust.revoked"
    assert "đã bị thu hồi" in refused.value.message.render()
    assert not token.logged_in and all(name != "login" for name, _ in token.calls)


def test_with_the_responder_down_signing_warns_and_proceeds(
    ctx: AppContext, executor: TokenExecutor, fetcher: HttpFetcher, pki: TestPki,
    example_document: dict[str, Any], tmp_path: Path, openssl_verify: Callable[..., int],
) -> None:
    server = RevocationServer(pki)
    token = _token(pki, "Phạm Thị Mất Mạng", "KTT")
    server.close()  # nobody answers at the certificate's OCSP or CRL address, nor the TSA
    conn = ctx.connect()
    register(conn, token.keys[0][1], CHIEF)
    ids = make_vouchers(ctx, example_document, 3)
    service = _service(ctx, conn, executor, [token], pki, fetcher, server.tsa_url)
    plan = service.prepare(SigningRequest(tuple(ids), CHIEF))
    assert plan.status is not None and plan.status.state is TrustState.NOT_CHECKED
    assert [w.key for w in plan.warnings] == ["trust.offline.never"]
    assert any(e.action == "trust.not_checked" for e in audit_entries(conn))
    result = service.execute(plan, "1234")
    assert result.signed == tuple(ids)
    assert result.not_timestamped == tuple(ids)  # stays CAdES-BES until the desk is online
    cms_der = SignatureStore(conn).latest_cms(ids[0])
    assert cms_der is not None and _ocsp_in(cms_der) == []
    repo, _ = ctx.repositories(conn)
    stored = repo.get(ids[0])
    assert stored is not None
    assert openssl_verify(voucher_bytes(stored.voucher), cms_der, pki.chain_pem,
                          tmp_path / "cms") == 0
    # back online: the timestamp is added later, and openssl accepts both
    online = RevocationServer(pki)
    try:
        stamped = add_timestamps(cms_der, TsaClient(fetcher, online.tsa_url))
    finally:
        online.close()
    assert unstamped_count(stamped) == 0
    assert _openssl_ts_verify(stamped, pki, tmp_path) == [0]
    assert openssl_verify(voucher_bytes(stored.voucher), stamped, pki.chain_pem,
                          tmp_path / "cms2") == 0


def test_500_vouchers_make_one_ocsp_request_per_certificate(
    ctx: AppContext, executor: TokenExecutor, fetcher: HttpFetcher, pki: TestPki,
    server: RevocationServer, example_document: dict[str, Any],
) -> None:
    conn = ctx.connect()
    chief, holder = _token(pki, "Nguyễn Thị Lan", "KTT"), _token(pki, "Trần Văn Minh", "CTK")
    register(conn, chief.keys[0][1], CHIEF)
    register(conn, holder.keys[0][1], HOLDER)
    ids = make_vouchers(ctx, example_document, 500)
    service = _service(ctx, conn, executor, [chief, holder], pki, fetcher)
    for role, token in ((CHIEF, chief), (HOLDER, holder)):
        for batch in (ids[:250], ids[250:]):  # two batches: the second uses the cache
            plan = service.prepare(SigningRequest(tuple(batch), role, token=token.label))
            assert len(service.execute(plan, "1234").signed) == 250
    assert server.ocsp_requests == 2
    assert server.crl_requests == 0
    cms_der = SignatureStore(conn).latest_cms(ids[-1])
    assert cms_der is not None and len(_ocsp_in(cms_der)) == 2


def test_offline_signatures_are_timestamped_before_queuing(
    ctx: AppContext, executor: TokenExecutor, fetcher: HttpFetcher, pki: TestPki,
    server: RevocationServer, example_document: dict[str, Any], tmp_path: Path,
    openssl_verify: Callable[..., int],
) -> None:
    conn = ctx.connect()
    chief, holder = _token(pki, "Nguyễn Thị Lan", "KTT"), _token(pki, "Trần Văn Minh", "CTK")
    register(conn, chief.keys[0][1], CHIEF)
    register(conn, holder.keys[0][1], HOLDER)
    ids = make_vouchers(ctx, example_document, 3)
    server.tsa_down = True  # the OCSP responder answers, the TSA does not
    service = _service(ctx, conn, executor, [chief, holder], pki, fetcher, server.tsa_url)
    for role, token in ((CHIEF, chief), (HOLDER, holder)):
        plan = service.prepare(SigningRequest(tuple(ids), role, token=token.label))
        assert service.execute(plan, "1234").not_timestamped == tuple(ids)
    offline = stamp_signed(conn, TsaClient(fetcher, server.tsa_url), ids, Actor("lan"))
    assert offline.stamped == () and offline.still_unstamped == tuple(ids)
    server.tsa_down = False  # back online
    report = stamp_signed(conn, TsaClient(fetcher, server.tsa_url), ids, Actor("lan"))
    assert report.stamped == tuple(ids)
    repo, _ = ctx.repositories(conn)
    for voucher_id in ids:
        cms_der = SignatureStore(conn).latest_cms(voucher_id)
        assert cms_der is not None and unstamped_count(cms_der) == 0
        assert _openssl_ts_verify(cms_der, pki, tmp_path) == [0, 0]
        stored = repo.get(voucher_id)
        assert stored is not None
        assert openssl_verify(voucher_bytes(stored.voucher), cms_der, pki.chain_pem,
                              tmp_path / voucher_id) == 0
        service.verify_fully_signed(voucher_id)
    assert [e.action for e in audit_entries(conn, ids[0])].count("timestamp") == 1
