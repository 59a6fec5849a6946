"""Store benchmarks with 100,000 vouchers: search and sort p95, autosave commit median.

Run: .venv/bin/python benchmarks/bench_store.py [N]
Baseline in the same run: a bare ``SELECT ... LIMIT 200`` on the same file.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from seed_100k import seed
from treasury_desktop.context import AppContext
from treasury_desktop.domain.voucher import BudgetLine, Payee
from treasury_desktop.store.records import Folder, SortKey, VoucherQuery
from treasury_desktop.usecases.drafting import DraftingService

QUERIES = ["dien", "Điện lực", "tháng 10", "1.234", "văn phòng", "Hùng", "sửa chữa máy",
           "nuoc sach", "125", "internet"]


def p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def main(count: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
    t0 = time.perf_counter()
    seed(folder, count)
    print(f"seeded {count} vouchers in {time.perf_counter() - t0:.1f} s")
    ctx = AppContext(folder)
    repo, profile = ctx.repositories()
    conn = ctx.connect()

    base = []
    for _ in range(50):
        t = time.perf_counter()
        conn.execute("SELECT id, number, date, payee, total FROM vouchers LIMIT 200").fetchall()
        base.append((time.perf_counter() - t) * 1000)

    search, sort = [], []
    for text in QUERIES * 3:
        for folder_ in (Folder.ALL, Folder.SENT):
            t = time.perf_counter()
            q = VoucherQuery(folder=folder_, text=text)
            repo.count(q)
            repo.page(q, 0, 200)
            search.append((time.perf_counter() - t) * 1000)
    for key in SortKey:
        for desc in (True, False):
            for folder_ in Folder:
                for offset in (0, 5_000, 50_000):
                    t = time.perf_counter()
                    repo.page(VoucherQuery(folder=folder_, sort=key, descending=desc), offset, 200)
                    sort.append((time.perf_counter() - t) * 1000)
    counts = []
    for _ in range(20):
        t = time.perf_counter()
        repo.folder_counts()
        counts.append((time.perf_counter() - t) * 1000)

    drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, lambda: date(2026, 11, 20))
    draft = drafting.new_draft().with_changes(payee=Payee(name="Công ty Điện lực Thái Nguyên"))
    saves = []
    for i in range(200):
        draft = draft.with_changes(
            lines=(BudgetLine(f"Tiền điện {i}", "6501", "422", "072", "13", 1000 + i),)
        )
        t = time.perf_counter()
        drafting.save(draft)
        saves.append((time.perf_counter() - t) * 1000)

    print(f"baseline bare SELECT 200 rows: median {statistics.median(base):.2f} ms")
    print(f"search (count + first page):   p95 {p95(search):.2f} ms  (target < 20 ms)")
    print(f"sort page (any offset):        p95 {p95(sort):.2f} ms  (target < 20 ms)")
    print(f"folder counts:                 median {statistics.median(counts):.2f} ms")
    print(f"autosave commit (validate+write, synchronous=FULL): median "
          f"{statistics.median(saves):.2f} ms, p95 {p95(saves):.2f} ms  (target median < 5 ms)")
    ctx.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
