"""The PyInstaller spec, the Windows installer script and the version agree (one version)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from treasury_desktop.version import app_version

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "treasury-desktop.spec"
ISS = ROOT / "packaging" / "windows" / "treasury-desktop.iss"
DESKTOP = ROOT / "packaging" / "linux" / "treasury-desktop.desktop"


def _pyproject_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"])


def _iss_define(name: str) -> str:
    found = re.search(rf'(?m)^#define {name} "([^"]*)"', ISS.read_text("utf-8"))
    assert found, f"{ISS.name} defines no {name}"
    return found.group(1)


def test_the_version_comes_from_pyproject() -> None:
    assert app_version() == _pyproject_version()


def test_version_flag_prints_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "treasury_desktop", "--version"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"treasury-desktop {_pyproject_version()}"


def test_the_installer_script_names_the_same_version_and_files_as_the_spec() -> None:
    spec = SPEC.read_text("utf-8")
    name = re.search(r'(?m)^NAME = "([^"]+)"', spec)
    assert name, "the spec declares NAME"
    assert _iss_define("AppVersion") == _pyproject_version()
    assert _iss_define("AppExe") == f"{name.group(1)}.exe"
    assert _iss_define("DistDir").replace("\\", "/").endswith(f"dist/{name.group(1)}")
    iss = ISS.read_text("utf-8")
    assert "PrivilegesRequired=lowest" in iss, "a per-user install needs no administrator"
    # The one-folder layout PyInstaller writes: the executable and its _internal folder.
    assert "exclude_binaries=True" in spec and "COLLECT(" in spec
    assert '{#DistDir}\\{#AppExe}' in iss and '{#DistDir}\\_internal\\*' in iss
    assert 'Exec=treasury-desktop' in DESKTOP.read_text("utf-8")


def test_the_desktop_entry_is_valid() -> None:
    done = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
