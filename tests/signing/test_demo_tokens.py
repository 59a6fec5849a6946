"""The --demo tokens: made once per demo folder, usable with their PINs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from treasury_desktop.signing.provision import softhsm_module

CHILD = """
import json, sys
from datetime import UTC, datetime
from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.demo_tokens import provision_demo_tokens
from treasury_desktop.signing.pkcs11_token import Pkcs11Module
from treasury_desktop.signing.token import default_algorithm, select_token
from treasury_desktop.signing.verify import verify_detached

folder = sys.argv[1]
first = provision_demo_tokens(folder)
again = provision_demo_tokens(folder)  # the second run reuses the tokens
assert again is not None and first is not None
module = Pkcs11Module(again.config.module_path)
cms = None
for role in (SignerRole.CHIEF_ACCOUNTANT, SignerRole.ACCOUNT_HOLDER):
    signer = again.signer(role)
    token = select_token(module.tokens(), signer.label)
    token.login(signer.user_pin)
    algorithm = default_algorithm(signer.key_type)
    cms = add_signature(
        b"demo", cms, signer.certificate_der, role,
        lambda d: token.sign(signer.cert_sha256, d, algorithm), algorithm, datetime.now(UTC),
    )
    token.logout()
signers = verify_detached(b"demo", cms, trusted_roots=[again.ca.cert_der])
module.close()
print(json.dumps({
    "same": [s.cert_sha256 for s in first.signers] == [s.cert_sha256 for s in again.signers],
    "labels": [s.label for s in again.signers],
    "holders": [s.holder_name for s in signers],
}))
"""


def test_demo_tokens_are_made_once_and_sign(tmp_path: Path) -> None:
    if softhsm_module() is None:
        pytest.skip("SoftHSM2 is not installed")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "same": True,
        "labels": ["DEMO-KTT", "DEMO-CTK"],
        "holders": ["Nguyễn Thị Lan", "Trần Văn Minh"],
    }
