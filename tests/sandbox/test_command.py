"""``treasury-desktop sandbox`` as users start it: a child process, ready fast, stopped cleanly."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding


def _start(args: list[str], home: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, TREASURY_DESKTOP_HOME=str(home), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "treasury_desktop", "sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_ready(proc: subprocess.Popen[str], limit: float = 10.0) -> str:
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], limit)
    assert ready, "the sandbox printed nothing"
    line = proc.stdout.readline().strip()
    assert line.startswith("listening on http://127.0.0.1:"), line
    return line.removeprefix("listening on ")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_ready_fast_and_stops_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    started = time.monotonic()
    with _start(
        [
            "--port",
            "0",
            "--db",
            str(tmp_path / "s.sqlite3"),
            "--seed",
            "3",
            "--speed",
            "60",
            "--faults",
            "latency=10ms",
        ],
        tmp_path,
    ) as proc:
        url = _wait_ready(proc)
        ready_after = time.monotonic() - started
        with httpx.Client(base_url=url) as http:
            assert http.get("/v1/health").json()["status"] == "ok"
            assert (
                http.get(
                    "/v1/units/1171277/signers", headers={"Authorization": "Bearer demo-1171277"}
                ).status_code
                == 200
            )
        proc.send_signal(stop)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    # Readiness speed is measured in the README's benchmarks; here: it starts, not how fast.
    assert ready_after < 15.0, f"ready after {ready_after:.2f} s"
    assert (tmp_path / "s.sqlite3").exists()


def test_config_file_with_certificate_files(tmp_path: Path, world) -> None:
    (tmp_path / "ca.pem").write_bytes(
        x509.load_der_x509_certificate(world.ca.cert_der).public_bytes(Encoding.PEM)
    )
    (tmp_path / "ktt.der").write_bytes(world.chief.der)
    config = {
        "trusted_cas": [{"file": "ca.pem"}],
        "units": [
            {
                "code": "2000001",
                "name": "Trạm Y tế xã",
                "account": "9523.2.2000001",
                "treasury": "0012",
                "tokens": ["t-2000001"],
                "signers": [
                    {
                        "role": "chief-accountant",
                        "certificate": {"file": "ktt.der"},
                        "name": "Nguyễn Thị Lan",
                    }
                ],
                "estimates": [
                    {
                        "fiscal_year": 2026,
                        "chapter": "422",
                        "industry": "072",
                        "source": "13",
                        "amount": 1000,
                    }
                ],
            }
        ],
    }
    path = tmp_path / "kbnn.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with _start(["--config", str(path)], tmp_path) as proc:
        url = _wait_ready(proc)
        with httpx.Client(base_url=url, headers={"Authorization": "Bearer t-2000001"}) as http:
            signers = http.get("/v1/units/2000001/signers").json()["signers"]
            balances = http.get("/v1/units/2000001/balances?year=2026").json()
        proc.terminate()
        proc.communicate(timeout=10)
    assert [(s["role"], s["name"]) for s in signers] == [("chief-accountant", "Nguyễn Thị Lan")]
    assert balances["items"][0]["remaining"] == 1000


def test_bad_config_and_bad_faults(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("units:\n  - code: 1171277\n", encoding="utf-8")
    env = dict(os.environ, TREASURY_DESKTOP_HOME=str(tmp_path))
    run = [sys.executable, "-m", "treasury_desktop", "sandbox"]
    done = subprocess.run(
        [*run, "--config", str(bad)], capture_output=True, text=True, env=env, timeout=20
    )
    assert done.returncode == 1
    assert "leading zeros" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run(
        [*run, "--faults", "latency=soon"], capture_output=True, text=True, env=env, timeout=20
    )
    assert done.returncode == 2 and "not a duration" in done.stderr
