"""Child process of provision.py: generate a key ON a SoftHSM2 token and store its certificate.

It runs in its own process so that it reads the private SOFTHSM2_CONF it is given, whatever
the parent has already loaded (SoftHSM reads its configuration once, at C_Initialize).
Input: one JSON object on stdin. Output: one JSON object on stdout.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import PyKCS11
from asn1crypto import core
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from treasury_desktop.signing.testca import PublicKey, SoftwareCA, issue_certificate

_P256_PARAMS = bytes.fromhex("06082a8648ce3d030107")  # DER OID prime256v1
_P384_PARAMS = bytes.fromhex("06052b81040022")  # DER OID secp384r1


def _find_slot(lib: Any, label: str) -> int:
    for slot in lib.getSlotList(tokenPresent=True):
        if lib.getTokenInfo(slot).label.strip() == label:
            return int(slot)
    raise SystemExit(f"no token labelled {label!r}")


def _generate(session: Any, key_type: str, key_id: bytes, label: str) -> PublicKey:
    common = [(PyKCS11.CKA_TOKEN, True), (PyKCS11.CKA_ID, key_id), (PyKCS11.CKA_LABEL, label)]
    public = [
        (PyKCS11.CKA_CLASS, PyKCS11.CKO_PUBLIC_KEY),
        (PyKCS11.CKA_PRIVATE, False),
        (PyKCS11.CKA_VERIFY, True),
        (PyKCS11.CKA_ENCRYPT, False),
        (PyKCS11.CKA_WRAP, False),
        *common,
    ]
    private = [
        (PyKCS11.CKA_CLASS, PyKCS11.CKO_PRIVATE_KEY),
        (PyKCS11.CKA_PRIVATE, True),
        (PyKCS11.CKA_SENSITIVE, True),
        (PyKCS11.CKA_EXTRACTABLE, False),
        (PyKCS11.CKA_SIGN, True),
        # SoftHSM allows decrypt/unwrap by default: a signing key must not (FACTS.md).
        (PyKCS11.CKA_DECRYPT, False),
        (PyKCS11.CKA_UNWRAP, False),
        *common,
    ]
    if key_type.startswith("RSA-"):
        public += [
            (PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_RSA),
            (PyKCS11.CKA_MODULUS_BITS, int(key_type[4:])),
            (PyKCS11.CKA_PUBLIC_EXPONENT, (0x01, 0x00, 0x01)),
        ]
        private.append((PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_RSA))
        pub, _ = session.generateKeyPair(public, private, PyKCS11.MechanismRSAGENERATEKEYPAIR)
        modulus, exponent = session.getAttributeValue(
            pub, [PyKCS11.CKA_MODULUS, PyKCS11.CKA_PUBLIC_EXPONENT], allAsBinary=True
        )
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(bytes(exponent), "big"), int.from_bytes(bytes(modulus), "big")
        )
        return numbers.public_key()
    params, curve = {
        "EC P-256": (_P256_PARAMS, ec.SECP256R1()),
        "EC P-384": (_P384_PARAMS, ec.SECP384R1()),
    }[key_type]
    public += [(PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_EC), (PyKCS11.CKA_EC_PARAMS, params)]
    private.append((PyKCS11.CKA_KEY_TYPE, PyKCS11.CKK_EC))
    mechanism = PyKCS11.Mechanism(PyKCS11.CKM_EC_KEY_PAIR_GEN, None)
    pub, _ = session.generateKeyPair(public, private, mechanism)
    (point,) = session.getAttributeValue(pub, [PyKCS11.CKA_EC_POINT], allAsBinary=True)
    raw = bytes(point)
    if len(raw) == 2 * (curve.key_size // 8) + 1:
        encoded = raw  # a bare uncompressed point
    else:
        encoded = core.OctetString.load(raw).native  # the usual DER OCTET STRING wrapping
    return ec.EllipticCurvePublicKey.from_encoded_point(curve, encoded)


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Do one provisioning request; see provision.add_signing_key for the fields."""
    lib = PyKCS11.PyKCS11Lib()
    lib.load(request["module"])
    try:
        slot = _find_slot(lib, request["label"])
        serial = lib.getTokenInfo(slot).serialNumber.strip()
        session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
        session.login(request["pin"])
        key_id = bytes.fromhex(request["key_id"])
        public_key = _generate(session, request["key_type"], key_id, request["holder_name"])
        ca = SoftwareCA(
            Path(request["ca_cert"]), Path(request["ca_key"]), bytes.fromhex(request["ca_der"])
        )
        der = issue_certificate(
            ca,
            public_key,
            holder_name=request["holder_name"],
            unit_name=request["unit_name"],
            not_before=_time(request.get("not_before")),
            not_after=_time(request.get("not_after")),
            key_usage=request["key_usage"],
        )
        cert = x509.load_der_x509_certificate(der)
        session.createObject(
            [
                (PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE),
                (PyKCS11.CKA_CERTIFICATE_TYPE, PyKCS11.CKC_X_509),
                (PyKCS11.CKA_TOKEN, True),
                (PyKCS11.CKA_PRIVATE, False),
                (PyKCS11.CKA_LABEL, request["holder_name"]),
                (PyKCS11.CKA_ID, key_id),
                (PyKCS11.CKA_SUBJECT, cert.subject.public_bytes()),
                (PyKCS11.CKA_ISSUER, cert.issuer.public_bytes()),
                (PyKCS11.CKA_VALUE, der),
            ]
        )
        session.logout()
        session.closeSession()
    finally:
        lib.unload()
    return {"serial": serial, "certificate": der.hex()}


def _time(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw) if raw else None


if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
