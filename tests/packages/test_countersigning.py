"""Countersigning across desks, end to end: two data folders, two SoftHSM2 tokens, a real
sandbox treasury on 127.0.0.1. The chief accountant signs on desk A, a package goes to desk B,
the account holder signs there, a package comes back, A queues, the treasury gets each voucher
once, and both desks see it paid after they sync."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from two_desks import CHIEF, HOLDER, DeskRig, now, open_desk

from treasury_desktop.api.connection import Connection, save_connection
from treasury_desktop.cli.main import main
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.packages.format import MANIFEST, parse_manifest
from treasury_desktop.sandbox.config import ClerkTiming, SandboxConfig, default_config
from treasury_desktop.sandbox.server import running_sandbox
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.signing.verify import verify_detached
from treasury_desktop.store.audit import audit_entries
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import SignatureStore
from treasury_desktop.usecases.package_arrivals import arrivals, needs
from treasury_desktop.usecases.package_export import PackageExporter
from treasury_desktop.usecases.package_import import ItemOutcome
from treasury_desktop.usecases.package_sender import ManifestSigner
from treasury_desktop.usecases.queueing import QueueOutcome, QueueService

UNIT_CODE = "1171277"
CREDENTIAL = "desk-credential-packages"


def _sandbox_config(softhsm: Any) -> SandboxConfig:
    config = (default_config().with_trusted_ca(softhsm.ca.cert_der)
              .with_signer(UNIT_CODE, softhsm.chief.key.certificate_der, CHIEF, "Kế toán trưởng")
              .with_signer(UNIT_CODE, softhsm.holder.key.certificate_der, HOLDER, "Hiệu trưởng")
              .with_token(UNIT_CODE, CREDENTIAL))
    return SandboxConfig(config.units, config.trusted_cas, ClerkTiming(0.02, 0.0),
                         config.max_body_bytes)


def _sync_until_paid(desk: DeskRig, ids: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    home = ["--data-dir", str(desk.ctx.data_dir)]
    for _ in range(200):
        assert main([*home, "sync", "--json"]) == 0
        capsys.readouterr()
        if all(desk.status(v) is VoucherState.PAID for v in ids):
            return
        time.sleep(0.05)
    raise AssertionError([desk.status(v) for v in ids])


def test_chief_on_a_holder_on_b_back_to_a_queued_once_paid_on_both(
    tmp_path: Path, softhsm: Any, softhsm_module_loaded: Any, example_document: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    a = open_desk("A", tmp_path, softhsm, softhsm_module_loaded)
    b = open_desk("B", tmp_path, softhsm, softhsm_module_loaded)
    ids = a.drafts(example_document, 3)
    assert a.sign(ids, CHIEF) == tuple(ids)

    # A sends them for signing, the manifest signed by the chief accountant's token.
    exporter = PackageExporter(a.conn, Actor("lan", "chief-accountant"), now)
    prepared = exporter.prepare(ids)
    with TokenExecutor() as executor:
        signer = ManifestSigner(a.conn, executor, softhsm_module_loaded, now)
        plan = signer.prepare(CHIEF, token="KTT-RSA")
        signature = signer.sign(plan, softhsm.chief.user_pin, prepared.manifest_bytes)
    [sender] = verify_detached(prepared.manifest_bytes, signature)
    assert sender.role is CHIEF
    outgoing = tmp_path / "usb"
    outgoing.mkdir()
    sent = exporter.write(prepared, outgoing, signature)
    assert sent.path.parent == outgoing and sent.path.suffix == ".tdpkg"
    assert stat.S_IMODE(os.stat(sent.path).st_mode) == 0o600
    assert sent.exported == tuple(ids) and sent.signed

    # B receives: three vouchers signed by the chief accountant, sender known.
    received = b.receive(sent.path)
    assert [i.outcome for i in received.items] == [ItemOutcome.IMPORTED] * 3
    assert received.sender is not None and received.sender.holder_name == "Nguyễn Thị Lan"
    assert received.sender.registered and received.desk.name == "Máy A"
    assert all(b.status(v) is VoucherState.SIGNED_CHIEF for v in ids)
    listed = {row.voucher_id: row for row in arrivals(b.conn)}
    assert set(listed) == set(ids)
    assert needs(listed[ids[0]]).key == "package.needs.holder"
    assert listed[ids[0]].desk_name == "Máy A" and listed[ids[0]].sender == "Nguyễn Thị Lan"

    # B signs as the account holder and sends the package back.
    assert b.sign(ids, HOLDER) == tuple(ids)
    back = b.export(ids, tmp_path / "back.tdpkg")
    manifest = parse_manifest(_member(back.path, MANIFEST))
    assert [item.roles for item in manifest.items] == [(CHIEF, HOLDER)] * 3
    assert not any(item.queued_elsewhere for item in manifest.items)

    # A receives: the signatures it lacked, byte for byte the CMS B holds.
    returned = a.receive(back.path)
    assert [i.outcome for i in returned.items] == [ItemOutcome.SIGNATURES_ADDED] * 3
    assert returned.sender is None
    for voucher_id in ids:
        assert a.status(voucher_id) is VoucherState.SIGNED_HOLDER
        cms_a = SignatureStore(a.conn).latest_cms(voucher_id)
        assert cms_a == SignatureStore(b.conn).latest_cms(voucher_id)
        assert cms_a is not None
    assert needs({r.voucher_id: r for r in arrivals(a.conn)}[ids[0]]).key == \
        "package.needs.queue"
    actions = [e.action for e in audit_entries(a.conn, ids[0])]
    assert "package_export" in actions and "package_signatures_added" in actions

    with running_sandbox(_sandbox_config(softhsm)) as sandbox:
        monkeypatch.setenv("TREASURY_API_TOKEN", CREDENTIAL)
        for desk in (a, b):
            save_connection(ProfileStore(desk.conn), Connection(sandbox.url, UNIT_CODE))
        # A queues all three; B, connected too, queues the first itself: same bytes.
        queued = QueueService(a.conn, Actor("lan", "chief"), now).queue(ids)
        assert [r.outcome for r in queued] == [QueueOutcome.QUEUED] * 3
        assert QueueService(b.conn, Actor("minh", "holder"), now).queue(ids[:1])[0].ok
        for desk in (a, b):
            assert main(["--data-dir", str(desk.ctx.data_dir), "outbox", "run",
                         "--until-empty", "--json"]) == 0
        capsys.readouterr()
        store = sandbox.state.store
        for voucher_id in ids:
            received_events = [e for e in store.history(UNIT_CODE, voucher_id)
                               if e.status == "received"]
            assert len(received_events) == 1, voucher_id  # once, whichever desk sent it
        _sync_until_paid(a, ids, capsys)
        _sync_until_paid(b, ids, capsys)

    # The other desk's copy went sent → paid through the feed alone (queued elsewhere).
    assert b.status(ids[1]) is VoucherState.PAID
    # A package exported now marks them as queued elsewhere.
    late = a.export(ids, tmp_path / "late.tdpkg")
    late_manifest = parse_manifest(_member(late.path, MANIFEST))
    assert all(item.queued_elsewhere for item in late_manifest.items)


def test_a_package_back_from_a_desk_that_queued_marks_it_queued_elsewhere(
    tmp_path: Path, softhsm: Any, softhsm_module_loaded: Any, example_document: dict[str, Any],
) -> None:
    a = open_desk("A", tmp_path, softhsm, softhsm_module_loaded)
    b = open_desk("B", tmp_path, softhsm, softhsm_module_loaded)
    [voucher_id] = a.drafts(example_document, 1)
    a.sign([voucher_id], CHIEF)
    b.receive(a.export([voucher_id], tmp_path / "to-b.tdpkg").path)
    b.sign([voucher_id], HOLDER)
    assert QueueService(b.conn, Actor("minh", "holder"), now).queue([voucher_id])[0].ok
    back = a.receive(b.export([voucher_id], tmp_path / "to-a.tdpkg").path)
    [item] = back.items
    assert item.outcome is ItemOutcome.SIGNATURES_ADDED and item.queued_elsewhere
    [row] = arrivals(a.conn)
    assert row.queued_elsewhere and needs(row).key == "package.needs.queued_elsewhere"
    # The CLI says so too.
    out = _cli_json(a, "package", "list", "--json")
    assert out[0]["queued_elsewhere"] is True and "máy khác" in out[0]["needs"]


def _member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def _cli_json(desk: DeskRig, *args: str) -> list[dict[str, Any]]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["--data-dir", str(desk.ctx.data_dir), *args]) == 0
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]

