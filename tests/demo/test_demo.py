"""``--demo``: seeded folders, two real SoftHSM2 tokens a newcomer can sign with, nothing left
behind. Run in a child process: SoftHSM2 reads its configuration once per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from treasury_desktop.signing.provision import softhsm_module

CHILD = Path(__file__).with_name("demo_child.py")


@pytest.mark.skipif(softhsm_module() is None, reason="SoftHSM2 is not installed")
def test_demo_has_every_folder_and_signs_with_demo_tokens() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOFTHSM2_CONF"}
    done = subprocess.run([sys.executable, str(CHILD)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert all(n > 0 for n in first["counts"].values()), first["counts"]
    assert first["counts"]["all"] >= 30
    assert first["labels"] == ["DEMO-CTK", "DEMO-KTT"]
    assert {s["holder"] for s in first["signers"]} == {"Nguyễn Thị Lan", "Trần Văn Minh"}
    assert len(first["signed"]) == 1
    # The demo desk trusts its demo CA; the demo certificates name no OCSP server, so their
    # status is "not checked"; the sandbox's TSA stamps the signature (CAdES-T).
    assert first["trust"] == "not_checked" and first["stamped"] is True
    # Every voucher the demo shows as signed by both carries two real, valid signatures.
    assert first["fully_signed"] >= 20 and first["verified"] == first["fully_signed"]
    # Vouchers on their way sit in the real outbox, and the demo's sandbox treasury accepts
    # them: the demo tokens' signatures pass the treasury's checks.
    assert first["queued"] >= 5
    assert first["left_queued"] == 0 and first["sent"] >= first["queued"]
    assert second == {"exists_after": False}
