"""``package export|import|list|desk`` as a support person runs them: child processes over two
data folders, the manifest signed with a real SoftHSM2 token (PIN from TREASURY_PIN)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

from two_desks import CHIEF, open_desk


def run(data_dir: Path, *args: str, pin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TREASURY_DESKTOP_HOME": str(data_dir)}
    env.pop("TREASURY_PIN", None)
    if pin is not None:
        env["TREASURY_PIN"] = pin
    return subprocess.run(
        [sys.executable, "-m", "treasury_desktop", *args], capture_output=True, text=True,
        env=env, timeout=120, stdin=subprocess.DEVNULL,
    )


def test_export_signed_then_import_on_another_desk(
    tmp_path: Path, softhsm: Any, softhsm_module_loaded: Any, example_document: dict[str, Any],
) -> None:
    a = open_desk("A", tmp_path, softhsm, softhsm_module_loaded)
    b = open_desk("B", tmp_path, softhsm, softhsm_module_loaded)
    ids = a.drafts(example_document, 2)
    a.sign(ids, CHIEF)
    a.ctx.close()
    b.ctx.close()
    home_a, home_b = a.ctx.data_dir, b.ctx.data_dir
    module = str(softhsm.config.module_path)

    no_role = run(home_a, "package", "export", *ids, "--out", str(tmp_path), "--sign")
    assert no_role.returncode == 2 and "--role" in no_role.stderr
    out = tmp_path / "goi.tdpkg"
    exported = run(home_a, "package", "export", *ids, "--out", str(out), "--sign", "--role",
                   "chief-accountant", "--module", module, "--token", "KTT-RSA", "--json",
                   pin=softhsm.chief.user_pin)
    assert exported.returncode == 0, exported.stderr
    summary = json.loads(exported.stdout)
    assert summary["signed"] and summary["exported"] == ids and summary["path"] == str(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert softhsm.chief.user_pin not in exported.stdout + exported.stderr

    imported = run(home_b, "package", "import", str(out), "--json")
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert report["desk"]["name"] == "Máy A"
    assert report["sender"] == {"holder": "Nguyễn Thị Lan", "role": "chief-accountant",
                                "registered": True}
    assert [i["outcome"] for i in report["items"]] == ["imported", "imported"]

    again = run(home_b, "package", "import", str(out))
    assert again.returncode == 0 and "đã được nhận trước đây" in again.stdout
    listed = run(home_b, "package", "list")
    assert "Máy A" in listed.stdout and "Cần chữ ký Chủ tài khoản" in listed.stdout

    broken = tmp_path / "broken.tdpkg"
    broken.write_bytes(b"PK\x03\x04 this is not a package")
    refused = run(home_b, "--lang", "en", "package", "import", str(broken))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "damaged or not a package" in refused.stderr

    named = run(home_b, "package", "desk", "--name", "Máy Hiệu trưởng")
    assert named.returncode == 0 and "Máy Hiệu trưởng" in named.stdout
    assert "Máy Hiệu trưởng" in run(home_b, "package", "desk").stdout
