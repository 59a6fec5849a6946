"""What certificate trust adds to batch signing, per voucher (500 vouchers, one certificate).

Run on demand:  .venv/bin/python benchmarks/bench_trust.py [--count 500]

With a CA made here and its OCSP responder and TSA on 127.0.0.1 (tests/trust/pki.py), it
measures, in the same process, on a software EC P-256 key (so the token does not hide the cost):
- base: the CMS per voucher as before (CAdES-BES, no evidence);
- evidence: the same with the intermediate and the cached OCSP response embedded;
- timestamp: evidence plus an RFC 3161 timestamp from the local TSA for each signature;
- check: the chain + revocation check before the PIN, cold (one OCSP request) and cached.
It prints the added cost per voucher of each step against base, and the OCSP request count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.trust.pki import RevocationServer, TestPki  # noqa: E402

from treasury_desktop.domain.roles import SignerRole  # noqa: E402
from treasury_desktop.signing.cms import add_signature  # noqa: E402
from treasury_desktop.signing.fetch import HttpFetcher  # noqa: E402
from treasury_desktop.signing.revocation import RevocationCache, RevocationChecker  # noqa: E402
from treasury_desktop.signing.status import CertificateChecker  # noqa: E402
from treasury_desktop.signing.timestamp import TsaClient, add_timestamps  # noqa: E402
from treasury_desktop.signing.token import SignatureAlgorithm  # noqa: E402
from treasury_desktop.signing.trust import AnchorSource, TrustAnchor  # noqa: E402

ROLE = SignerRole.CHIEF_ACCOUNTANT
ALGORITHM = SignatureAlgorithm.ECDSA_SHA256


def _timed(run: Callable[[], None], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as folder:
        pki = TestPki(Path(folder) / "pki")
        server = RevocationServer(pki)
        fetcher = HttpFetcher()
        try:
            key, cert = pki.issue("Nguyễn Thị Lan")
            assert isinstance(key, ec.EllipticCurvePrivateKey)
            anchors = [TrustAnchor.from_der(pki.root_der, AnchorSource.USER)]
            checker = CertificateChecker(
                lambda: anchors, RevocationChecker(fetcher, RevocationCache()),
                intermediates=[pki.ca_der])
            start = time.perf_counter()
            status = checker.check(cert)
            cold = time.perf_counter() - start
            start = time.perf_counter()
            for _ in range(100):
                checker.check(cert)
            cached = (time.perf_counter() - start) / 100
            assert status.chain is not None
            ocsp = [a.evidence for a in status.answers]
            contents = [f'{{"number":"{i}","total":{1000 + i}}}'.encode() for i in range(count)]
            moment = datetime.now(UTC)

            def sign(data: bytes) -> bytes:
                return key.sign(data, ec.ECDSA(hashes.SHA256()))

            def base() -> None:
                for content in contents:
                    add_signature(content, None, cert, ROLE, sign, ALGORITHM, moment)

            def evidence() -> list[bytes]:
                return [add_signature(content, None, cert, ROLE, sign, ALGORITHM, moment,
                                      chain=status.chain.intermediates if status.chain else (),
                                      ocsp_responses=ocsp)
                        for content in contents]

            stamper = TsaClient(fetcher, server.tsa_url)

            def stamped() -> None:
                for cms in evidence():
                    add_timestamps(cms, stamper)

            t_base = _timed(base)
            t_evidence = _timed(lambda: evidence() and None)
            t_stamped = _timed(stamped, repeats=1)
            per = 1000 / count
            print(f"{count} vouchers, EC P-256 software key, one certificate")
            print(f"  base CMS (CAdES-BES)            {t_base * per:7.3f} ms/voucher")
            print(f"  + chain and OCSP evidence       {(t_evidence - t_base) * per:+7.3f} "
                  f"ms/voucher (CMS {len(evidence()[0])} bytes)")
            print(f"  + RFC 3161 timestamp (local TSA) {(t_stamped - t_base) * per:+7.3f} "
                  f"ms/voucher over base")
            print(f"  check before the PIN: cold {cold * 1000:.1f} ms (one OCSP request), "
                  f"cached {cached * 1000:.3f} ms")
            print(f"  OCSP requests made: {server.ocsp_requests}")
        finally:
            fetcher.close()
            server.close()


if __name__ == "__main__":
    main()
