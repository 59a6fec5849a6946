"""``voucher import`` of N JSON lines (default 100,000) into a new data folder, as a user runs it.

Target: 100,000 lines in under 60 s (each line still whole or not at all: a savepoint per line
inside a transaction per 500 lines). Prints the wall time, lines per second, and checks that
every line was stored.

    .venv/bin/python benchmarks/bench_import.py [N]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

EXAMPLE = Path(__file__).parents[1] / "tests" / "data" / "design_example.json"


def main(count: int) -> None:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "lines.jsonl"
        with source.open("w", encoding="utf-8") as file:
            for n in range(1, count + 1):
                file.write(json.dumps(dict(document, id=str(uuid.uuid4()), number=str(n)),
                                      ensure_ascii=False) + "\n")
        env = {**os.environ, "TREASURY_DESKTOP_HOME": str(Path(tmp) / "home")}
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "treasury_desktop", "--lang", "en", "voucher", "import",
             str(source)],
            capture_output=True, text=True, env=env,
        )
        seconds = time.perf_counter() - start
        stored = len(done.stdout.split())
        print(f"import of {count:,} lines: {seconds:.1f} s ({count / seconds:,.0f} lines/s),"
              f" stored {stored:,}, exit {done.returncode}")
        print(done.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
