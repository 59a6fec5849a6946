"""Cold start as a whole process: ``treasury-desktop --screenshot FILE`` against a bare PySide6
process that shows a table of as many rows and saves its own screenshot.

Both are started fresh (new interpreter, offscreen Qt), alternated in the same run, on data
folders of 20,000 and 100,000 vouchers; medians of RUNS each. Also the app's peak resident
memory (from the kernel's rusage of the child). ``--busy`` runs the same with another process
burning a CPU beside it (these machines are shared; so are the accountants' PCs).

    .venv/bin/python benchmarks/bench_cold_start.py [--busy] [--runs N] [--sizes 20000,100000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

BARE = """
import sys
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView

ROWS = int(sys.argv[1])


class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else ROWS

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 6

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{index.row()}:{index.column()}"
        return None


app = QApplication(sys.argv[:1])
view = QTableView()
model = Model()
view.setModel(model)
view.resize(1400, 860)
view.show()
app.processEvents()
view.grab().save(sys.argv[2], "PNG")
"""


def burn() -> None:
    """Keep one CPU busy until killed."""
    x = 0
    while True:
        x = (x * 31 + 7) % 1_000_003


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock seconds of the whole process and its peak RSS in MB."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its .pyc files
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    error = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{command[:3]} failed ({proc.returncode}): {error[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def app_command(folder: Path, shot: Path) -> list[str]:
    exe = Path(sys.executable).with_name("treasury-desktop")
    return [str(exe), "--data-dir", str(folder), "--screenshot", str(shot)]


def run(sizes: list[int], runs: int, busy: bool) -> None:
    burner = None
    if busy:
        burner = multiprocessing.Process(target=burn, daemon=True)
        burner.start()
    work = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    bare_script = work / "bare.py"
    bare_script.write_text(BARE, encoding="utf-8")
    try:
        for count in sizes:
            folder = work / f"data-{count}"
            folder.mkdir()
            # Seeded in another process: Linux carries a process's peak RSS across fork and
            # exec, so a child of a big parent would report the parent's peak as its own.
            subprocess.run([sys.executable, str(HERE / "seed_100k.py"), str(folder), str(count)],
                           check=True, stdout=subprocess.DEVNULL)
            shot = work / "shot.png"
            timed(app_command(folder, shot))  # warm the page cache and .pyc files once
            timed([sys.executable, str(bare_script), str(count), str(shot)])
            app_s, bare_s, rss = [], [], []
            for _ in range(runs):  # alternated: both see the same machine
                seconds, peak = timed(app_command(folder, shot))
                app_s.append(seconds)
                rss.append(peak)
                bare_s.append(timed([sys.executable, str(bare_script), str(count), str(shot)])[0])
            app_m, bare_m = statistics.median(app_s), statistics.median(bare_s)
            print(f"{count:>7,} vouchers{' (busy)' if busy else ''}: app {app_m * 1000:.0f} ms, "
                  f"bare {count:,}-row QTableView {bare_m * 1000:.0f} ms, ratio "
                  f"{app_m / bare_m:.2f}x (target <= 1.5x; medians of {runs}); "
                  f"app peak RSS {statistics.median(rss):.0f} MB (target < 150 MB)", flush=True)
    finally:
        if burner is not None:
            burner.kill()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", action="store_true", help="another process burns a CPU beside")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="20000,100000")
    args = parser.parse_args()
    run([int(s) for s in args.sizes.split(",")], max(args.runs, 4), args.busy)


if __name__ == "__main__":
    main()
