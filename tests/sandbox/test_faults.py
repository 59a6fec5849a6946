"""Each fault of ``--faults`` reaches the app's client as the exception the outbox acts on."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from treasury_sandbox_world import TOKEN, UNIT, document

from treasury_desktop.api.client import Timeouts, TreasuryClient
from treasury_desktop.api.errors import TransientError
from treasury_desktop.sandbox.faults import FaultSpec, parse_faults
from treasury_desktop.sandbox.server import RunningSandbox, running_sandbox

QUICK = Timeouts(connect=2, read=0.4, write=2, pool=2)


@contextmanager
def faulty(
    world, tmp_path: Path, spec: str, seed: int = 5, timeouts: Timeouts = QUICK
) -> Iterator[tuple[RunningSandbox, TreasuryClient]]:
    with (
        running_sandbox(
            world.config, tmp_path / f"faults-{seed}.sqlite3", faults=parse_faults(spec), seed=seed
        ) as sandbox,
        TreasuryClient(sandbox.url, UNIT, TOKEN, timeouts=timeouts) as client,
    ):
        yield sandbox, client


def test_the_documented_example_parses() -> None:
    spec = parse_faults(
        "latency=200ms,jitter=50ms,bandwidth=256kbit,reset_before=0.05,"
        "reset_after_commit=0.05,status429=0.05,status503=0.05,retry_after=1,"
        "truncate=0.02,garbage=0.02,slow=0.02,peak"
    )
    assert spec.latency == 0.2 and spec.jitter == 0.05 and spec.bandwidth == 32_000
    assert spec.peak and spec.retry_after == 1 and spec.truncate == 0.02
    assert parse_faults("") == FaultSpec()


@pytest.mark.parametrize("bad", ["latency=fast", "status429=2", "nonsense=1", "bandwidth=0kbit"])
def test_bad_specs_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_faults(bad)


@pytest.mark.parametrize("status", [429, 503])
def test_throttling_carries_retry_after(world, tmp_path, status: int) -> None:
    with faulty(world, tmp_path, f"status{status}=1,retry_after=3") as (_, client):
        with pytest.raises(TransientError) as caught:
            client.signers()
        assert client.health().status == "ok"  # health is spared
    assert caught.value.status == status
    assert caught.value.retry_after == 3.0
    assert not caught.value.maybe_committed


def test_reset_before_the_body_is_read_commits_nothing(world, tmp_path) -> None:
    doc = document()
    with faulty(world, tmp_path, "reset_before=1") as (sandbox, client):
        with pytest.raises(TransientError) as caught:
            client.deliver(doc, world.sign(doc))
        stored = sandbox.state.store.document(UNIT, doc["id"])
    assert caught.value.message.key == "api.connection_lost" and caught.value.status is None
    assert caught.value.maybe_committed  # the client cannot tell: it must resend or ask
    assert stored is None


def test_reset_after_commit_leaves_the_client_unsure(world, tmp_path) -> None:
    doc = document()
    cms = world.sign(doc)
    with faulty(world, tmp_path, "reset_after_commit=1") as (sandbox, client):
        with pytest.raises(TransientError) as caught:
            client.deliver(doc, cms)
        stored = sandbox.state.store.document(UNIT, doc["id"])
    assert caught.value.message.key == "api.connection_lost" and caught.value.status is None
    assert caught.value.maybe_committed
    assert stored is not None  # the commit happened; a resend will be a 200 replay


def test_a_resend_after_a_lost_answer_is_a_replay(world, tmp_path) -> None:
    doc = document()
    cms = world.sign(doc)
    with faulty(world, tmp_path, "reset_after_commit=0.5", seed=11) as (_, client):
        outcomes = []
        for _ in range(12):
            try:
                outcomes.append(client.deliver(doc, cms).outcome.value)
            except TransientError as error:
                assert error.maybe_committed
                outcomes.append("lost")
    assert "lost" in outcomes
    answered = [o for o in outcomes if o != "lost"]
    assert answered and set(answered) <= {"created", "replayed"}
    assert answered.count("created") <= 1  # exactly once, whatever was lost


@pytest.mark.parametrize("spec", ["truncate=1", "garbage=1"])
def test_broken_bodies_are_transient(world, tmp_path, spec: str) -> None:
    doc = document()
    with faulty(world, tmp_path, spec) as (_, client):
        with pytest.raises(TransientError) as read:
            client.signers()
        with pytest.raises(TransientError) as put:
            client.deliver(doc, world.sign(doc))
    assert not read.value.maybe_committed
    assert put.value.maybe_committed
    if spec == "truncate=1":  # a call that changes nothing does not speak of vouchers
        assert read.value.message.key == "delivery.lost_call"
        assert put.value.message.key == "api.connection_lost"
    else:  # an HTML error page is not the treasury's answer
        assert read.value.message.key == put.value.message.key == "delivery.not_treasury_page"


def test_slow_answers_time_out(world, tmp_path) -> None:
    doc = document()
    cms = world.sign(doc)
    with (
        faulty(world, tmp_path, "slow=1,slow_delay=1s") as (_, client),
        pytest.raises(TransientError) as caught,
    ):
        client.deliver(doc, cms)
    assert caught.value.maybe_committed
    assert caught.value.message.key == "api.timeout"


def test_latency_delays_every_answer(world, tmp_path) -> None:
    with faulty(world, tmp_path, "latency=600ms,jitter=100ms") as (sandbox, client):
        with pytest.raises(TransientError):
            client.signers()  # the client waits 0.4 s
        with TreasuryClient(sandbox.url, UNIT, TOKEN) as patient:
            assert len(patient.signers()) == 2


def test_bandwidth_cap_slows_the_transfer(world, tmp_path) -> None:
    with faulty(world, tmp_path, "bandwidth=16kbit", timeouts=Timeouts()) as (_, client):
        started = time.monotonic()
        catalog = client.catalog("industry", 2026)
        elapsed = time.monotonic() - started
    assert catalog is not None and catalog.entries
    assert elapsed > 0.3  # a few kB at 2 kB/s; unthrottled it is a few milliseconds


def test_peak_mode_throttles_like_quarter_end(world, tmp_path) -> None:
    spec = "peak,peak_rate=2,peak_concurrency=1,latency=200ms,retry_after=2"
    with faulty(world, tmp_path, spec, timeouts=Timeouts()) as (_, client):

        def call(_: int) -> str:
            try:
                client.signers()
                return "ok"
            except TransientError as error:
                assert error.retry_after == 2.0
                return str(error.status)

        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(call, range(6)))
    assert "ok" in results
    assert "503" in results  # more at once than the treasury serves


def test_faults_are_repeatable_with_a_seed(world, tmp_path) -> None:
    def run(seed: int, folder: Path) -> list[str]:
        folder.mkdir()
        outcomes = []
        with faulty(world, folder, "status503=0.5", seed=seed) as (_, client):
            for _ in range(12):
                try:
                    client.signers()
                    outcomes.append("ok")
                except TransientError:
                    outcomes.append("503")
        return outcomes

    first = run(21, tmp_path / "a")
    assert first == run(21, tmp_path / "b")
    assert set(first) == {"ok", "503"}
