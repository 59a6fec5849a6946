"""The signed bytes: RFC 8785 (JCS) canonical JSON of the document, and its SHA-256."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785

from treasury_desktop.domain.voucher import Voucher, to_document


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    """RFC 8785 bytes of a JSON document."""
    result: bytes = rfc8785.dumps(dict(document))
    return result


def voucher_bytes(voucher: Voucher) -> bytes:
    """The bytes a signer signs for this voucher."""
    return canonical_bytes(to_document(voucher))


def content_hash(data: bytes) -> str:
    """Hex SHA-256 of the signed bytes: the voucher's content hash."""
    return hashlib.sha256(data).hexdigest()


def voucher_hash(voucher: Voucher) -> str:
    """The content hash of a voucher."""
    return content_hash(voucher_bytes(voucher))
