"""Chain to an anchor, then OCSP (falling back to the CRL), cached with its validity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.x509 import ocsp
from tests.trust.pki import RevocationServer, TestPki, free_port, openssl_ocsp

from treasury_desktop.signing.fetch import HttpFetcher
from treasury_desktop.signing.revocation import EvidenceKind, RevocationCache, RevocationChecker
from treasury_desktop.signing.status import CertificateChecker, TrustState
from treasury_desktop.signing.trust import AnchorSource, TrustAnchor


@pytest.fixture
def pki(tmp_path: Path) -> TestPki:
    return TestPki(tmp_path / "pki")


@pytest.fixture
def server(pki: TestPki) -> Iterator[RevocationServer]:
    served = RevocationServer(pki)
    yield served
    served.close()


@pytest.fixture
def fetcher() -> Iterator[HttpFetcher]:
    client = HttpFetcher(timeout=2.0)
    yield client
    client.close()


def _checker(pki: TestPki, fetcher: HttpFetcher, cache_file: Path | None = None,
             now: datetime | None = None) -> CertificateChecker:
    anchors = [TrustAnchor.from_der(pki.root_der, AnchorSource.USER)]
    clock = (lambda: now) if now else (lambda: datetime.now(UTC))
    checker = RevocationChecker(fetcher, RevocationCache(cache_file), clock)
    return CertificateChecker(lambda: anchors, checker, clock)


def test_a_good_certificate_chains_to_the_root_and_ocsp_says_good(
    pki: TestPki, server: RevocationServer, fetcher: HttpFetcher
) -> None:
    _, cert = pki.issue("Nguyễn Thị Lan")
    status = _checker(pki, fetcher).check(cert, [pki.ca_der])
    assert status.state is TrustState.GOOD
    assert status.chain is not None and status.chain.certificates == (cert, pki.ca_der,
                                                                       pki.root_der)
    [answer] = status.answers  # the issuing CA is checked too? no: only below the anchor's
    assert answer.kind is EvidenceKind.OCSP
    response = ocsp.load_der_ocsp_response(answer.evidence)
    assert response.certificate_status is ocsp.OCSPCertStatus.GOOD
    assert "kiểm tra lúc" in status.label.render()


def test_a_revoked_certificate_is_refused_with_a_plain_reason(
    pki: TestPki, server: RevocationServer, fetcher: HttpFetcher
) -> None:
    _, cert = pki.issue("Trần Văn Minh")
    pki.revoke(cert)
    status = _checker(pki, fetcher).check(cert, [pki.ca_der])
    assert status.state is TrustState.REVOKED
    assert status.refusal is not None
    assert "đã bị thu hồi" in status.refusal.render()


def test_an_unknown_chain_is_refused(pki: TestPki, fetcher: HttpFetcher, tmp_path: Path) -> None:
    other = TestPki(tmp_path / "other")
    _, cert = other.issue("Người Lạ")
    status = _checker(pki, fetcher).check(cert, [other.ca_der])
    assert status.state is TrustState.UNTRUSTED
    assert status.refusal is not None and status.refusal.key == "trust.chain.untrusted"
    assert server_never_asked(status)


def server_never_asked(status: object) -> bool:
    return not getattr(status, "answers", ())


def test_the_crl_is_used_when_the_ocsp_responder_fails(
    pki: TestPki, server: RevocationServer, fetcher: HttpFetcher
) -> None:
    _, cert = pki.issue("Lê Văn CRL")
    pki.revoke(cert)
    server.ocsp_down = True
    status = _checker(pki, fetcher).check(cert, [pki.ca_der])
    assert status.state is TrustState.REVOKED
    assert status.answers[0].kind is EvidenceKind.CRL
    assert server.crl_requests == 1


def test_unreachable_servers_give_not_checked_with_the_last_good_time(
    pki: TestPki, fetcher: HttpFetcher, tmp_path: Path
) -> None:
    server = RevocationServer(pki)
    _, cert = pki.issue("Phạm Thị Mạng")
    cache = tmp_path / "revocation.json"
    first = _checker(pki, fetcher, cache).check(cert, [pki.ca_der])
    assert first.state is TrustState.GOOD
    server.close()
    later = datetime.now(UTC) + timedelta(hours=3)  # the cached answer (1 h) has expired
    status = _checker(pki, fetcher, cache, now=later).check(cert, [pki.ca_der])
    assert status.state is TrustState.NOT_CHECKED
    assert status.last_good_at == first.checked_at
    assert status.refusal is None
    warning = status.warning(later)
    assert warning is not None and warning.params["hours"] == 3
    assert "mất kết nối từ" in status.label.render()


def test_an_answer_is_reused_until_its_next_update(
    pki: TestPki, server: RevocationServer, fetcher: HttpFetcher
) -> None:
    _, cert = pki.issue("Võ Thị Cache")
    checker = _checker(pki, fetcher)
    for _ in range(50):
        assert checker.check(cert, [pki.ca_der]).state is TrustState.GOOD
    assert server.ocsp_requests == 1


def test_openssl_ocsp_as_an_independent_responder(pki: TestPki, fetcher: HttpFetcher) -> None:
    port = free_port()
    pki.ocsp_url = f"http://127.0.0.1:{port}/"
    pki.crl_url = "http://127.0.0.1:9/none.crl"
    _, good = pki.issue("Đinh Văn Tốt")
    _, bad = pki.issue("Đinh Văn Xấu")
    pki.revoke(bad)
    with openssl_ocsp(pki, port):
        checker = _checker(pki, fetcher)
        assert checker.check(good, [pki.ca_der]).state is TrustState.GOOD
        assert checker.check(bad, [pki.ca_der]).state is TrustState.REVOKED


def test_a_desk_may_require_a_certificate_policy(
    pki: TestPki, server: RevocationServer, fetcher: HttpFetcher
) -> None:
    accepted = frozenset({"2.16.704.1.2.3"})
    anchors = [TrustAnchor.from_der(pki.root_der, AnchorSource.USER)]
    checker = CertificateChecker(lambda: anchors, RevocationChecker(fetcher, RevocationCache()),
                                 accepted_policies=accepted, intermediates=[pki.ca_der])
    _, plain = pki.issue("Không Chính Sách")
    _, with_policy = pki.issue("Có Chính Sách", policy="2.16.704.1.2.3")
    refused = checker.check(plain)
    assert refused.state is TrustState.UNTRUSTED
    assert refused.refusal is not None and refused.refusal.key == "trust.chain.policy"
    assert checker.check(with_policy).state is TrustState.GOOD
