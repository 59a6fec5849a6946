"""Seed a data folder with N realistic vouchers quickly (for benchmarks, not tests)."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from pathlib import Path

from treasury_desktop.domain.canonical import voucher_hash
from treasury_desktop.domain.voucher import BudgetLine, Payee, Voucher, new_voucher_id, to_document
from treasury_desktop.paths import database_path
from treasury_desktop.store.audit_chain import entry_hash, last_hash
from treasury_desktop.store.db import connect
from treasury_desktop.store.search import fold, number_key

PAYEES = [
    "Công ty Điện lực Thái Nguyên", "Công ty CP Nước sạch Thái Nguyên", "VNPT Thái Nguyên",
    "Nhà sách Đông Á", "Công ty TNHH Tin học Hưng Phát", "Bảo hiểm xã hội huyện Phú Lương",
    "Hợp tác xã Vận tải Đồng Tâm", "Công ty CP Thiết bị Giáo dục Hà Nội", "Trần Văn Hùng",
    "Nguyễn Thị Mai",
]
CONTENTS = [
    ("Tiền điện tháng {m}", "6501"), ("Tiền nước tháng {m}", "6502"),
    ("Cước Internet tháng {m}", "6601"), ("Mua văn phòng phẩm", "6551"),
    ("Sửa chữa máy tính", "6912"), ("Công tác phí", "6702"), ("Phụ cấp chức vụ", "6101"),
]
STATES = ["draft", "signed_chief", "signed_holder", "queued", "sent", "received", "checking",
          "paid", "paid", "paid", "paid", "rejected", "returned"]


def seed(folder: Path, count: int, seed: int = 1) -> Path:
    """Write ``count`` vouchers straight into the store's tables, each with its chained
    "create" entry in the audit log (the app refuses a voucher the log never recorded)."""
    rng = random.Random(seed)
    path = database_path(folder)
    connect(path).close()
    conn = sqlite3.connect(path)
    rows = []
    audit = []
    seq, previous = last_hash(conn)
    for i in range(count):
        content, ndkt = rng.choice(CONTENTS)
        month = rng.randint(1, 12)
        payee = rng.choice(PAYEES)
        amount = rng.randrange(50_000, 90_000_000, 1000)
        v = Voucher(
            id=new_voucher_id(), number=str(i + 1),
            date=f"2026-{month:02d}-{rng.randint(1, 28):02d}",
            payee=Payee(name=payee, account="102010000123456", bank="VietinBank"),
            lines=(BudgetLine(content.format(m=month), ndkt, "422", "072", "13", amount),),
        )
        line = v.lines[0].content
        rows.append((
            v.id, v.form, v.fiscal_year, v.number, number_key(v.number), v.date,
            rng.choice(STATES), payee, line, amount,
            fold(f"{payee} {line} {v.number} {amount}"), 0,
            json.dumps(to_document(v), ensure_ascii=False), voucher_hash(v),
            "2026-01-01T00:00:00", "2026-01-01T00:00:00",
        ))
        seq += 1
        fields = (seq, "2026-01-01T00:00:00", "seed", "accountant", v.id, "create", "", None,
                  voucher_hash(v))
        own = entry_hash(previous, fields)
        audit.append((*fields, previous, own))
        previous = own
    conn.executemany(
        "INSERT INTO vouchers (id, form, fiscal_year, number, number_key, date, status, payee,"
        " content, total, search_text, problems, document, content_hash, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows,
    )
    conn.executemany(
        "INSERT INTO audit_log (seq, at, os_user, role, voucher_id, action, detail, hash_before,"
        " hash_after, prev_hash, entry_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", audit,
    )
    conn.commit()
    conn.execute("PRAGMA optimize")
    conn.close()
    return path


if __name__ == "__main__":
    print(seed(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000))
