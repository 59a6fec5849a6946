"""The packaged app against the venv: whole-process start to a drawn window (on demand).

Run after ``scripts/package.sh``:  .venv/bin/python benchmarks/bench_package.py [RUNS]

Each run starts a fresh process that opens the main window on a seeded data folder
(2,000 vouchers), draws it and saves a screenshot: ``dist/treasury-desktop/treasury-desktop
--screenshot`` (no venv, no source tree) alternated with ``.venv/bin/treasury-desktop
--screenshot``. Prints medians and the ratio; asserts nothing. Also prints the sizes of the
unpacked folder and the .deb.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ROOT / "dist" / "treasury-desktop" / "treasury-desktop"
VENV = ROOT / ".venv" / "bin" / "treasury-desktop"
SEED = 2000


def seed(folder: Path) -> None:
    """A data folder with SEED drafts (through the app's own command line)."""
    lines = []
    base = (ROOT / "tests" / "data" / "design_example.json").read_text("utf-8")
    import json

    doc = json.loads(base)
    for i in range(SEED):
        item = dict(doc, number=str(i + 1))
        item.pop("id", None)
        lines.append(json.dumps(item, ensure_ascii=False))
    source = folder / "seed.jsonl"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    env = {**os.environ, "TREASURY_DESKTOP_HOME": str(folder / "data")}
    subprocess.run([str(VENV), "voucher", "import", str(source)], env=env, check=True,
                   capture_output=True)


def timed(command: Path, folder: Path, env: dict[str, str]) -> float:
    shot = folder / "shot.png"
    started = time.perf_counter()
    subprocess.run([str(command), "--screenshot", str(shot)], env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def main(runs: int) -> None:
    if not PACKAGED.exists():
        sys.exit("build first: scripts/package.sh")
    with tempfile.TemporaryDirectory() as raw:
        folder = Path(raw)
        seed(folder)
        env = {"PATH": "/usr/bin:/bin", "HOME": str(folder), "QT_QPA_PLATFORM": "offscreen",
               "TREASURY_DESKTOP_HOME": str(folder / "data"), "LANG": "C.UTF-8",
               "TREASURY_DESKTOP_CONFIG": str(folder / "config.json")}
        timed(PACKAGED, folder, env), timed(VENV, folder, env)  # warm the page cache
        packaged, venv = [], []
        for _ in range(runs):
            packaged.append(timed(PACKAGED, folder, env))
            venv.append(timed(VENV, folder, env))
    p, v = statistics.median(packaged), statistics.median(venv)
    print(f"start to a drawn window, {SEED} vouchers, median of {runs}:")
    print(f"  packaged (dist/)  {p * 1000:7.0f} ms")
    print(f"  venv              {v * 1000:7.0f} ms")
    print(f"  ratio packaged/venv {p / v:.2f}")
    folder_mb = sum(f.stat().st_size for f in PACKAGED.parent.rglob("*") if f.is_file()) / 1e6
    print(f"unpacked folder {folder_mb:.1f} MB")
    for deb in (ROOT / "dist").glob("*.deb"):
        print(f"{deb.name} {deb.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
