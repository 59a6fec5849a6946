"""The unit's signers from the treasury's register: the in-memory fake treasury for the rules,
a real sandbox on 127.0.0.1 for the client, the command line and the sync chore."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from treasury_desktop import paths
from treasury_desktop.api.client import TreasuryClient
from treasury_desktop.api.connection import Connection, save_connection
from treasury_desktop.api.port import TreasurySigner, TreasuryUnavailable
from treasury_desktop.cli.main import main
from treasury_desktop.context import AppContext
from treasury_desktop.delivery import open_delivery
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.outbox.adapter import ClientPort
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.sandbox.config import RegisteredSigner as SandboxSigner
from treasury_desktop.sandbox.server import RunningSandbox
from treasury_desktop.signing.certificates import CertificateInfo
from treasury_desktop.signing.errors import PinState
from treasury_desktop.signing.testca import (
    SoftwareCA,
    generate_key,
    issue_certificate,
    make_test_ca,
)
from treasury_desktop.signing.token import TokenInfo
from treasury_desktop.store.audit import audit_entries
from treasury_desktop.store.db import connect
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import RegisteredSigner, SignerRegistry
from treasury_desktop.usecases.signers import (
    TREASURY,
    listing,
    record_from_token,
    refresh_chore,
    refresh_from_treasury,
)

CHIEF, HOLDER = SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER
UNIT = "1171277"
ACTOR = Actor("lan", "admin")


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> SoftwareCA:
    return make_test_ca(tmp_path_factory.mktemp("register-ca"))


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(tmp_path / "desk.sqlite3")
    yield connection
    connection.close()


def certificate(ca: SoftwareCA, holder: str) -> bytes:
    return issue_certificate(ca, generate_key("EC P-256").public_key(), holder_name=holder,
                             unit_name="Trường THCS Phú Lương")


def entry(der: bytes, role: SignerRole, name: str = "") -> TreasurySigner:
    info = CertificateInfo.from_der(der)
    return TreasurySigner(info.sha256, der, role, name or info.holder_name,
                          info.not_before.isoformat(), info.not_after.isoformat())


def local(conn: sqlite3.Connection, der: bytes, role: SignerRole, source: str = "local") -> str:
    info = CertificateInfo.from_der(der)
    SignerRegistry(conn).add(RegisteredSigner(info.sha256, role, info.holder_name, der,
                                              "KTT-TOKEN", "S1", "/lib/x.so", source), actor=ACTOR)
    return info.sha256


def rows(conn: sqlite3.Connection) -> set[tuple[str, SignerRole, str]]:
    return {(s.holder_name, s.role, s.source) for s in SignerRegistry(conn).all()}


def signer_audit(conn: sqlite3.Connection) -> list[str]:
    return [e.action for e in audit_entries(conn) if e.action.startswith("signer_")]


# -- the rules, over the fake treasury ---------------------------------------------------------


def test_register_replaces_treasury_rows_and_leaves_the_desks_own_alone(
    conn: sqlite3.Connection, ca: SoftwareCA,
) -> None:
    lan, minh, hoa = (certificate(ca, n) for n in ("Nguyễn Thị Lan", "Trần Văn Minh", "Phạm Hoa"))
    demo = certificate(ca, "Demo KTT")
    local(conn, lan, CHIEF)  # recorded from a token, and also on the register
    local(conn, demo, CHIEF, source="demo")
    register = (entry(lan, CHIEF), entry(minh, HOLDER, "Trần Văn Minh"))
    treasury = FakeTreasury(register={UNIT: register})
    before = len(signer_audit(conn))

    first = refresh_from_treasury(conn, treasury, UNIT, ACTOR)
    assert [s.holder_name for s in first.added] == ["Trần Văn Minh"]
    assert first.removed == () and first.unchanged == 1 and first.refused == ()
    assert rows(conn) == {("Nguyễn Thị Lan", CHIEF, "local"), ("Demo KTT", CHIEF, "demo"),
                          ("Trần Văn Minh", HOLDER, TREASURY)}
    assert signer_audit(conn)[before:] == ["signer_added"]
    assert SignerRegistry(conn).is_registered(first.added[0].cert_sha256, HOLDER)

    # Nothing changed at the treasury: nothing written, nothing audited.
    again = refresh_from_treasury(conn, treasury, UNIT, ACTOR)
    assert again.added == again.removed == again.updated == () and again.unchanged == 2
    assert signer_audit(conn)[before:] == ["signer_added"]

    # After the election the account holder is someone else, and Lan left the register.
    treasury.register[UNIT] = (entry(hoa, HOLDER),)
    after = refresh_from_treasury(conn, treasury, UNIT, ACTOR)
    assert [s.holder_name for s in after.added] == ["Phạm Hoa"]
    assert [s.holder_name for s in after.removed] == ["Trần Văn Minh"]
    assert rows(conn) == {("Nguyễn Thị Lan", CHIEF, "local"), ("Demo KTT", CHIEF, "demo"),
                          ("Phạm Hoa", HOLDER, TREASURY)}
    assert signer_audit(conn)[before:] == ["signer_added", "signer_added", "signer_removed"]
    assert after.message.render("vi") == ("Đã cập nhật danh sách người ký từ Kho bạc: thêm 1, "
                                          "bỏ 1; Kho bạc đang ghi nhận 1 chứng thư.")
    assert after.message.render("en").startswith("The register of signers was updated")


def test_a_name_change_on_the_register_is_recorded(
    conn: sqlite3.Connection, ca: SoftwareCA,
) -> None:
    minh = certificate(ca, "Tran Van Minh")
    treasury = FakeTreasury(register={UNIT: (entry(minh, HOLDER, "Trần Văn Minh"),)})
    refresh_from_treasury(conn, treasury, UNIT, ACTOR)
    treasury.register[UNIT] = (entry(minh, HOLDER, "Trần Văn Minh (Hiệu trưởng)"),)
    done = refresh_from_treasury(conn, treasury, UNIT, ACTOR)
    assert [s.holder_name for s in done.updated] == ["Trần Văn Minh (Hiệu trưởng)"]
    assert rows(conn) == {("Trần Văn Minh (Hiệu trưởng)", HOLDER, TREASURY)}


def test_removing_a_treasury_row_keeps_the_same_certificate_in_the_other_role(
    conn: sqlite3.Connection, ca: SoftwareCA,
) -> None:
    lan = certificate(ca, "Nguyễn Thị Lan")
    local(conn, lan, HOLDER)  # the desk says holder; the treasury said chief, then nothing
    treasury = FakeTreasury(register={UNIT: (entry(lan, CHIEF),)})
    refresh_from_treasury(conn, treasury, UNIT, ACTOR)
    assert rows(conn) == {("Nguyễn Thị Lan", HOLDER, "local"), ("Nguyễn Thị Lan", CHIEF, TREASURY)}
    treasury.register[UNIT] = ()
    done = refresh_from_treasury(conn, treasury, UNIT, ACTOR)
    assert [s.role for s in done.removed] == [CHIEF]
    (kept,) = SignerRegistry(conn).all()
    assert (kept.role, kept.source, kept.token_label, kept.module_path) == (
        HOLDER, "local", "KTT-TOKEN", "/lib/x.so")


def test_an_entry_whose_fingerprint_is_not_its_certificates_is_refused(
    conn: sqlite3.Connection, ca: SoftwareCA,
) -> None:
    lan, minh = certificate(ca, "Nguyễn Thị Lan"), certificate(ca, "Trần Văn Minh")
    forged = entry(lan, CHIEF)
    forged = TreasurySigner(entry(minh, CHIEF).cert_sha256, lan, CHIEF, "X", forged.not_before,
                            forged.not_after)
    garbage = TreasurySigner("ab" * 32, b"not a certificate", HOLDER, "Y", "", "")
    done = refresh_from_treasury(conn, FakeTreasury(register={UNIT: (forged, garbage)}), UNIT,
                                 ACTOR)
    assert done.added == () and len(done.refused) == 2
    assert SignerRegistry(conn).all() == []


def test_an_unreachable_treasury_changes_nothing(
    conn: sqlite3.Connection, ca: SoftwareCA, caplog: pytest.LogCaptureFixture,
) -> None:
    minh = certificate(ca, "Trần Văn Minh")
    treasury = FakeTreasury(register={UNIT: (entry(minh, HOLDER),)})
    refresh_from_treasury(conn, treasury, UNIT, ACTOR)
    treasury.register[UNIT] = ()
    treasury.signers_failure = TreasuryUnavailable("connection reset", offline=True)
    with pytest.raises(TreasuryUnavailable):
        refresh_from_treasury(conn, treasury, UNIT, ACTOR)
    with caplog.at_level(logging.WARNING):
        refresh_chore(treasury, UNIT, ACTOR)(conn)  # the sync chore: logged, not raised
    assert "not refreshed: connection reset" in caplog.text
    assert rows(conn) == {("Trần Văn Minh", HOLDER, TREASURY)}


def test_listing_warns_about_desk_certificates_the_register_lacks(
    conn: sqlite3.Connection, ca: SoftwareCA,
) -> None:
    lan, minh, old = (certificate(ca, n) for n in ("Nguyễn Thị Lan", "Trần Văn Minh", "Lê Hùng"))
    ProfileStore(conn).set("unit", {"code": UNIT, "name": "Trường THCS Phú Lương",
                                    "account": "9523.2.1171277", "treasury": "0011"})
    local(conn, lan, CHIEF)
    local(conn, old, HOLDER)
    before = listing(conn)
    assert before.register is None
    assert [(r.in_register, r.warning) for r in before.signers] == [(None, None)] * 2

    refresh_from_treasury(conn, FakeTreasury(register={UNIT: (entry(lan, CHIEF),
                                                              entry(minh, HOLDER))}), UNIT, ACTOR)
    after = {r.signer.holder_name: r for r in listing(conn).signers}
    assert after["Nguyễn Thị Lan"].in_register and after["Nguyễn Thị Lan"].warning is None
    assert after["Trần Văn Minh"].in_register and after["Trần Văn Minh"].warning is None
    warning = after["Lê Hùng"].warning
    assert after["Lê Hùng"].in_register is False and warning is not None
    said = warning.render("vi")
    assert "Lê Hùng (Chủ tài khoản) chưa đăng ký với Kho bạc" in said, said
    assert "(Account holder) is not registered with the treasury" in warning.render("en")
    assert after["Lê Hùng"].info is not None and after["Lê Hùng"].info.holder_name == "Lê Hùng"


# -- the real client over a sandbox on 127.0.0.1 ---------------------------------------------


def test_refresh_over_the_sandbox_follows_an_election(
    conn: sqlite3.Connection, world: Any, sandbox: RunningSandbox, client: TreasuryClient,
) -> None:
    port = ClientPort(client)  # not closed: the client stays the fixture's
    done = refresh_from_treasury(conn, port, UNIT, ACTOR)
    assert {(s.cert_sha256, s.role) for s in done.added} == {
        (CertificateInfo.from_der(world.chief.der).sha256, CHIEF),
        (CertificateInfo.from_der(world.holder.der).sha256, HOLDER)}
    assert all(s.source == TREASURY and s.certificate for s in SignerRegistry(conn).all())

    # The new chief accountant (the "outsider" until now) replaces Lan at the treasury.
    state = sandbox.state
    elected = (SandboxSigner(world.outsider.der, CHIEF), SandboxSigner(world.holder.der, HOLDER))
    state.config = replace(state.config, units=tuple(
        replace(u, signers=elected) if u.code == UNIT else u for u in state.config.units))
    after = refresh_from_treasury(conn, port, UNIT, ACTOR)
    assert [s.holder_name for s in after.added] == ["Lê Văn Hùng"]
    assert [s.holder_name for s in after.removed] == ["Nguyễn Thị Lan"]
    assert sorted(s.holder_name for s in SignerRegistry(conn).all()) == [
        "Lê Văn Hùng", "Trần Văn Minh"]


@pytest.fixture
def desk(data_dir: Path, sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
         ) -> Iterator[sqlite3.Connection]:
    monkeypatch.setenv("TREASURY_API_TOKEN", "desk-1171277-secret")
    connection = connect(paths.database_path(data_dir))
    save_connection(ProfileStore(connection), Connection(sandbox.url, UNIT))
    yield connection
    connection.close()


def test_cli_signers_refresh_and_list_with_the_warning(
    data_dir: Path, desk: sqlite3.Connection, world: Any, capsys: pytest.CaptureFixture[str],
) -> None:
    outsider = local(desk, world.outsider.der, CHIEF)
    home = ["--data-dir", str(data_dir)]
    assert main([*home, "signers", "list"]) == 0
    out, err = capsys.readouterr()
    assert "Lê Văn Hùng" in out and "Trên token" in out and err == ""  # no register yet

    assert main([*home, "signers", "refresh"]) == 0
    out, err = capsys.readouterr()
    assert "Đã cập nhật danh sách người ký từ Kho bạc: thêm 2, bỏ 0" in out, out
    assert "+ Kế toán trưởng: Nguyễn Thị Lan" in out and "+ Chủ tài khoản: Trần Văn Minh" in out
    assert "Kho bạc" in out
    assert "Lê Văn Hùng (Kế toán trưởng) chưa đăng ký với Kho bạc" in err, err

    assert main([*home, "--lang", "en", "signers", "list", "--json"]) == 0
    listed = {r["holder"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert listed["Lê Văn Hùng"]["in_register"] is False
    assert listed["Lê Văn Hùng"]["sha256"] == outsider
    lan = listed["Nguyễn Thị Lan"]
    assert lan["source"] == TREASURY and lan["in_register"] is True


def test_cli_signers_refresh_offline_says_so_and_keeps_the_rows(
    data_dir: Path, desk: sqlite3.Connection, world: Any, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local(desk, world.outsider.der, CHIEF)
    monkeypatch.setenv("TREASURY_API_TOKEN", "wrong-credential")
    assert main(["--data-dir", str(data_dir), "signers", "refresh"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Chưa lấy được danh sách người ký từ Kho bạc:"), err
    assert "Danh sách người ký trên máy giữ nguyên." in err
    assert rows(desk) == {("Lê Văn Hùng", CHIEF, "local")}


def test_the_sync_chore_of_the_delivery_fetches_the_register(
    data_dir: Path, desk: sqlite3.Connection, world: Any,
) -> None:
    ctx = AppContext(data_dir)
    delivery = open_delivery(ctx, sync_period=3600)
    delivery.start()
    try:
        deadline = time.monotonic() + 10
        while len(SignerRegistry(desk).all()) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        delivery.close()
        ctx.close()
    assert rows(desk) == {("Nguyễn Thị Lan", CHIEF, TREASURY), ("Trần Văn Minh", HOLDER, TREASURY)}


def test_recording_from_a_token_refuses_the_unusable_and_the_other_role(
    conn: sqlite3.Connection, ca: SoftwareCA,
) -> None:
    token = TokenInfo("CTK-MINH", "S9", "SoftHSM", "x", "/lib/softhsm2.so", PinState.NORMAL, False)
    now = datetime.now(UTC)
    registry = SignerRegistry(conn)
    expired = CertificateInfo.from_der(issue_certificate(
        ca, generate_key("EC P-256").public_key(), holder_name="Phạm Hoa", unit_name="THCS",
        not_before=now - timedelta(days=400), not_after=now - timedelta(days=1)))
    with pytest.raises(ExpectedError) as refused:
        record_from_token(registry, token, expired, HOLDER, ACTOR, now)
    assert refused.value.message.key == "signing.cert.expired"

    minh = certificate(ca, "Trần Văn Minh")
    refresh_from_treasury(conn, FakeTreasury(register={UNIT: (entry(minh, HOLDER),)}), UNIT,
                          ACTOR)
    info = CertificateInfo.from_der(minh)
    recorded = record_from_token(registry, token, info, HOLDER, ACTOR, now)
    # On the treasury's register already: it stays the register's, and learns its token.
    assert (recorded.source, recorded.token_label, recorded.module_path) == (
        TREASURY, "CTK-MINH", "/lib/softhsm2.so")
    with pytest.raises(ExpectedError) as twice:
        record_from_token(registry, token, info, CHIEF, ACTOR, now)
    assert str(twice.value).startswith(
        "Chứng thư số của Trần Văn Minh đã được ghi nhận là Chủ tài khoản.")
    assert [(s.role, s.source) for s in registry.all()] == [(HOLDER, TREASURY)]
