"""Timestamps for signatures made offline, added before the vouchers are queued.

A signature made while the time-stamping server was out of reach is CAdES-BES; once the desk
is online again, each SignerInfo without a signature timestamp gets one (CAdES-T) before the
CMS is captured for delivery. Only unsigned attributes change, so every signature stays valid.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.signing.revocation import Unreachable
from treasury_desktop.signing.timestamp import Timestamper, add_timestamps, unstamped_count
from treasury_desktop.store.audit import append_audit
from treasury_desktop.store.db import transaction
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.records import Actor
from treasury_desktop.store.signatures import SignatureStore
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.usecases.trust import open_desk_trust


@dataclass(frozen=True)
class StampReport:
    """Which vouchers got their missing timestamps, and which still lack them (offline)."""

    stamped: tuple[str, ...] = ()
    still_unstamped: tuple[str, ...] = ()


def stamp_signed(
    conn: sqlite3.Connection, timestamper: Timestamper, voucher_ids: Iterable[str], actor: Actor
) -> StampReport:
    """Add the missing signature timestamps of fully signed vouchers (network first, then one
    short transaction per voucher). Stops asking at the first unanswered request."""
    repo, store = SqliteVoucherRepository(conn), SignatureStore(conn)
    stamped: list[str] = []
    waiting: list[str] = []
    online = True
    for voucher_id in dict.fromkeys(voucher_ids):
        stored = repo.get(voucher_id)
        cms_der = store.latest_cms(voucher_id)
        if stored is None or stored.status is not VoucherState.SIGNED_HOLDER or cms_der is None:
            continue
        if unstamped_count(cms_der) == 0:
            continue
        if not online:
            waiting.append(voucher_id)
            continue
        try:
            new = add_timestamps(cms_der, timestamper)
        except Unreachable:
            online = False
            waiting.append(voucher_id)
            continue
        with transaction(conn) as tx:
            if SignatureStore.replace_cms_in(tx, voucher_id, SignerRole.ACCOUNT_HOLDER,
                                             cms_der, new):
                append_audit(tx, actor, voucher_id, "timestamp", "CAdES-T", None, None)
                stamped.append(voucher_id)
    return StampReport(tuple(stamped), tuple(waiting))


def stamp_before_queue(
    conn: sqlite3.Connection, data_dir: Path, voucher_ids: Iterable[str], actor: Actor
) -> StampReport:
    """:func:`stamp_signed` with the desk's TSA (nothing to do when none is set)."""
    trust = open_desk_trust(data_dir, ProfileStore(conn))
    with closing(trust):
        if trust.timestamper is None:
            return StampReport()
        return stamp_signed(conn, trust.timestamper, voucher_ids, actor)
