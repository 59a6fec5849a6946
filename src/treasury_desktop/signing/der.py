"""Just enough DER encoding to assemble a CMS from pre-encoded parts, fast.

Building each voucher's SignedData as an asn1crypto object graph costs ~9 ms (it re-encodes
the certificates); splicing bytes costs a few microseconds. Parsing stays with asn1crypto.
"""

from __future__ import annotations

from collections.abc import Iterable

SEQUENCE = 0x30
SET = 0x31
INTEGER = 0x02
OCTET_STRING = 0x04
OID = 0x06
UTC_TIME = 0x17
GENERALIZED_TIME = 0x18
CONTEXT_0 = 0xA0  # [0] constructed
CONTEXT_4 = 0xA4  # [4] constructed (GeneralName directoryName)


def length(size: int) -> bytes:
    """A DER length field."""
    if size < 0x80:
        return bytes([size])
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def tlv(tag: int, content: bytes) -> bytes:
    """One element: tag, length, content."""
    return bytes([tag]) + length(len(content)) + content


def sequence(*items: bytes) -> bytes:
    """SEQUENCE of already-encoded items, in order."""
    return tlv(SEQUENCE, b"".join(items))


def set_of(items: Iterable[bytes], tag: int = SET) -> bytes:
    """SET OF already-encoded items, sorted by encoding as DER requires."""
    return tlv(tag, b"".join(sorted(items)))


def oid(dotted: str) -> bytes:
    """An OBJECT IDENTIFIER."""
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray([parts[0] * 40 + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7F]
        part >>= 7
        while part:
            chunk.append(0x80 | (part & 0x7F))
            part >>= 7
        body.extend(reversed(chunk))
    return tlv(OID, bytes(body))


def integer(value: int) -> bytes:
    """A (non-negative or negative) INTEGER."""
    size = (value + (value < 0)).bit_length() // 8 + 1
    return tlv(INTEGER, value.to_bytes(size, "big", signed=True))


def header_length(der: bytes) -> int:
    """The size of the tag and length of the element at the start of ``der``."""
    first = der[1]
    return 2 if first < 0x80 else 2 + (first & 0x7F)
