"""``tokens``, ``signers``, ``sign`` and ``export`` as a support person runs them, over real
SoftHSM2 tokens (SOFTHSM2_CONF is inherited by the child processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def run(data_dir: Path, *args: str, pin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TREASURY_DESKTOP_HOME": str(data_dir)}
    env.pop("TREASURY_PIN", None)
    if pin is not None:
        env["TREASURY_PIN"] = pin
    return subprocess.run(
        [sys.executable, "-m", "treasury_desktop", *args], capture_output=True, text=True,
        env=env, timeout=120, stdin=subprocess.DEVNULL,
    )


def test_tokens_lists_tokens_and_certificates(data_dir: Path, softhsm: Any) -> None:
    module = str(softhsm.config.module_path)
    listed = run(data_dir, "tokens", "--module", module, "--json")
    assert listed.returncode == 0, listed.stderr
    tokens = {t["label"]: t for t in json.loads(listed.stdout)["tokens"]}
    assert {"KTT-RSA", "CTK-EC"} <= set(tokens)
    [cert] = tokens["KTT-RSA"]["certificates"]
    assert cert["holder"] == "Nguyễn Thị Lan" and cert["key_type"] == "RSA-2048"
    assert cert["sha256"] == softhsm.chief.key.cert_sha256 and cert["usable"]
    dated = tokens["DATED"]["certificates"]
    assert any(not c["usable"] and "hết hạn" in c["reason"] for c in dated)
    human = run(data_dir, "tokens", "--module", module)
    assert "Trần Văn Minh" in human.stdout and "EC P-256" in human.stdout


def test_missing_module_is_a_plain_error(data_dir: Path, tmp_path: Path) -> None:
    result = run(data_dir, "tokens", "--module", str(tmp_path / "vnpt-ca_csp11.so"))
    assert result.returncode == 1
    assert "vnpt-ca_csp11.so" in result.stderr and "Traceback" not in result.stderr


def test_register_sign_in_order_and_export(
    data_dir: Path, softhsm: Any, example_file: Path, tmp_path: Path,
    openssl_verify: Callable[..., int],
) -> None:
    module = str(softhsm.config.module_path)
    voucher_id = run(data_dir, "voucher", "new", "--json", str(example_file)).stdout.strip()
    untrusted = run(data_dir, "signers", "add", "--role", "chief-accountant", "--module", module,
                    "--token", "KTT-RSA")
    assert untrusted.returncode == 0, untrusted.stderr
    refused = run(data_dir, "sign", voucher_id, "--role", "chief-accountant", "--module",
                  module, "--token", "KTT-RSA", pin=softhsm.chief.user_pin)
    assert refused.returncode == 1 and "chứng thư gốc tin cậy" in refused.stderr
    [listed] = run(data_dir, "signers", "list", "--json").stdout.splitlines()
    assert run(data_dir, "signers", "remove", json.loads(listed)["sha256"]).returncode == 0
    # the unit trusts its CA (the test CA): now the chain is known
    assert run(data_dir, "trust", "add", str(softhsm.ca.cert_path)).returncode == 0
    too_early = run(data_dir, "sign", voucher_id, "--role", "chief-accountant", "--module",
                    module, "--token", "KTT-RSA", pin=softhsm.chief.user_pin)
    assert too_early.returncode == 1 and "chưa được đăng ký" in too_early.stderr

    for role, label in (("chief-accountant", "KTT-RSA"), ("account-holder", "CTK-EC")):
        added = run(data_dir, "signers", "add", "--role", role, "--module", module,
                    "--token", label)
        assert added.returncode == 0, added.stderr
    signers = [json.loads(line) for line in run(data_dir, "signers", "list", "--json")
               .stdout.splitlines()]
    assert {s["role"] for s in signers} == {"chief-accountant", "account-holder"}

    holder_first = run(data_dir, "sign", voucher_id, "--role", "account-holder", "--module",
                       module, "--token", "CTK-EC", pin=softhsm.holder.user_pin)
    assert holder_first.returncode == 1 and "Kế toán trưởng phải ký trước" in holder_first.stderr

    no_pin = run(data_dir, "sign", voucher_id, "--role", "chief-accountant", "--module",
                 module, "--token", "KTT-RSA")
    assert no_pin.returncode == 1 and "TREASURY_PIN" in no_pin.stderr

    for role, label, pin in (("chief-accountant", "KTT-RSA", softhsm.chief.user_pin),
                             ("account-holder", "CTK-EC", softhsm.holder.user_pin)):
        signed = run(data_dir, "sign", voucher_id, "--role", role, "--module", module,
                     "--token", label, pin=pin)
        assert signed.returncode == 0, signed.stderr
        assert signed.stdout.strip() == voucher_id
        assert pin not in signed.stdout + signed.stderr
        # the test CA's certificates name no OCSP/CRL server: warned, not refused
        assert "Không kiểm tra được tình trạng thu hồi" in signed.stderr

    out = tmp_path / "out"
    exported = run(data_dir, "export", voucher_id, "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    content = (out / f"{voucher_id}.json").read_bytes()
    shown = json.loads(run(data_dir, "voucher", "show", voucher_id, "--json").stdout)
    assert json.loads(content) == shown
    cms = (out / f"{voucher_id}.p7s").read_bytes()
    assert openssl_verify(content, cms, softhsm.ca.cert_path, tmp_path / "v") == 0
    listed = run(data_dir, "voucher", "list", "--status", "signed_holder", "--json")
    assert voucher_id in listed.stdout


def test_wrong_pin_exits_1_and_says_what_to_do(
    data_dir: Path, softhsm: Any, example_file: Path
) -> None:
    module = str(softhsm.config.module_path)
    voucher_id = run(data_dir, "voucher", "new", "--json", str(example_file)).stdout.strip()
    assert run(data_dir, "trust", "add", str(softhsm.ca.cert_path)).returncode == 0
    assert run(data_dir, "signers", "add", "--role", "chief-accountant", "--module", module,
               "--token", "PIN-TEST").returncode == 0
    result = run(data_dir, "sign", voucher_id, "--role", "chief-accountant", "--module",
                 module, "--token", "PIN-TEST", pin="999999")
    assert result.returncode == 1
    assert "PIN" in result.stderr and "Traceback" not in result.stderr
    assert "999999" not in result.stderr
    assert "draft" in run(data_dir, "voucher", "list", "--json").stdout
    # The token now reports a wrong try: a script's PIN is not spent on it again.
    again = run(data_dir, "sign", voucher_id, "--role", "chief-accountant", "--module",
                module, "--token", "PIN-TEST", pin="999999")
    assert again.returncode == 1 and "TREASURY_PIN" in again.stderr
