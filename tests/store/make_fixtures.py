"""Write tests/store/fixtures/schema_vN.db: a database as version N of the app left it.

Run once when a migration is added: ``python tests/store/make_fixtures.py N``. The files are
committed; test_migrations upgrades each to the latest version.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from treasury_desktop.store.db import AFTER_MIGRATION, _statements, migrations

HERE = Path(__file__).parent / "fixtures"

# Data written the way version N wrote it (raw SQL, so later code changes cannot alter it).
DATA: dict[int, list[str]] = {
    1: [
        "INSERT INTO vouchers (id, form, fiscal_year, number, number_key, date, status, payee,"
        " content, total, search_text, problems, document, content_hash, created_at, updated_at)"
        " VALUES ('0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60', 'C2-02a/NS', 2026, '125',"
        " '000000000125', '2026-11-20', 'draft', 'Công ty Điện lực Thái Nguyên',"
        " 'Tiền điện tháng 10/2026', 1234000,"
        " 'cong ty dien luc thai nguyen tien dien thang 10/2026 125 1234000', 0,"
        " '{\"id\":\"0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60\",\"form\":\"C2-02a/NS\","
        "\"fiscal_year\":2026,\"number\":\"125\",\"date\":\"2026-11-20\",\"unit\":{\"code\":"
        "\"1171277\",\"name\":\"Trường THCS Phú Lương\",\"account\":\"9523.2.1171277\","
        "\"treasury\":\"0011\"},\"payment_kind\":\"actual\",\"method\":\"transfer\","
        "\"program_code\":\"00000\",\"payee\":{\"name\":\"Công ty Điện lực Thái Nguyên\","
        "\"account\":\"102010000123456\",\"bank\":\"VietinBank Thái Nguyên\"},\"lines\":"
        "[{\"content\":\"Tiền điện tháng 10/2026\",\"ndkt\":\"6501\",\"chapter\":\"422\","
        "\"industry\":\"072\",\"source\":\"13\",\"amount\":1234000}],\"total\":1234000,"
        "\"amount_in_words\":\"Một triệu hai trăm ba mươi tư nghìn đồng chẵn\"}',"
        " 'fixture', '2026-11-20T08:00:00.000+00:00', '2026-11-20T08:00:00.000+00:00')",
        "INSERT INTO audit_log (at, os_user, role, voucher_id, action, detail, hash_before,"
        " hash_after) VALUES ('2026-11-20T08:00:00.000+00:00', 'lan', 'accountant',"
        " '0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60', 'create', '', NULL, 'fixture')",
        "INSERT INTO profile (key, value) VALUES ('unit', '{\"code\": \"1171277\", \"name\":"
        " \"Trường THCS Phú Lương\", \"account\": \"9523.2.1171277\", \"treasury\": \"0011\"}')",
    ],
    2: [],
    3: [],
    4: [],
    5: [],
    6: [],
    7: [],
    8: [],
    9: [],
}


def write_fixture(version: int) -> Path:
    """Build the database of schema ``version`` with the data of every version up to it."""
    HERE.mkdir(exist_ok=True)
    path = HERE / f"schema_v{version}.db"
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    for number, _name, sql in migrations()[:version]:
        for statement in _statements(sql):
            conn.execute(statement)
        after = AFTER_MIGRATION.get(number)  # the Python step that version ran after its SQL
        if after is not None:
            after(conn)
        conn.execute(f"PRAGMA user_version={number}")
        for statement in DATA.get(number, []):
            conn.execute(statement)
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return path


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(write_fixture(int(arg)))
