"""Fully signed vouchers in a desk database, made fast (raw SQL, one transaction).

``sign`` turns the signed bytes into a CMS; the default is a placeholder for the fake treasury.
Imported by tests/outbox, tests/sync, tests/chaos and benchmarks/.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from treasury_desktop.domain.canonical import canonical_bytes, content_hash
from treasury_desktop.domain.voucher import from_document, new_voucher_id, to_document
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.audit import append_audit
from treasury_desktop.store.db import transaction
from treasury_desktop.store.records import Actor

ACTOR = Actor("lan", "account-holder")

DOCUMENT: dict[str, Any] = {
    "form": "C2-02a/NS",
    "fiscal_year": 2026,
    "date": "2026-11-20",
    "unit": {"code": "1171277", "name": "Trường THCS Phú Lương", "account": "9523.2.1171277",
             "treasury": "0011"},
    "payment_kind": "actual",
    "method": "transfer",
    "program_code": "00000",
    "payee": {"name": "Công ty Điện lực Thái Nguyên", "account": "102010000123456",
              "bank": "VietinBank Thái Nguyên"},
    "lines": [{"content": "Tiền điện tháng 10/2026", "ndkt": "6501", "chapter": "422",
               "industry": "072", "source": "13", "amount": 1234000}],
    "total": 1234000,
    "amount_in_words": "Một triệu hai trăm ba mươi tư nghìn đồng chẵn",
}
NOW = "2026-11-20T08:00:00.000+00:00"


def placeholder_cms(data: bytes) -> bytes:
    """Not a CMS: enough for the fake treasury."""
    return b"CMS:" + content_hash(data).encode()


def document(number: int, **changes: Any) -> dict[str, Any]:
    """A valid C2-02a/NS with a new id."""
    doc = copy.deepcopy(DOCUMENT)
    doc.update(id=new_voucher_id(), number=str(number), **changes)
    return doc


def seed_signed(
    conn: sqlite3.Connection, count: int, sign: Callable[[bytes], bytes] = placeholder_cms,
    status: VoucherState = VoucherState.SIGNED_HOLDER, start: int = 1,
) -> list[str]:
    """Insert ``count`` vouchers signed by both signers; returns their ids."""
    ids = []
    with transaction(conn):
        for n in range(start, start + count):
            voucher = from_document(document(n))
            doc = to_document(voucher)
            data = canonical_bytes(doc)
            digest = content_hash(data)
            conn.execute(
                "INSERT INTO vouchers (id, form, fiscal_year, number, number_key, date, status,"
                " payee, content, total, search_text, problems, document, content_hash,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?)",
                (voucher.id, voucher.form, voucher.fiscal_year, voucher.number,
                 voucher.number.zfill(12), voucher.date, status.value, voucher.payee.name,
                 voucher.lines[0].content, voucher.total, "", json.dumps(doc, ensure_ascii=False),
                 digest, NOW, NOW),
            )
            # Every voucher's content is on the audit chain (store/audit_chain.py checks it).
            append_audit(conn, ACTOR, voucher.id, "create", "seeded", None, digest)
            if status is VoucherState.SIGNED_HOLDER:
                conn.execute(
                    "INSERT INTO signatures (voucher_id, role, cert_sha256, signed_at,"
                    " content_hash, cms) VALUES (?, 'account-holder', 'test', ?, ?, ?)",
                    (voucher.id, NOW, digest, sign(data)),
                )
            ids.append(voucher.id)
    return ids


def trust_test_signatures(
    conn: sqlite3.Connection, document: bytes, cms: bytes, number: str, now: datetime
) -> None:
    """For tests of delivery only: their placeholder or unregistered signatures are taken as
    they are (the desk's own verification before queuing is tested in test_submit.py)."""
