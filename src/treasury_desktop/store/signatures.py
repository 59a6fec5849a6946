"""Signatures on vouchers and the unit's registered signers (tables of migration 0002)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError, text
from treasury_desktop.store.audit import append_audit
from treasury_desktop.store.db import transaction
from treasury_desktop.store.records import Actor


@dataclass(frozen=True)
class StoredSignature:
    """One signer's signature: the CMS as it stood after that signer added theirs."""

    voucher_id: str
    role: SignerRole
    cert_sha256: str
    signer_name: str
    signed_at: str
    content_hash: str
    cms: bytes


@dataclass(frozen=True)
class RegisteredSigner:
    """A certificate recorded for a role in the unit profile (or fetched from the treasury)."""

    cert_sha256: str
    role: SignerRole
    holder_name: str
    certificate: bytes
    token_label: str = ""
    token_serial: str = ""
    module_path: str = ""
    source: str = "local"


class SignatureStore:
    """Reads signatures; they are written together with the voucher's state (see add)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def of(self, voucher_id: str) -> list[StoredSignature]:
        """The voucher's signatures in signing order."""
        rows = self._conn.execute(
            "SELECT * FROM signatures WHERE voucher_id = ? ORDER BY signed_at", (voucher_id,)
        ).fetchall()
        return sorted((_signature(r) for r in rows), key=lambda s: s.role.order)

    @staticmethod
    def of_role_in(
        conn: sqlite3.Connection, voucher_id: str, role: SignerRole
    ) -> StoredSignature | None:
        """The signature one role put on the voucher, read inside the caller's transaction."""
        row = conn.execute(
            "SELECT * FROM signatures WHERE voucher_id = ? AND role = ?", (voucher_id, role.value)
        ).fetchone()
        return None if row is None else _signature(row)

    def latest_cms(self, voucher_id: str) -> bytes | None:
        """The CMS holding every signature so far (the last signer's), or None."""
        signatures = self.of(voucher_id)
        return signatures[-1].cms if signatures else None

    @staticmethod
    def add_in(conn: sqlite3.Connection, signature: StoredSignature) -> None:
        """Record a signature inside the caller's transaction."""
        conn.execute(
            "INSERT INTO signatures (voucher_id, role, cert_sha256, signer_name, signed_at,"
            " content_hash, cms) VALUES (?,?,?,?,?,?,?)",
            (
                signature.voucher_id, signature.role.value, signature.cert_sha256,
                signature.signer_name, signature.signed_at, signature.content_hash,
                signature.cms,
            ),
        )


    @staticmethod
    def replace_cms_in(
        conn: sqlite3.Connection, voucher_id: str, role: SignerRole, old: bytes, new: bytes
    ) -> bool:
        """Swap a stored CMS for one with only unsigned attributes added (a timestamp), inside
        the caller's transaction; False when the stored one is no longer ``old``."""
        done = conn.execute(
            "UPDATE signatures SET cms = ? WHERE voucher_id = ? AND role = ? AND cms = ?",
            (new, voucher_id, role.value, old),
        )
        return done.rowcount == 1


class SignerRegistry:
    """Which certificates may sign for which role in this unit."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def all(self) -> list[RegisteredSigner]:
        """Every registered signer, chief accountants first."""
        rows = self._conn.execute("SELECT * FROM signers ORDER BY role DESC, holder_name")
        return [_signer(r) for r in rows]

    def for_role(self, role: SignerRole) -> list[RegisteredSigner]:
        """The certificates recorded for one role."""
        return [s for s in self.all() if s.role is role]

    def is_registered(self, cert_sha256: str, role: SignerRole) -> bool:
        """Whether this certificate is recorded for this role."""
        row = self._conn.execute(
            "SELECT 1 FROM signers WHERE cert_sha256 = ? AND role = ?",
            (cert_sha256.lower(), role.value),
        ).fetchone()
        return row is not None

    def add(self, signer: RegisteredSigner, *, actor: Actor) -> None:
        """Record (or refresh) a signer; the audit log says who did it.

        One certificate never serves both roles on this desk: the two signatures are two
        people's (separation of duties). The treasury's own register is copied as it stands;
        signing and queuing still refuse one certificate signing twice.
        """
        with transaction(self._conn) as conn:
            other = None if signer.source == "treasury" else conn.execute(
                "SELECT role FROM signers WHERE cert_sha256 = ? AND role != ?",
                (signer.cert_sha256.lower(), signer.role.value),
            ).fetchone()
            if other is not None:
                name = f"role.{other['role']}"
                raise ExpectedError("signing.signers.other_role", holder=signer.holder_name,
                                    role_vi=text(name, "vi"), role_en=text(name, "en"))
            conn.execute(
                "INSERT INTO signers (cert_sha256, role, holder_name, certificate, token_label,"
                " token_serial, module_path, source, added_at) VALUES (?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (cert_sha256, role) DO UPDATE SET holder_name = excluded.holder_name,"
                " token_label = excluded.token_label, token_serial = excluded.token_serial,"
                " module_path = excluded.module_path, source = excluded.source",
                (
                    signer.cert_sha256.lower(), signer.role.value, signer.holder_name,
                    signer.certificate, signer.token_label, signer.token_serial,
                    signer.module_path, signer.source, datetime.now(UTC).isoformat(),
                ),
            )
            append_audit(
                conn, actor, None, "signer_added",
                f"{signer.role.value} {signer.holder_name} {signer.cert_sha256}", None, None,
            )

    def remove(self, cert_sha256: str, *, actor: Actor) -> int:
        """Forget a certificate for every role; returns how many records went."""
        with transaction(self._conn) as conn:
            removed = conn.execute(
                "DELETE FROM signers WHERE cert_sha256 = ?", (cert_sha256.lower(),)
            ).rowcount
            if removed:
                append_audit(conn, actor, None, "signer_removed", cert_sha256.lower(), None, None)
        return int(removed)


def _signer(r: sqlite3.Row) -> RegisteredSigner:
    return RegisteredSigner(
        r["cert_sha256"], SignerRole(r["role"]), r["holder_name"], bytes(r["certificate"]),
        r["token_label"], r["token_serial"], r["module_path"], r["source"],
    )


def _signature(r: sqlite3.Row) -> StoredSignature:
    return StoredSignature(
        r["voucher_id"], SignerRole(r["role"]), r["cert_sha256"], r["signer_name"],
        r["signed_at"], r["content_hash"], bytes(r["cms"]),
    )
