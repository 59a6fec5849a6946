"""Store benchmarks with 100,000 vouchers, quiet and busy: search and sort p95, folder counts
after a change, autosave commit median.

Run: .venv/bin/python benchmarks/bench_store.py [N [FOLDER]]  (FOLDER: reuse an earlier seed)
Baseline in the same run: a bare ``SELECT ... LIMIT 200`` on the same file. Each figure is
measured twice: on the machine as it is, then beside another process burning a CPU (busy.py).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from busy import quiet_and_busy
from seed_100k import seed
from treasury_desktop.context import AppContext
from treasury_desktop.domain.voucher import BudgetLine, Payee
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.records import Folder, SortKey, VoucherQuery
from treasury_desktop.usecases.drafting import DraftingService

QUERIES = ["dien", "Điện lực", "tháng 10", "1.234", "văn phòng", "Hùng", "sửa chữa máy",
           "nuoc sach", "125", "internet"]


def p95(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def measure(ctx: AppContext) -> dict[str, str]:
    """One pass of every figure, in milliseconds."""
    repo, profile = ctx.repositories()
    conn = ctx.connect()
    base = []
    for _ in range(60):
        t = time.perf_counter()
        conn.execute("SELECT id, number, date, payee, total FROM vouchers LIMIT 200").fetchall()
        base.append(_ms(t))
    search, sort = [], []
    for text in QUERIES * 3:
        for folder in (Folder.ALL, Folder.SENT):
            t = time.perf_counter()
            repo.count_and_page(VoucherQuery(folder=folder, text=text), 0, 200)
            search.append(_ms(t))
    for key in SortKey:
        for desc in (True, False):
            for folder in Folder:
                for offset in (0, 5_000, 50_000):
                    t = time.perf_counter()
                    repo.page(VoucherQuery(folder=folder, sort=key, descending=desc), offset, 200)
                    sort.append(_ms(t))
    # A change, then the counts the window shows beside each folder (as after every change).
    drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, lambda: date(2026, 11, 20))
    counts = []
    for i in range(40):
        saved = drafting.save(drafting.new_draft().with_changes(
            payee=Payee(name=f"Công ty Điện lực {i}"),
            lines=(BudgetLine("Tiền điện", "6501", "422", "072", "13", 1000 + i),)))
        repo.set_status(saved.stored.voucher.id, VoucherState.SIGNED_CHIEF, actor=ctx.actor)
        t = time.perf_counter()
        repo.folder_counts()
        counts.append(_ms(t))
    draft = drafting.new_draft().with_changes(payee=Payee(name="Công ty Điện lực Thái Nguyên"))
    saves = []
    for i in range(200):
        draft = draft.with_changes(
            lines=(BudgetLine(f"Tiền điện {i}", "6501", "422", "072", "13", 1000 + i),)
        )
        t = time.perf_counter()
        drafting.save(draft)
        saves.append(_ms(t))
    return {
        "baseline bare SELECT 200 rows": f"median {statistics.median(base):.2f} ms,"
                                         f" p95 {p95(base):.2f} ms",
        "search (count + first page)": f"p95 {p95(search):.2f} ms  (target < 20 ms)",
        "sort page (any offset)": f"p95 {p95(sort):.2f} ms  (target < 20 ms)",
        "folder counts after a change": f"median {statistics.median(counts):.2f} ms,"
                                        f" p95 {p95(counts):.2f} ms",
        "autosave commit (synchronous=FULL)": f"median {statistics.median(saves):.2f} ms,"
                                              f" p95 {p95(saves):.2f} ms  (target median < 5 ms)",
    }


def main(count: int, reuse: Path | None = None) -> None:
    if reuse is not None:  # a folder an earlier run seeded (seeding 100,000 takes minutes)
        folder = reuse
    else:
        folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
        t0 = time.perf_counter()
        seed(folder, count)
        print(f"seeded {count} vouchers in {time.perf_counter() - t0:.1f} s in {folder}")
    ctx = AppContext(folder)
    try:
        measure(ctx)  # warm the page cache: both runs below read a warm file
        quiet, busy = quiet_and_busy(lambda: measure(ctx))
    finally:
        ctx.close()
    for name in quiet:
        print(f"{name:36} quiet {quiet[name]}")
        print(f"{'':36} busy  {busy[name]}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
         Path(sys.argv[2]) if len(sys.argv) > 2 else None)
