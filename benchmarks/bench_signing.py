"""Batch-signing 500 vouchers with one login on SoftHSM2: the app's overhead per voucher.

Run on demand:  .venv/bin/python benchmarks/bench_signing.py [--count 500]

For each key type it measures, in the same process and on the same token:
- raw: a bare PyKCS11 ``C_Sign`` loop over payloads of the same size;
- app: the full path, i.e. CMS signed attributes built per voucher, the signature made on the
  token thread (executor.submit(...).result()), the SignedData assembled;
and prints the overhead per voucher (app - raw) / count, target < 1 ms. Meanwhile a "GUI"
thread ticks every millisecond and the longest gap between ticks is reported (target < 50 ms).
Everything is measured twice: on the machine as it is, then beside a CPU-burning process.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import PyKCS11

from busy import quiet_and_busy
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.pkcs11_token import Pkcs11Module, Pkcs11Token
from treasury_desktop.signing.provision import (
    ProvisionedToken,
    make_softhsm_config,
    make_test_ca,
    provision_token,
)
from treasury_desktop.signing.token import SignatureAlgorithm, default_algorithm, select_token

PIN = "123456"


def payloads(count: int) -> list[bytes]:
    return [
        (
            '{"amount_in_words":"Một triệu hai trăm ba mươi tư nghìn đồng chẵn",'
            f'"id":"0193a9c6-5f1e-7c2a-9d7e-{i:012d}","total":{1234000 + i},'
            '"unit":{"code":"1171277","name":"Trường THCS Phú Lương"}}'
        ).encode()
        for i in range(count)
    ]


def raw_loop(
    token: Pkcs11Token, cert_sha256: str, algorithm: SignatureAlgorithm, data: list[bytes]
) -> float:
    """Bare PyKCS11: one session, one login, the key found once, C_Sign per payload."""
    lib = token.module.lib
    session = lib.openSession(token._slot(), PyKCS11.CKF_SERIAL_SESSION)
    session.login(PIN)
    token.certificates()
    key_id = token._key_ids[cert_sha256]
    [key] = session.findObjects(
        [(PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY), (PyKCS11.CKA_ID, key_id)]
    )
    ecdsa = algorithm is SignatureAlgorithm.ECDSA_SHA256
    mech = PyKCS11.Mechanism(PyKCS11.CKM_ECDSA if ecdsa else PyKCS11.CKM_SHA256_RSA_PKCS, None)
    start = time.perf_counter()
    for item in data:
        session.sign(key, hashlib.sha256(item).digest() if ecdsa else item, mech)
    elapsed = time.perf_counter() - start
    session.logout()
    session.closeSession()
    return elapsed


def app_path(
    executor: TokenExecutor,
    token: Pkcs11Token,
    provisioned: ProvisionedToken,
    algorithm: SignatureAlgorithm,
    contents: list[bytes],
) -> float:
    """The app's path: CMS per voucher, every token call on the token thread."""
    executor.submit(token.login, PIN).result()
    key = provisioned.key

    def signer(data: bytes) -> bytes:
        return executor.submit(token.sign, key.cert_sha256, data, algorithm).result()

    signer(b"warm-up")  # finds the key handle once, as the first voucher of a batch would
    when = datetime.now(UTC)
    start = time.perf_counter()
    for content in contents:
        add_signature(
            content, None, key.certificate_der, SignerRole.CHIEF_ACCOUNTANT, signer, algorithm, when
        )
    elapsed = time.perf_counter() - start
    executor.submit(token.logout).result()
    return elapsed


def attrs_size_payloads(count: int) -> list[bytes]:
    # The token signs the DER of the signed attributes (~300-400 bytes), not the voucher.
    return [bytes(380) + i.to_bytes(4, "big") for i in range(count)]


def with_ticker(work):  # type: ignore[no-untyped-def]
    """Run ``work`` in a worker thread while this thread ticks every ms; max gap in ms."""
    result: list[float] = []
    worker = threading.Thread(target=lambda: result.append(work()))
    gaps = []
    worker.start()
    last = time.perf_counter()
    while worker.is_alive():
        time.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    return result[0], max(gaps) * 1000


def measure(
    executor: TokenExecutor, module: Pkcs11Module, tokens: dict[str, ProvisionedToken],
    contents: list[bytes], rounds: int,
) -> list[str]:
    """Raw loop and app path, ``rounds`` times per key type; one line of figures per key."""
    count = len(contents)
    lines = []
    for key_type, provisioned in tokens.items():
        token = executor.submit(
            lambda p=provisioned: select_token(module.tokens(), p.label)
        ).result()
        assert isinstance(token, Pkcs11Token)
        algorithm = default_algorithm(key_type)
        raws, apps, gaps = [], [], []
        for _ in range(rounds):
            raw = executor.submit(
                raw_loop, token, provisioned.key.cert_sha256, algorithm,
                attrs_size_payloads(count),
            ).result()
            app, gap = with_ticker(
                lambda t=token, p=provisioned, a=algorithm: app_path(executor, t, p, a, contents)
            )
            raws.append(raw)
            apps.append(app)
            gaps.append(gap)
        raw, app = min(raws), min(apps)
        overhead = (app - raw) / count * 1000
        median = (statistics.median(apps) - statistics.median(raws)) / count * 1000
        lines.append(
            f"{key_type:9} {algorithm.value:17} raw {raw * 1000:7.1f} ms "
            f"({raw / count * 1000:.3f} ms/sig)  app {app * 1000:7.1f} ms "
            f"({app / count * 1000:.3f} ms/voucher)  overhead "
            f"{overhead:.3f} ms/voucher (median {median:.3f})  "
            f"max tick gap {max(gaps):.1f} ms"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        ca = make_test_ca(root / "ca")
        config = make_softhsm_config(root / "softhsm")
        config.activate()
        tokens = {
            "RSA-2048": provision_token(
                config,
                ca,
                label="BENCH-RSA",
                user_pin=PIN,
                so_pin="12345678",
                holder_name="Nguyễn Thị Lan",
                unit_name="Trường THCS Phú Lương",
            ),
            "EC P-256": provision_token(
                config,
                ca,
                label="BENCH-EC",
                user_pin=PIN,
                so_pin="12345678",
                holder_name="Trần Văn Minh",
                unit_name="Trường THCS Phú Lương",
                key_type="EC P-256",
            ),
        }
        module = Pkcs11Module(config.module_path)
        contents = payloads(args.count)
        print(f"{args.count} vouchers, one login, best of {args.rounds} rounds")
        with TokenExecutor() as executor:
            quiet, busy = quiet_and_busy(
                lambda: measure(executor, module, tokens, contents, args.rounds))
        for name, lines in (("quiet", quiet), ("busy", busy)):
            for line in lines:
                print(f"{name:5} {line}")
        module.close()


if __name__ == "__main__":
    main()
