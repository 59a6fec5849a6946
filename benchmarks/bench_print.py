"""Printing: time to lay out and write PDFs, and their size. Run on demand, never as a test.

    .venv/bin/python benchmarks/bench_print.py
"""

from __future__ import annotations

import hashlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "printing"))

from print_documents import document, many_lines  # noqa: E402

from treasury_desktop.domain.canonical import canonical_bytes  # noqa: E402
from treasury_desktop.printing.job import PrintJob  # noqa: E402
from treasury_desktop.printing.render import render_pdf  # noqa: E402


def job(lines: int, number: int) -> PrintJob:
    doc = document("C2-02a/NS", lines=many_lines(lines), number=str(number))
    return PrintJob(doc, hashlib.sha256(canonical_bytes(doc)).hexdigest())


def measure(label: str, jobs: list[PrintJob], rounds: int = 5) -> None:
    times, size = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        size = len(render_pdf(jobs))
        times.append(time.perf_counter() - start)
    per = statistics.median(times) / len(jobs) * 1000
    print(f"{label:<40} median {statistics.median(times) * 1000:8.1f} ms  "
          f"({per:6.1f} ms/voucher)  {size / 1024:7.1f} KiB")


if __name__ == "__main__":
    measure("1 voucher, 1 line", [job(1, 1)])
    measure("1 voucher, 40 lines (2 pages)", [job(40, 1)])
    measure("50 vouchers, 3 lines each, one file", [job(3, i) for i in range(50)], rounds=3)
