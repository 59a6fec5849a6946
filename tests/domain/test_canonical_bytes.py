"""The signed bytes: RFC 8785 canonical JSON, stable across runs, changed by any edit."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from treasury_desktop.domain.canonical import (
    canonical_bytes,
    content_hash,
    voucher_bytes,
    voucher_hash,
)
from treasury_desktop.domain.voucher import Voucher, from_document, to_document


def test_bytes_are_canonical(design_voucher: Voucher) -> None:
    data = voucher_bytes(design_voucher)
    doc = json.loads(data)
    # Sorted keys, no insignificant whitespace, UTF-8 text kept as is (not \u escapes).
    assert (
        data == json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    assert "Trường THCS Phú Lương".encode() in data


def test_key_order_does_not_matter(design_document: dict[str, Any]) -> None:
    reordered = dict(reversed(list(design_document.items())))
    assert canonical_bytes(reordered) == canonical_bytes(design_document)


def test_stable_for_the_same_voucher(
    design_voucher: Voucher, design_document: dict[str, Any]
) -> None:
    again = from_document(json.loads(json.dumps(design_document)))
    assert voucher_bytes(again) == voucher_bytes(design_voucher)
    assert voucher_hash(again) == voucher_hash(design_voucher)
    assert from_document(to_document(design_voucher)) == design_voucher


def test_hash_is_sha256_hex(design_voucher: Voucher) -> None:
    digest = voucher_hash(design_voucher)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest == content_hash(voucher_bytes(design_voucher))


def test_any_edit_changes_the_hash(design_voucher: Voucher) -> None:
    line = design_voucher.lines[0]
    edits = [
        design_voucher.with_changes(number="126"),
        design_voucher.with_changes(lines=(replace(line, amount=line.amount + 1),)),
        design_voucher.with_changes(lines=(replace(line, content=line.content + " "),)),
        design_voucher.with_changes(payee=replace(design_voucher.payee, bank="Vietcombank")),
    ]
    hashes = {voucher_hash(v) for v in edits}
    assert voucher_hash(design_voucher) not in hashes
    assert len(hashes) == len(edits)
    # A "change" to the same value is no change.
    same = design_voucher.with_changes(number=design_voucher.number)
    assert voucher_hash(same) == voucher_hash(design_voucher)
