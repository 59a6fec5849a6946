"""Checking one CMS SignerInfo's signature value: shared by the voucher verifier and the check of
a signature's timestamp token (itself a CMS SignedData signed by the time-stamping authority)."""

from __future__ import annotations

from collections.abc import Iterable

from asn1crypto import cms
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from treasury_desktop.i18n import ExpectedError

HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class SignatureInvalid(ExpectedError):  # noqa: N818 - the name the sandbox imports
    """A signature the treasury would refuse, with the reason in plain words."""


def certificates_of(signed: cms.SignedData) -> list[ax509.Certificate]:
    """The X.509 certificates carried in a SignedData (other kinds are skipped)."""
    return [c.chosen for c in signed["certificates"] or [] if c.name == "certificate"]


def find_certificate(
    certificates: Iterable[ax509.Certificate], signer_info: cms.SignerInfo
) -> bytes | None:
    """The DER certificate a SignerInfo's ``sid`` names, among ``certificates``."""
    sid = signer_info["sid"]
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                cert.issuer == wanted["issuer"]
                and cert.serial_number == wanted["serial_number"].native
            ):
                return bytes(cert.dump())
        elif cert.key_identifier == sid.chosen.native:
            return bytes(cert.dump())
    return None


def hash_name(signer_info: cms.SignerInfo) -> str:
    """The hash the signature was made with; SignatureInvalid when weak or when the declared
    digestAlgorithm is another (``openssl cms -verify`` refuses that too)."""
    algorithm = signer_info["signature_algorithm"]
    declared = str(signer_info["digest_algorithm"]["algorithm"].native)
    try:
        name = str(algorithm.hash_algo)
    except ValueError:  # rsaEncryption / plain ecdsa: the digest algorithm says it
        name = declared
    if name not in HASHES:
        raise SignatureInvalid("signing.verify.weak_algorithm", algorithm=name)
    if declared != name:
        raise SignatureInvalid("signing.verify.digest_mismatch", declared=declared, used=name)
    return name


def check_signature(signer_info: cms.SignerInfo, cert: x509.Certificate, holder: str) -> None:
    """The signature value over the signed attributes verifies with ``cert``'s key."""
    attrs_der = signer_info["signed_attrs"].dump()
    data = b"\x31" + attrs_der[1:]  # signed over the SET OF, not the [0] IMPLICIT tag
    signature = signer_info["signature"].native
    hash_algo = HASHES[hash_name(signer_info)]()
    algorithm = signer_info["signature_algorithm"]
    kind = algorithm.signature_algo
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pkcs1v15":
            key.verify(signature, data, padding.PKCS1v15(), hash_algo)
        elif isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pss":
            params = algorithm["parameters"]
            mgf_hash = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
            if mgf_hash != hash_algo.name:
                raise SignatureInvalid("signing.verify.weak_algorithm", algorithm="pss-mgf")
            pss = padding.PSS(
                mgf=padding.MGF1(HASHES[mgf_hash]()), salt_length=params["salt_length"].native
            )
            key.verify(signature, data, pss, hash_algo)
        elif isinstance(key, ec.EllipticCurvePublicKey) and kind == "ecdsa":
            key.verify(signature, data, ec.ECDSA(hash_algo))
        else:
            raise SignatureInvalid("signing.verify.weak_algorithm", algorithm=str(kind))
    except InvalidSignature:
        raise SignatureInvalid("signing.verify.bad_signature", holder=holder) from None
