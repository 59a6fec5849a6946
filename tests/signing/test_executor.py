"""The token thread: every token call on one thread, futures, the slot watcher, shutdown."""

from __future__ import annotations

import queue
import threading
from concurrent.futures import CancelledError
from datetime import UTC, datetime

import pytest
import treasury_signing_fixtures as fx
from treasury_signing_fixtures import SigningWorld, SoftwareKeys

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.errors import PinIncorrect
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.fake_token import FakeSlots, FakeToken
from treasury_desktop.signing.pkcs11_token import Pkcs11Module, Pkcs11Token
from treasury_desktop.signing.token import SignatureAlgorithm, TokenInfo, select_token


def fake(software_keys: SoftwareKeys, label: str = "FPT-CA 01", serial: str = "F1") -> FakeToken:
    keys = [(software_keys.ec.key, software_keys.ec.der)]
    return FakeToken(label=label, serial=serial, user_pin="1111", keys=keys)


def test_every_call_runs_on_the_one_token_thread(software_keys: SoftwareKeys) -> None:
    token = fake(software_keys)
    with TokenExecutor() as executor:
        callers = [
            threading.Thread(
                target=lambda: [
                    executor.submit(token.info).result(),
                    executor.submit(token.login, "1111").result(),
                    executor.submit(
                        token.sign, software_keys.ec.sha256, b"x", SignatureAlgorithm.ECDSA_SHA256
                    ).result(),
                ]
            )
            for _ in range(4)
        ]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join()
        thread_ids = {ident for _, ident in token.calls}
        assert thread_ids == {executor.thread_id}
        assert executor.thread_id != threading.get_ident()
        assert len(token.calls) == 12


def test_softhsm_signing_through_the_executor(
    softhsm: SigningWorld, softhsm_module_loaded: Pkcs11Module
) -> None:
    seen: set[int] = set()

    def on_thread(fn):
        def wrapped(*args):
            seen.add(threading.get_ident())
            return fn(*args)

        return wrapped

    with TokenExecutor() as executor:
        token = executor.submit(
            on_thread(lambda: select_token(softhsm_module_loaded.tokens(), "KTT-RSA"))
        ).result()
        assert isinstance(token, Pkcs11Token)
        executor.submit(on_thread(token.login), fx.USER_PIN).result()
        algorithm = SignatureAlgorithm.RSA_PKCS1_SHA256
        key = softhsm.chief.key

        def signer(data: bytes) -> bytes:
            return executor.submit(on_thread(token.sign), key.cert_sha256, data, algorithm).result()

        der = add_signature(
            b"{}",
            None,
            key.certificate_der,
            SignerRole.CHIEF_ACCOUNTANT,
            signer,
            algorithm,
            datetime.now(UTC),
        )
        executor.submit(on_thread(token.logout)).result()
        assert seen == {executor.thread_id}
    assert der


def test_errors_come_back_through_the_future(software_keys: SoftwareKeys) -> None:
    token = fake(software_keys)
    with TokenExecutor() as executor, pytest.raises(PinIncorrect):
        executor.submit(token.login, "9999").result()


def test_call_on_the_token_thread_runs_inline() -> None:
    with TokenExecutor() as executor:
        inner = executor.submit(lambda: executor.call(threading.get_ident)).result()
        assert inner == executor.thread_id


def test_shutdown_cancels_queued_work_and_ends_the_thread() -> None:
    executor = TokenExecutor()
    started = threading.Event()
    release = threading.Event()
    first = executor.submit(lambda: (started.set(), release.wait(5))[1])
    started.wait(5)
    second = executor.submit(lambda: "never")
    stopper = threading.Thread(target=executor.shutdown)
    stopper.start()
    release.set()
    stopper.join(5)
    assert first.result() is True
    with pytest.raises(CancelledError):
        second.result()
    assert not executor._thread.is_alive()
    with pytest.raises(RuntimeError):
        executor.submit(lambda: None)
    executor.shutdown()  # idempotent


def test_slot_watcher_reports_plug_and_pull(software_keys: SoftwareKeys) -> None:
    slots = FakeSlots()
    changes: queue.Queue[tuple[list[TokenInfo], int]] = queue.Queue()
    with TokenExecutor() as executor:
        executor.watch_slots(
            slots.token_infos,
            lambda infos: changes.put((infos, threading.get_ident())),
            interval=0.01,
        )
        infos, ident = changes.get(timeout=5)
        assert infos == [] and ident == executor.thread_id
        token = fake(software_keys)
        slots.inserted.append(token)
        infos, _ = changes.get(timeout=5)
        assert [i.label for i in infos] == ["FPT-CA 01"]
        second = fake(software_keys, "Viettel-CA 02", "V2")
        slots.inserted.append(second)
        infos, _ = changes.get(timeout=5)
        assert [i.label for i in infos] == ["FPT-CA 01", "Viettel-CA 02"]
        token.pull_out()
        infos, _ = changes.get(timeout=5)
        assert [i.label for i in infos] == ["Viettel-CA 02"]
        token.plug_in()
        infos, _ = changes.get(timeout=5)
        assert len(infos) == 2
    assert changes.empty()


def test_slot_watcher_survives_a_failing_driver() -> None:
    errors: queue.Queue[BaseException] = queue.Queue()
    changes: queue.Queue[list[TokenInfo]] = queue.Queue()
    calls = iter([RuntimeError("driver gone")])

    def poll() -> list[TokenInfo]:
        for error in calls:
            raise error
        return []

    with TokenExecutor() as executor:
        watch = executor.watch_slots(poll, changes.put, interval=0.01, on_error=errors.put)
        assert isinstance(errors.get(timeout=5), RuntimeError)
        assert changes.get(timeout=5) == []
        watch.cancel()
        assert executor.submit(lambda: 42).result() == 42


def test_slot_watcher_over_softhsm(softhsm_module_loaded: Pkcs11Module) -> None:
    changes: queue.Queue[list[TokenInfo]] = queue.Queue()
    with TokenExecutor() as executor:
        executor.watch_slots(softhsm_module_loaded.token_infos, changes.put, interval=0.01)
        labels = {i.label for i in changes.get(timeout=5)}
    assert {"KTT-RSA", "CTK-EC", "PIN-TEST", "DATED"} <= labels
