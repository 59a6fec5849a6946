"""«Nhận chứng từ»: read a package from another desk, voucher by voucher.

The whole package is refused when the file itself is unsafe or not a package (see
packages/archive.py) or when its manifest is signed and the signature fails. Otherwise each
voucher stands alone: its members must match the manifest's hashes, its signed bytes must be a
voucher document of this desk's unit read back to the same bytes, and its signatures must pass
the same checks as before queuing (intact, in order, by this desk's registered signers). Then:

- a voucher this desk does not have is stored with the signatures it carries;
- one it has with the same content gains the signatures it lacked (merged role by role, the
  desk's own SignerInfo first);
- one it has with other content is a conflict: refused, never merged.

Each outcome is recorded once per package and voucher (with an audit entry), so reading the
same package again changes nothing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from treasury_desktop.domain.canonical import content_hash, voucher_bytes
from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.domain.voucher import DocumentShapeError, Voucher, from_document
from treasury_desktop.domain.workflow import EDITABLE, SIGNATURE_STEPS
from treasury_desktop.i18n import ExpectedError, Message
from treasury_desktop.packages.archive import Limits, PackageFile, read_package
from treasury_desktop.packages.format import (
    MANIFEST,
    MANIFEST_SIGNATURE,
    Desk,
    Manifest,
    ManifestItem,
    PackageRefused,
    parse_manifest,
)
from treasury_desktop.signing.cms_merge import first_signatures, merge_signatures, roles_of
from treasury_desktop.signing.verify import SignatureInvalid, VerifiedSigner, verify_detached
from treasury_desktop.store.audit import append_audit
from treasury_desktop.store.db import transaction
from treasury_desktop.store.outbox import message_json
from treasury_desktop.store.packages import Arrival, PackageLog, PackageRecord
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import SignatureStore, SignerRegistry, StoredSignature
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.signers import desk_unit
from treasury_desktop.usecases.signing import check_signatures


class ItemOutcome(StrEnum):
    """What the package did with one voucher."""

    IMPORTED = "imported"  # new on this desk
    SIGNATURES_ADDED = "signatures_added"  # the desk had it; it gained signatures
    UNCHANGED = "unchanged"  # nothing this desk did not have
    REFUSED = "refused"  # something differs or fails: the reason says what
    CONFLICT = "conflict"  # the same id with other content


@dataclass(frozen=True)
class ItemResult:
    """One voucher's outcome, with the reason in plain words."""

    voucher_id: str
    number: str
    outcome: ItemOutcome
    message: Message
    roles: tuple[SignerRole, ...]  # the signatures the desk now has
    queued_elsewhere: bool

    @property
    def ok(self) -> bool:
        """Imported, completed or already here."""
        return self.outcome not in (ItemOutcome.REFUSED, ItemOutcome.CONFLICT)


@dataclass(frozen=True)
class Sender:
    """Who signed the manifest, and whether this desk knows them as a signer of its unit."""

    holder_name: str
    role: SignerRole
    registered: bool


@dataclass(frozen=True)
class ImportResult:
    """What reading one package did."""

    package_id: str
    desk: Desk
    created_at: str
    sender: Sender | None
    items: tuple[ItemResult, ...]
    read_before: bool


class PackageImporter:
    """Reads packages into one data folder."""

    def __init__(
        self, conn: sqlite3.Connection, actor: Actor, now: Callable[[], datetime],
        problems: Callable[[Voucher], int], limits: Limits | None = None,
    ) -> None:
        self._conn = conn
        self._repo = SqliteVoucherRepository(conn)
        self._signatures = SignatureStore(conn)
        self._registry = SignerRegistry(conn)
        self._actor = actor
        self._now = now
        self._problems = problems  # how many problems this desk's catalogue finds
        self._limits = limits

    def import_file(self, path: Path) -> ImportResult:
        """Read the package at ``path``; PackageRefused when the whole of it is refused."""
        try:
            contents = read_package(path, self._limits)
            if MANIFEST not in contents.members:
                raise PackageRefused("package.refused.no_manifest")
            manifest = parse_manifest(contents.members[MANIFEST])
            sender = self._sender(contents)
        except PackageRefused as error:
            with transaction(self._conn) as conn:
                append_audit(conn, self._actor, None, "package_refused",
                             f"{path.name}: {error}", None, None)
            raise
        now = self._now()
        with transaction(self._conn) as conn:
            new = PackageLog.record_package_in(conn, PackageRecord(
                manifest.package_id, manifest.desk.id, manifest.desk.name,
                sender.holder_name if sender else "", manifest.created_at, now.isoformat(),
                path.name,
            ))
            if new:
                append_audit(conn, self._actor, None, "package_import",
                             f"{manifest.package_id} {path.name} «{manifest.desk.name}»"
                             f" {len(manifest.items)}", None, None)
        items = tuple(self._one(manifest, item, contents, now) for item in manifest.items)
        return ImportResult(manifest.package_id, manifest.desk, manifest.created_at, sender,
                            items, not new)

    def _sender(self, contents: PackageFile) -> Sender | None:
        signature = contents.members.get(MANIFEST_SIGNATURE)
        if signature is None and MANIFEST_SIGNATURE not in contents.damaged:
            return None
        if signature is None or MANIFEST in contents.damaged:
            raise PackageRefused("package.refused.sender_signature", reason="CRC")
        try:
            signers = verify_detached(contents.members[MANIFEST], signature, at=self._now())
        except SignatureInvalid as error:
            raise PackageRefused("package.refused.sender_signature", reason=str(error)) from None
        if len(signers) != 1:
            raise PackageRefused("package.refused.sender_signature", reason=str(len(signers)))
        [signer] = signers
        registered = self._registry.is_registered(signer.cert_sha256, signer.role)
        return Sender(signer.holder_name, signer.role, registered)

    # -- one voucher -----------------------------------------------------------------------

    def _one(self, manifest: Manifest, item: ManifestItem, contents: PackageFile,
             now: datetime) -> ItemResult:
        with transaction(self._conn) as conn:
            try:
                outcome, message = self._apply(conn, manifest, item, contents, now)
            except ExpectedError as error:
                outcome, message = ItemOutcome.REFUSED, error.message
            roles = tuple(s.role for s in SignatureStore(conn).of(item.voucher_id)) \
                if outcome is not ItemOutcome.REFUSED else ()
            self._record(conn, manifest, item, outcome, message, now)
        return ItemResult(item.voucher_id, item.number, outcome, message, roles,
                          item.queued_elsewhere)

    def _record(self, conn: sqlite3.Connection, manifest: Manifest, item: ManifestItem,
                outcome: ItemOutcome, message: Message, now: datetime) -> None:
        """Remember the outcome once: the same package read again writes nothing."""
        refused = outcome in (ItemOutcome.REFUSED, ItemOutcome.CONFLICT)
        reason = message_json(message) if refused else ""
        before = PackageLog.arrival_in(conn, manifest.package_id, item.voucher_id)
        if before is not None and (
            outcome is ItemOutcome.UNCHANGED or (before.outcome, before.reason)
            == (outcome.value, reason)
        ):
            return
        PackageLog.record_arrival_in(conn, Arrival(
            manifest.package_id, item.voucher_id, outcome.value, reason,
            item.queued_elsewhere, now.isoformat(),
        ))
        shown = message.render("vi") if refused else ""
        detail = f"{manifest.package_id} «{manifest.desk.name}» {shown}"
        append_audit(conn, self._actor, item.voucher_id, f"package_{outcome.value}",
                     detail.strip(), None, item.content_hash)

    def _apply(self, conn: sqlite3.Connection, manifest: Manifest, item: ManifestItem,
               contents: PackageFile, now: datetime) -> tuple[ItemOutcome, Message]:
        number = item.number or item.voucher_id[:8]
        content = self._member(contents, item.signed_bytes.name, item.signed_bytes.sha256,
                               number)
        cms = None
        if item.cms is not None:
            cms = self._member(contents, item.cms.name, item.cms.sha256, number)
        voucher = self._voucher(content, item, manifest, number, conn)
        incoming_roles = roles_of(cms) if cms is not None else ()
        if incoming_roles != item.roles:
            raise ExpectedError("package.item.roles_differ", number=number)
        signers = self._verified(content, cms, incoming_roles, now, number)
        stored = self._repo.get(item.voucher_id)
        digest = content_hash(content)
        if stored is None:
            self._store_new(conn, voucher, cms, signers, manifest.desk, digest)
            return ItemOutcome.IMPORTED, Message("package.item.imported", {"number": number})
        if stored.content_hash != digest:
            return ItemOutcome.CONFLICT, Message("package.item.conflict", {"number": number})
        local = SignatureStore(conn).of(item.voucher_id)
        have = {s.role for s in local}
        if stored.status not in EDITABLE or set(incoming_roles) <= have:
            return ItemOutcome.UNCHANGED, Message("package.item.unchanged", {"number": number})
        merged = merge_signatures(local[-1].cms if local else None, cms or b"")
        merged_roles = roles_of(merged)
        signers = self._verified(content, merged, merged_roles, now, number)
        self._add_signatures(conn, item.voucher_id, merged, signers, have, digest,
                             manifest.desk)
        return ItemOutcome.SIGNATURES_ADDED, Message("package.item.signatures_added",
                                                     {"number": number})

    @staticmethod
    def _member(contents: PackageFile, name: str, sha256: str, number: str) -> bytes:
        if name in contents.damaged:
            raise ExpectedError("package.item.damaged", number=number, name=name)
        data = contents.members.get(name)
        if data is None:
            raise ExpectedError("package.item.missing", number=number, name=name)
        if content_hash(data) != sha256:
            raise ExpectedError("package.item.hash_differs", number=number, name=name)
        return data

    def _voucher(self, content: bytes, item: ManifestItem, manifest: Manifest, number: str,
                 conn: sqlite3.Connection) -> Voucher:
        try:
            voucher = from_document(json.loads(content.decode("utf-8")))
        except (ValueError, UnicodeDecodeError, DocumentShapeError):
            raise ExpectedError("package.item.not_a_voucher", number=number) from None
        if voucher_bytes(voucher) != content or voucher.id != item.voucher_id:
            raise ExpectedError("package.item.not_a_voucher", number=number)
        unit = desk_unit(conn)
        if voucher.unit.code != manifest.unit_code or (unit and voucher.unit.code != unit):
            raise ExpectedError("package.item.other_unit", number=number,
                                unit=voucher.unit.code, desk=unit or manifest.unit_code)
        return voucher

    def _verified(self, content: bytes, cms: bytes | None, roles: tuple[SignerRole, ...],
                  now: datetime, number: str) -> list[VerifiedSigner]:
        if cms is None:
            return []
        if roles != SIGNING_ORDER[: len(roles)] or not roles:
            raise ExpectedError("signing.order.chief_first")
        return check_signatures(self._registry, content, cms, now, set(roles), number)

    def _store_new(self, conn: sqlite3.Connection, voucher: Voucher, cms: bytes | None,
                   signers: list[VerifiedSigner], desk: Desk, digest: str) -> None:
        self._repo.create_in(conn, voucher, problems=self._problems(voucher),
                             actor=self._actor, action="package_create")
        if cms is not None:
            self._add_signatures(conn, voucher.id, cms, signers, set(), digest, desk)

    def _add_signatures(self, conn: sqlite3.Connection, voucher_id: str, cms: bytes,
                        signers: list[VerifiedSigner], have: set[SignerRole], digest: str,
                        desk: Desk) -> None:
        for position, signer in enumerate(sorted(signers, key=lambda s: s.role.order), 1):
            if signer.role in have:
                continue
            SignatureStore.add_in(conn, StoredSignature(
                voucher_id, signer.role, signer.cert_sha256, signer.holder_name,
                signer.signing_time.isoformat(), digest, first_signatures(cms, position),
            ))
            self._repo.set_status_in(conn, voucher_id, SIGNATURE_STEPS[position],
                                     actor=self._actor, reason=f"«{desk.name}»")


def importer_for(conn: sqlite3.Connection, drafting: DraftingService, actor: Actor,
                 now: Callable[[], datetime]) -> PackageImporter:
    """The import use case over ``conn``, validating new vouchers as ``drafting`` does (with
    the desk's catalogue)."""

    def problems(voucher: Voucher) -> int:
        return len(drafting.check(voucher))

    return PackageImporter(conn, actor, now, problems)
