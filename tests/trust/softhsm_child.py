"""Child process of tests/trust/levels.py: keys on a SoftHSM2 token of its own configuration,
certificates from the given CAs, and one token-made signature per key.

Reads a JSON request on stdin; writes ``[{"cms": hex, "certificate": hex}, ...]`` on stdout.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.pkcs11_token import Pkcs11Module, Pkcs11Token
from treasury_desktop.signing.provision import (
    add_signing_key,
    init_token,
    make_softhsm_config,
)
from treasury_desktop.signing.testca import SoftwareCA
from treasury_desktop.signing.token import SignatureAlgorithm, select_token

LABEL, PIN, SO_PIN = "SUB-CA", "123456", "12345678"


def main() -> None:
    request = json.load(sys.stdin)
    config = make_softhsm_config(Path(request["folder"]) / "softhsm")
    config.activate()  # before the module is loaded in this process
    init_token(config, label=LABEL, user_pin=PIN, so_pin=SO_PIN)
    keys = []
    for signer in request["signers"]:
        ca = SoftwareCA(Path(signer["ca_cert"]), Path(signer["ca_key"]),
                        bytes.fromhex(signer["ca_der"]))
        _, key = add_signing_key(config, ca, label=LABEL, user_pin=PIN,
                                 holder_name=signer["holder"], unit_name="THCS Phú Lương",
                                 key_type="RSA-2048")
        keys.append((key, [bytes.fromhex(c) for c in signer["chain"]]))
    content = bytes.fromhex(request["content"])
    when = datetime.fromisoformat(request["when"])
    module = Pkcs11Module(config.module_path)
    out = []
    try:
        token = select_token(module.tokens(), LABEL)
        assert isinstance(token, Pkcs11Token)
        token.login(PIN)
        algorithm = SignatureAlgorithm.RSA_PKCS1_SHA256
        for key, chain in keys:
            cms_der = add_signature(
                content, None, key.certificate_der, SignerRole.CHIEF_ACCOUNTANT,
                lambda data, sha=key.cert_sha256: token.sign(sha, data, algorithm),
                algorithm, when, chain=chain,
            )
            out.append({"cms": cms_der.hex(), "certificate": key.certificate_der.hex()})
        token.logout()
    finally:
        module.close()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
