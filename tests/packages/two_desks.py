"""Two desks (two data folders) of the same unit, each with both signers registered, signing
with the session's SoftHSM2 tokens: the chief accountant's "KTT-RSA" and the account holder's
"CTK-EC". Packages travel between them as files."""

from __future__ import annotations

import sqlite3
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from treasury_signing_fixtures import make_vouchers, register

from treasury_desktop.context import AppContext
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.voucher import Unit
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.signing.executor import TokenExecutor
from treasury_desktop.store.records import Actor
from treasury_desktop.usecases.drafting import DraftingService
from treasury_desktop.usecases.package_export import ExportResult, PackageExporter
from treasury_desktop.usecases.package_import import ImportResult, PackageImporter
from treasury_desktop.usecases.signing import SigningRequest, SigningService

CHIEF, HOLDER = SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER
UNIT = Unit("1171277", "Trường THCS Phú Lương", "9523.2.1171277", "0011")
TOKENS = {CHIEF: "KTT-RSA", HOLDER: "CTK-EC"}
TODAY = date(2026, 11, 20)


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class DeskRig:
    """One desk: its data folder, a connection, and the use cases a test drives."""

    name: str
    ctx: AppContext
    softhsm: Any
    module: Any
    conn: sqlite3.Connection = field(init=False)

    def __post_init__(self) -> None:
        self.conn = self.ctx.connect()
        _, profile = self.ctx.repositories(self.conn)
        profile.set_unit(UNIT)
        profile.set("desk", {"id": _desk_ids[self.name], "name": f"Máy {self.name}"})
        register(self.conn, self.softhsm.chief.key.certificate_der, CHIEF)
        register(self.conn, self.softhsm.holder.key.certificate_der, HOLDER)

    def drafts(self, document: dict[str, Any], count: int) -> list[str]:
        return make_vouchers(self.ctx, document, count)

    def sign(self, ids: Iterable[str], role: SignerRole) -> tuple[str, ...]:
        provisioned = self.softhsm.chief if role is CHIEF else self.softhsm.holder
        with TokenExecutor() as executor:
            service = SigningService(self.conn, executor, self.module, Actor("ky", role.value))
            plan = service.prepare(SigningRequest(tuple(ids), role, token=TOKENS[role]))
            result = service.execute(plan, provisioned.user_pin)
        assert not result.failed, result.failed
        return result.signed

    def export(self, ids: Iterable[str], out: Path, signature: bytes | None = None
               ) -> ExportResult:
        exporter = PackageExporter(self.conn, Actor("gui", "accountant"), now)
        return exporter.write(exporter.prepare(list(ids)), out, signature)

    def importer(self) -> PackageImporter:
        repo, profile = self.ctx.repositories(self.conn)
        drafting = DraftingService(repo, profile, self.ctx.catalog, self.ctx.actor,
                                   lambda: TODAY)
        return PackageImporter(self.conn, Actor("nhan", "accountant"), now,
                               lambda voucher: len(drafting.check(voucher)))

    def receive(self, path: Path) -> ImportResult:
        return self.importer().import_file(path)

    def status(self, voucher_id: str) -> VoucherState:
        row = self.conn.execute("SELECT status FROM vouchers WHERE id = ?", (voucher_id,)
                                ).fetchone()
        return VoucherState(row[0])

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of the tables an import may touch."""
        tables = ("vouchers", "signatures", "package_imports", "package_arrivals",
                  "audit_log", "outbox", "status_events")
        return {t: [tuple(r) for r in self.conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
                for t in tables}


_desk_ids = {"A": "0b9c1a52-8a3e-4c55-9f5e-6a1d2c3b4a51",
             "B": "5d2e7f10-3c4b-4a8e-b1d6-7e8f9a0b1c2d"}


def open_desk(name: str, root: Path, softhsm: Any, module: Any) -> DeskRig:
    folder = root / f"desk-{name}"
    folder.mkdir()
    return DeskRig(name, AppContext(folder, clock=lambda: TODAY), softhsm, module)


def read_members(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def rewrite(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    """A zip with exactly these members (duplicates and odd names allowed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in members:
                archive.writestr(info, data)
    return path
