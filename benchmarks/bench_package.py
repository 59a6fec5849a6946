"""The packaged app against the venv: whole-process start, and the package's sizes (on demand).

Run after ``scripts/package.sh``:  .venv/bin/python benchmarks/bench_package.py [RUNS [FOLDER]]
(FOLDER: another one-folder build to compare, e.g. one made with other PyInstaller options)

Each run starts a fresh process, ``dist/treasury-desktop/treasury-desktop`` (no venv, no source
tree) alternated with ``.venv/bin/treasury-desktop``, for two things:

* ``--screenshot``: open the main window on a seeded data folder (2,000 vouchers), draw it and
  save it: start to a drawn window;
* ``--version``: the interpreter, the bootloader and the command line, no Qt: where the
  packaged start differs from the venv's before any window.

Prints medians of RUNS (default 5) and the ratios; asserts nothing. Sizes: the unpacked folder
as ``du -sb`` counts it (every file once, a symbolic link as a link: PyInstaller links
``_internal/libX.so`` to the copy inside its package) and the .deb's bytes.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else ROOT / "dist" / "treasury-desktop"
PACKAGED = FOLDER / "treasury-desktop"
VENV = ROOT / ".venv" / "bin" / "treasury-desktop"
SEED = 2000


def seed(folder: Path) -> None:
    """A data folder with SEED drafts (through the app's own command line)."""
    doc = json.loads((ROOT / "tests" / "data" / "design_example.json").read_text("utf-8"))
    doc.pop("id", None)
    lines = [json.dumps(dict(doc, number=str(i + 1)), ensure_ascii=False) for i in range(SEED)]
    source = folder / "seed.jsonl"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    env = {**os.environ, "TREASURY_DESKTOP_HOME": str(folder / "data")}
    subprocess.run([str(VENV), "voucher", "import", str(source)], env=env, check=True,
                   capture_output=True)


def timed(command: Path, args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(command), *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def alternated(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median seconds of the packaged app and of the venv, runs alternated (one warm-up each)."""
    timed(PACKAGED, args, env), timed(VENV, args, env)  # warm the page cache
    packaged, venv = [], []
    for _ in range(runs):
        packaged.append(timed(PACKAGED, args, env))
        venv.append(timed(VENV, args, env))
    return statistics.median(packaged), statistics.median(venv)


def du_bytes(path: Path) -> int:
    """``du -sb``: apparent size, each file once, links as links."""
    out = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def main(runs: int) -> None:
    if not PACKAGED.exists():
        sys.exit("build first: scripts/package.sh")
    with tempfile.TemporaryDirectory() as raw:
        folder = Path(raw)
        seed(folder)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(folder), "QT_QPA_PLATFORM": "offscreen",
               "TREASURY_DESKTOP_HOME": str(folder / "data"), "LANG": "C.UTF-8",
               "TREASURY_DESKTOP_CONFIG": str(folder / "config.json")}
        rows = [
            ("start to a drawn window", ["--screenshot", str(folder / "shot.png")]),
            ("--version (no Qt)", ["--version"]),
        ]
        print(f"{SEED} vouchers, medians of {runs} alternated runs:")
        for title, args in rows:
            p, v = alternated(args, env, runs)
            print(f"  {title:24s} packaged {p * 1000:6.0f} ms  venv {v * 1000:6.0f} ms"
                  f"  ratio {p / v:.2f}")
    size = du_bytes(FOLDER)
    print(f"unpacked folder (du -sb) {size:,} bytes = {size / 1e6:.1f} MB = {size / 2**20:.1f} MiB")
    for deb in sorted(FOLDER.parent.glob("*.deb")):
        n = deb.stat().st_size
        print(f"{deb.name} {n:,} bytes = {n / 1e6:.1f} MB = {n / 2**20:.1f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
