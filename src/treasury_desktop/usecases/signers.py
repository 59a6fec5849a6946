"""The unit's signers (người ký): the treasury's register of signers kept in the unit profile.

The treasury keeps, per unit, which certificates sign as chief accountant and as account holder;
they change after elections and mergers. :func:`refresh_from_treasury` makes the registry's rows
of source ``treasury`` equal to that register (add the new, drop the gone) and leaves what the
desk recorded itself (``local`` from a token, ``demo``) alone. It runs as a status-sync chore and
from ``signers refresh``. Once a register was fetched, :func:`listing` says which of the desk's
own certificates the treasury does not know (it would refuse vouchers signed with them).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from treasury_desktop.api.connection import load_connection
from treasury_desktop.api.port import TreasuryFailure, TreasurySigner
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.i18n import ExpectedError, Message, text
from treasury_desktop.signing.certificates import CertificateInfo, sha256_hex, vn_date
from treasury_desktop.signing.token import TokenInfo
from treasury_desktop.store import server_cache
from treasury_desktop.store.db import transaction
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import RegisteredSigner, SignerRegistry

log = logging.getLogger(__name__)

TREASURY = "treasury"  # the source of rows fetched from the treasury's register
SignerKey = tuple[str, SignerRole]  # certificate fingerprint, role


class SignerSource(Protocol):
    """Whatever answers with the register (ClientPort, FakeTreasury: TreasuryPort.signers)."""

    def signers(self, unit: str) -> Sequence[TreasurySigner]:
        """The unit's register of signers."""
        ...


@dataclass(frozen=True)
class RegisterRefresh:
    """What one refresh changed; ``refused`` lists register entries whose fingerprint does not
    match their certificate (or whose certificate cannot be read): never recorded."""

    added: tuple[RegisteredSigner, ...]
    removed: tuple[RegisteredSigner, ...]
    updated: tuple[RegisteredSigner, ...]
    unchanged: int
    refused: tuple[str, ...]
    fetched_at: datetime

    @property
    def message(self) -> Message:
        """One sentence for the status bar or the command line."""
        return Message("signing.signers.refreshed", {
            "added": len(self.added), "removed": len(self.removed),
            "total": self.unchanged + len(self.added) + len(self.updated)})


@dataclass(frozen=True)
class RegisterSnapshot:
    """The register as last fetched: which (fingerprint, role) the treasury knows, and when."""

    entries: frozenset[SignerKey]
    fetched_at: datetime


@dataclass(frozen=True)
class ListedSigner:
    """A recorded signer as lists show it: its certificate read, and whether the treasury's
    register has it (None: no register fetched yet, so nobody knows)."""

    signer: RegisteredSigner
    info: CertificateInfo | None  # None when the stored certificate cannot be read
    in_register: bool | None
    checked_at: datetime | None = None  # when the register compared with was fetched

    @property
    def warning(self) -> Message | None:
        """«chưa đăng ký với Kho bạc» for a desk-recorded certificate the register lacks."""
        if self.in_register is not False or self.checked_at is None:
            return None
        role = f"role.{self.signer.role.value}"
        return Message("signing.signers.not_in_register", {
            "holder": self.signer.holder_name, "role_vi": text(role, "vi"),
            "role_en": text(role, "en"), "date": vn_date(self.checked_at.astimezone())})


@dataclass(frozen=True)
class SignerListing:
    """Every recorded signer, and the register snapshot they were compared with."""

    signers: tuple[ListedSigner, ...]
    register: RegisterSnapshot | None


def _now() -> datetime:
    return datetime.now(UTC)


def _cache_key(unit: str) -> str:
    return f"signers/{unit}"


def refresh_from_treasury(
    conn: sqlite3.Connection, source: SignerSource, unit: str, actor: Actor,
    clock: Callable[[], datetime] = _now,
) -> RegisterRefresh:
    """Make the ``treasury`` rows equal to the treasury's register of ``unit``.

    Raises :class:`TreasuryFailure` when the register cannot be fetched; nothing changes then.
    Each addition and removal is audit-logged by the registry.
    """
    entries = source.signers(unit)
    wanted: dict[SignerKey, RegisteredSigner] = {}
    refused: list[str] = []
    for entry in entries:
        signer = _recorded(entry)
        if signer is None:
            refused.append(entry.cert_sha256)
            log.warning("register entry %s does not match its certificate", entry.cert_sha256)
            continue
        wanted[(signer.cert_sha256, signer.role)] = signer
    registry = SignerRegistry(conn)
    have = {(s.cert_sha256, s.role): s for s in registry.all()}
    added, updated, unchanged = [], [], 0
    for key, signer in wanted.items():
        known = have.get(key)
        if known is None:
            registry.add(signer, actor=actor)
            added.append(signer)
        elif known.source == TREASURY and (known.holder_name, known.certificate) != (
                signer.holder_name, signer.certificate):
            registry.add(signer, actor=actor)  # the name on the register changed
            updated.append(signer)
        else:  # the same, or recorded by the desk itself (left as it is: confirmed)
            unchanged += 1
    removed = _remove_gone(registry, set(wanted), actor)
    now = clock()
    body = json.dumps(sorted([sha, role.value] for sha, role in wanted), ensure_ascii=False)
    with transaction(conn):
        server_cache.keep_in(conn, _cache_key(unit), body, None, now)
    return RegisterRefresh(tuple(added), tuple(removed), tuple(updated), unchanged,
                           tuple(refused), now)


def _recorded(entry: TreasurySigner) -> RegisteredSigner | None:
    """The row for a register entry, or None when its fingerprint is not its certificate's."""
    try:
        info = CertificateInfo.from_der(entry.certificate)
    except ValueError:
        return None
    if sha256_hex(entry.certificate) != entry.cert_sha256.lower():
        return None
    return RegisteredSigner(info.sha256, entry.role, entry.name or info.holder_name,
                            entry.certificate, source=TREASURY)


def _remove_gone(
    registry: SignerRegistry, wanted: set[SignerKey], actor: Actor
) -> list[RegisteredSigner]:
    removed: list[RegisteredSigner] = []
    for signer in registry.all():
        if signer.source == TREASURY and (signer.cert_sha256, signer.role) not in wanted:
            forget(registry, signer, actor)
            removed.append(signer)
    return removed


def forget(registry: SignerRegistry, signer: RegisteredSigner, actor: Actor) -> None:
    """Remove one (certificate, role) record, audit-logged; the certificate's record in the
    other role, if any, stays (``SignerRegistry.remove`` forgets every role: put it back)."""
    others = [s for s in registry.all()
              if s.cert_sha256 == signer.cert_sha256 and s.role is not signer.role]
    registry.remove(signer.cert_sha256, actor=actor)
    for other in others:
        registry.add(other, actor=actor)


def record_from_token(
    registry: SignerRegistry, token: TokenInfo, cert: CertificateInfo, role: SignerRole,
    actor: Actor, now: datetime,
) -> RegisteredSigner:
    """Record a token's certificate for ``role`` (source ``local``), audit-logged.

    Refused with the reason (ExpectedError) when the certificate cannot sign now, or (by the
    registry) when it is recorded for the other role: the chief accountant and the account
    holder are two people. A certificate the treasury registered keeps that source and gains
    the token's details.
    """
    refusal = cert.usable_at(now)
    if refusal is not None:
        raise ExpectedError(refusal.key, **refusal.params)
    same = next((s for s in registry.for_role(role) if s.cert_sha256 == cert.sha256), None)
    signer = RegisteredSigner(cert.sha256, role, same.holder_name if same else cert.holder_name,
                              cert.der, token.label, token.serial, token.module_path,
                              same.source if same else "local")
    registry.add(signer, actor=actor)
    return signer


def last_register(conn: sqlite3.Connection, unit: str) -> RegisterSnapshot | None:
    """The register as last fetched for ``unit``, or None when it never was."""
    kept = server_cache.cached(conn, _cache_key(unit))
    if kept is None:
        return None
    entries = frozenset((str(sha), SignerRole(role)) for sha, role in json.loads(kept.body))
    return RegisterSnapshot(entries, kept.fetched_at)


def desk_unit(conn: sqlite3.Connection) -> str | None:
    """The unit code this desk works for: the saved connection's, else the profile's."""
    profile = ProfileStore(conn)
    saved = load_connection(profile)
    if saved is not None:
        return saved.unit
    unit = profile.unit()
    return unit.code if unit is not None and unit.code else None


def listing(conn: sqlite3.Connection, unit: str | None = None) -> SignerListing:
    """Every recorded signer, compared with the last register of the desk's unit."""
    code = unit if unit is not None else desk_unit(conn)
    register = last_register(conn, code) if code else None
    shown = []
    for signer in SignerRegistry(conn).all():
        try:
            info: CertificateInfo | None = CertificateInfo.from_der(signer.certificate)
        except ValueError:
            info = None
        known = None if register is None else (signer.cert_sha256, signer.role) in register.entries
        shown.append(ListedSigner(signer, info, known,
                                  register.fetched_at if register else None))
    return SignerListing(tuple(shown), register)


def refresh_chore(
    source: SignerSource, unit: str, actor: Actor
) -> Callable[[sqlite3.Connection], None]:
    """A StatusSync chore: refresh the register after each catch-up; an unreachable treasury
    is logged and tried again at the next sync (the rows stay as they were)."""

    def chore(conn: sqlite3.Connection) -> None:
        try:
            refresh_from_treasury(conn, source, unit, actor)
        except TreasuryFailure as error:
            log.warning("register of signers not refreshed: %s", error.detail)

    return chore
