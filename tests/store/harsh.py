"""Real harsh places for the hardening tests: the command line in a child process, a
read-only folder, a full disk.

- A read-only folder is a read-only bind mount in a private mount namespace (``unshare``)
  when the tests run as root (root ignores permission bits), else ``chmod 0555``.
- A full disk is a tiny tmpfs in a private mount namespace as root, else a file-size limit
  (``RLIMIT_FSIZE``) on the child process.
"""

from __future__ import annotations

import json
import os
import resource
import shlex
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

EXAMPLE = json.loads(
    (Path(__file__).parents[1] / "data" / "design_example.json").read_text(encoding="utf-8")
)
COMMAND = [sys.executable, "-m", "treasury_desktop"]


def run(
    data_dir: Path, *args: str, env: Mapping[str, str] | None = None, timeout: float = 120,
    stdin: int | None = subprocess.DEVNULL,
) -> subprocess.CompletedProcess[str]:
    """``treasury-desktop ARGS`` in a child process over ``data_dir``."""
    environment = {**os.environ, "TREASURY_DESKTOP_HOME": str(data_dir), **(env or {})}
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, env=environment, timeout=timeout,
        stdin=stdin,
    )


def voucher_lines(count: int, start: int = 1) -> list[str]:
    """``count`` valid JSON lines (DESIGN.md's example, each with a new id and number)."""
    lines = []
    for n in range(start, start + count):
        document = dict(EXAMPLE, id=str(uuid.uuid4()), number=str(n))
        lines.append(json.dumps(document, ensure_ascii=False))
    return lines


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def can_mount() -> bool:
    """Whether this process may make private mount namespaces (root with unshare)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


def in_namespace(script: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace (its mounts vanish with it)."""
    return subprocess.run(
        ["unshare", "--mount", "sh", "-ec", script], capture_output=True, text=True,
        env={**os.environ, **env}, timeout=300,
    )


def shell_command(*args: str) -> str:
    return shlex.join([*COMMAND, *args])


@contextmanager
def read_only_folder(folder: Path) -> Iterator[str]:
    """A prefix for shell commands that sees ``folder`` read-only."""
    if can_mount():
        yield f"mount --bind {folder} {folder}; mount -o remount,bind,ro {folder}; "
        return
    mode = folder.stat().st_mode
    files = [(p, p.stat().st_mode) for p in folder.iterdir() if p.is_file()]
    for path, _ in files:
        path.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield ""
    finally:
        folder.chmod(mode)
        for path, file_mode in files:
            path.chmod(file_mode)


def run_script(prefix: str, body: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``prefix`` then ``body`` in a shell (a namespace when ``prefix`` mounts)."""
    env = {"TREASURY_DESKTOP_HOME": str(data_dir)}
    if prefix:
        return in_namespace(prefix + body, env)
    return subprocess.run(
        ["sh", "-ec", body], capture_output=True, text=True, env={**os.environ, **env},
        timeout=300,
    )


def limit_file_size(size: int) -> Any:
    """A ``preexec_fn`` that caps the size of any file the child writes."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply
