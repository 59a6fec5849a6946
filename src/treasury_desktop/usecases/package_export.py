"""«Gửi ký»: put vouchers into a package file for another desk (gói chứng từ).

Two steps, so that the sender's token can sign the manifest in between (on the token thread,
after the PIN): :meth:`PackageExporter.prepare` reads each voucher's signed bytes and the CMS
made so far and builds the manifest; :meth:`PackageExporter.write` writes the file (0600,
replaced atomically) and records the export in the audit log.
"""

from __future__ import annotations

import socket
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from treasury_desktop.domain.canonical import content_hash, voucher_bytes
from treasury_desktop.domain.workflow import EDITABLE, FINAL, VoucherState, signatures_carried
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.packages.archive import write_package
from treasury_desktop.packages.format import (
    MANIFEST,
    MANIFEST_SIGNATURE,
    MAX_ITEMS,
    SIGNATURE,
    SIGNED_BYTES,
    SUFFIX,
    Desk,
    Manifest,
    ManifestItem,
    Member,
    manifest_bytes,
    voucher_member,
)
from treasury_desktop.signing.cms_merge import roles_of
from treasury_desktop.signing.verify import SignatureInvalid
from treasury_desktop.store.audit import append_audit
from treasury_desktop.store.db import transaction
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import SignatureStore
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.usecases.signers import desk_unit

_DESK_KEY = "desk"


def desk_identity(profile: ProfileStore) -> Desk:
    """This data folder's desk: made once (an id, the computer's name), then kept."""
    data = profile.get(_DESK_KEY)
    if isinstance(data, dict) and data.get("id") and data.get("name"):
        return Desk(str(data["id"]), str(data["name"]))
    desk = Desk(str(uuid.uuid4()), socket.gethostname() or "desk")
    profile.set(_DESK_KEY, {"id": desk.id, "name": desk.name})
    return desk


def rename_desk(profile: ProfileStore, name: str) -> Desk:
    """Give this desk the name other desks see (e.g. «Kế toán — phòng 2»)."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > 100:
        raise ExpectedError("package.desk.bad_name")
    desk = Desk(desk_identity(profile).id, cleaned)
    profile.set(_DESK_KEY, {"id": desk.id, "name": desk.name})
    return desk


@dataclass(frozen=True)
class PreparedPackage:
    """A package ready to be written: its manifest and members, and the vouchers left out."""

    manifest: Manifest
    manifest_bytes: bytes
    members: tuple[tuple[str, bytes], ...]
    refused: tuple[tuple[str, Message], ...]


@dataclass(frozen=True)
class ExportResult:
    """What was written where."""

    path: Path
    package_id: str
    exported: tuple[str, ...]
    refused: tuple[tuple[str, Message], ...]
    size: int
    signed: bool


class PackageExporter:
    """Builds and writes packages from one data folder."""

    def __init__(self, conn: sqlite3.Connection, actor: Actor, now: Callable[[], datetime]
                 ) -> None:
        self._conn = conn
        self._repo = SqliteVoucherRepository(conn)
        self._signatures = SignatureStore(conn)
        self._profile = ProfileStore(conn)
        self._actor = actor
        self._now = now

    def prepare(self, voucher_ids: Sequence[str]) -> PreparedPackage:
        """The package of these vouchers; ExpectedError when none of them can go."""
        ids = list(dict.fromkeys(voucher_ids))
        if len(ids) > MAX_ITEMS:
            raise ExpectedError("package.export.too_many", count=len(ids), limit=MAX_ITEMS)
        items: list[ManifestItem] = []
        members: list[tuple[str, bytes]] = []
        refused: list[tuple[str, Message]] = []
        unit = desk_unit(self._conn)  # one unit per package: the desk's, else the first's
        for voucher_id in ids:
            try:
                item, files, unit = self._item(voucher_id, unit)
            except ExpectedError as error:
                refused.append((voucher_id, error.message))
                continue
            items.append(item)
            members.extend(files)
        if not items:
            if len(refused) == 1:
                raise ExpectedError(refused[0][1].key, **refused[0][1].params)
            raise ExpectedError("package.export.nothing", count=len(refused))
        desk = desk_identity(self._profile)
        first = self._repo.get(items[0].voucher_id)
        unit_name = first.voucher.unit.name if first else ""
        manifest = Manifest(str(uuid.uuid4()), self._now().isoformat(), desk, unit or "",
                            unit_name, tuple(items))
        return PreparedPackage(manifest, manifest_bytes(manifest), tuple(members),
                               tuple(refused))

    def _item(self, voucher_id: str, unit: str | None
              ) -> tuple[ManifestItem, list[tuple[str, bytes]], str]:
        stored = self._repo.get(voucher_id)
        if stored is None:
            raise ExpectedError("store.not_found", id=voucher_id)
        number = stored.voucher.number or voucher_id[:8]
        if unit is not None and stored.voucher.unit.code != unit:
            raise ExpectedError("package.item.other_unit", number=number,
                                unit=stored.voucher.unit.code, desk=unit)
        if stored.status in FINAL - {VoucherState.PAID}:
            raise ExpectedError("package.export.final", number=number,
                                status=Message(f"status.{stored.status.value}").render())
        if stored.status is VoucherState.DRAFT and stored.problems:
            raise ExpectedError("package.export.incomplete", number=number,
                                count=stored.problems)
        content = voucher_bytes(stored.voucher)
        digest = content_hash(content)
        if digest != stored.content_hash:
            raise ExpectedError("signing.voucher.changed", number=number)
        signatures = self._signatures.of(voucher_id)
        if any(s.content_hash != digest for s in signatures):
            raise ExpectedError("signing.voucher.changed", number=number)
        cms = signatures[-1].cms if signatures else None
        try:
            roles = roles_of(cms) if cms is not None else ()
        except SignatureInvalid:
            raise ExpectedError("package.export.bad_signature", number=number) from None
        expected = signatures_carried(stored.status)
        if len(roles) != expected:
            raise ExpectedError("package.export.bad_signature", number=number)
        files = [(voucher_member(voucher_id, SIGNED_BYTES), content)]
        signed = Member(files[0][0], digest, len(content))
        cms_member = None
        if cms is not None:
            files.append((voucher_member(voucher_id, SIGNATURE), cms))
            cms_member = Member(files[1][0], content_hash(cms), len(cms))
        item = ManifestItem(
            voucher_id, stored.voucher.number, stored.voucher.total, stored.status.value,
            roles, stored.status not in EDITABLE, signed, cms_member,
        )
        return item, files, stored.voucher.unit.code

    def write(self, prepared: PreparedPackage, destination: Path,
              manifest_signature: bytes | None = None) -> ExportResult:
        """Write the package to ``destination`` (a file, or a folder to put a new file in)."""
        manifest = prepared.manifest
        path = destination
        if destination.is_dir():
            stamp = self._now().strftime("%Y%m%d-%H%M%S")
            path = destination / f"goi-chung-tu-{stamp}-{manifest.package_id[:8]}{SUFFIX}"
        if not path.parent.is_dir():
            raise ExpectedError("package.export.no_folder", path=str(path.parent))
        members = [(MANIFEST, prepared.manifest_bytes)]
        if manifest_signature is not None:
            members.append((MANIFEST_SIGNATURE, manifest_signature))
        members.extend(prepared.members)
        moment = self._now()
        try:
            size = write_package(path, members, moment.timetuple()[:6])
        except OSError as error:
            raise ExpectedError("package.export.unwritable", path=str(path),
                                reason=error.strerror or str(error)) from None
        with transaction(self._conn) as conn:
            for item in manifest.items:
                append_audit(conn, self._actor, item.voucher_id, "package_export",
                             f"{manifest.package_id} {path.name}", item.content_hash,
                             item.content_hash)
        return ExportResult(path, manifest.package_id,
                            tuple(i.voucher_id for i in manifest.items), prepared.refused, size,
                            manifest_signature is not None)
