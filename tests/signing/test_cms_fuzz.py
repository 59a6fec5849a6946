"""Mangled signatures (random byte changes of a valid CMS) are refused in plain words, never
with a raw exception: the treasury's door and the desk's queue both rely on it."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from treasury_desktop.domain.roles import SignerRole
from treasury_desktop.signing.cms import add_signature
from treasury_desktop.signing.testca import generate_key, issue_certificate, make_test_ca
from treasury_desktop.signing.token import SignatureAlgorithm
from treasury_desktop.signing.verify import SignatureInvalid, verify_detached


def test_mangled_cms_is_always_a_signature_invalid(tmp_path: Path) -> None:
    ca = make_test_ca(tmp_path / "ca")
    key = generate_key("EC P-256")
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    der = issue_certificate(ca, key.public_key(), holder_name="Nguyễn Thị Lan",
                            unit_name="Trường THCS Phú Lương")
    content = b'{"id":"x","total":1234000}'
    cms = add_signature(content, None, der, SignerRole.CHIEF_ACCOUNTANT,
                        lambda data: key.sign(data, ec.ECDSA(hashes.SHA256())),
                        SignatureAlgorithm.ECDSA_SHA256, datetime.now(UTC))
    assert len(verify_detached(content, cms)) == 1
    rng = random.Random(20261122)
    refused = 0
    for _ in range(1500):
        mangled = bytearray(cms)
        for _ in range(rng.randint(1, 4)):
            mangled[rng.randrange(len(mangled))] = rng.randrange(256)
        try:
            verify_detached(content, bytes(mangled))
        except SignatureInvalid:
            refused += 1
    assert refused > 1400  # a few flips land in bytes no check depends on
