"""The package format (gói chứng từ), version 1: what travels between desks, as data.

A package is a zip file (``*.tdpkg``) holding exactly these members (docs/package-format.md):

- ``manifest.json``: who sent it, for which unit, and per voucher the name, size and SHA-256
  of each member;
- ``manifest.p7s`` (optional): a detached CMS over ``manifest.json`` by the sender's token;
- ``vouchers/<voucher_id>/signed_bytes.json``: the voucher's signed bytes (RFC 8785), whose
  SHA-256 is its content hash; the Bảng kê (``statement``) is inside them;
- ``vouchers/<voucher_id>/signature.p7s``: the detached CMS made so far (absent when unsigned).

This module parses and writes the manifest and knows the allowed member names; reading the zip
safely is :mod:`treasury_desktop.packages.archive`.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from treasury_desktop.domain.roles import SIGNING_ORDER, SignerRole
from treasury_desktop.i18n import ExpectedError

FORMAT = "treasury-desktop/package"
VERSION = 1
SUFFIX = ".tdpkg"
MANIFEST = "manifest.json"
MANIFEST_SIGNATURE = "manifest.p7s"
SIGNED_BYTES = "signed_bytes.json"
SIGNATURE = "signature.p7s"
MAX_ITEMS = 500
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_LEAVES = f"{re.escape(SIGNED_BYTES)}|{re.escape(SIGNATURE)}"
_VOUCHER_MEMBER = re.compile(rf"^vouchers/({_UUID})/({_LEAVES})$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class PackageRefused(ExpectedError):
    """The whole package is refused: nothing in it is read further or imported."""


def voucher_member(voucher_id: str, leaf: str) -> str:
    """The member name of one voucher's file."""
    return f"vouchers/{voucher_id}/{leaf}"


def allowed_name(name: str) -> bool:
    """Whether ``name`` is one of the names a v1 package may hold."""
    return name in (MANIFEST, MANIFEST_SIGNATURE) or _VOUCHER_MEMBER.match(name) is not None


@dataclass(frozen=True)
class Desk:
    """The sending desk: an id made once per data folder, and the name people know it by."""

    id: str
    name: str


@dataclass(frozen=True)
class Member:
    """One file of the package as the manifest declares it."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class ManifestItem:
    """One voucher in the package."""

    voucher_id: str
    number: str
    total: int
    status: str  # the sending desk's workflow state
    roles: tuple[SignerRole, ...]  # signatures present, in signing order
    queued_elsewhere: bool  # already in an outbox (or at the treasury) on the sending desk
    signed_bytes: Member
    cms: Member | None

    @property
    def content_hash(self) -> str:
        """The voucher's content hash: the SHA-256 of its signed bytes."""
        return self.signed_bytes.sha256


@dataclass(frozen=True)
class Manifest:
    """The package's table of contents."""

    package_id: str
    created_at: str
    desk: Desk
    unit_code: str
    unit_name: str
    items: tuple[ManifestItem, ...]


def manifest_bytes(manifest: Manifest) -> bytes:
    """The manifest as written (UTF-8 JSON, keys in a fixed order)."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "package_id": manifest.package_id,
        "created_at": manifest.created_at,
        "desk": {"id": manifest.desk.id, "name": manifest.desk.name},
        "unit": {"code": manifest.unit_code, "name": manifest.unit_name},
        "items": [_item_json(item) for item in manifest.items],
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _item_json(item: ManifestItem) -> dict[str, Any]:
    return {
        "voucher_id": item.voucher_id,
        "number": item.number,
        "total": item.total,
        "status": item.status,
        "roles": [role.value for role in item.roles],
        "queued_elsewhere": item.queued_elsewhere,
        "signed_bytes": vars(item.signed_bytes),
        "cms": None if item.cms is None else vars(item.cms),
    }


def parse_manifest(raw: bytes) -> Manifest:
    """The manifest, or PackageRefused when it is not a v1 manifest of sound shape."""
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
        if data.get("format") != FORMAT:
            raise PackageRefused("package.refused.not_a_package")
        if data.get("version") != VERSION:
            raise PackageRefused("package.refused.version", version=str(data.get("version")))
        desk, unit = data["desk"], data["unit"]
        items = data["items"]
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise ValueError("items")
        manifest = Manifest(
            package_id=_uuid(data["package_id"]),
            created_at=_text(data["created_at"]),
            desk=Desk(_uuid(desk["id"]), _text(desk["name"])),
            unit_code=_text(unit["code"]),
            unit_name=_text(unit["name"]),
            items=tuple(_item(entry) for entry in items),
        )
    except PackageRefused:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError):
        raise PackageRefused("package.refused.manifest") from None
    ids = [item.voucher_id for item in manifest.items]
    if len(set(ids)) != len(ids):
        raise PackageRefused("package.refused.manifest")
    return manifest


def _item(entry: Any) -> ManifestItem:
    voucher_id = _uuid(entry["voucher_id"])
    roles = tuple(SignerRole(_text(r)) for r in entry["roles"])
    if roles != SIGNING_ORDER[: len(roles)]:
        raise ValueError("roles out of order")
    signed = _member(entry["signed_bytes"], voucher_member(voucher_id, SIGNED_BYTES))
    cms = None
    if entry["cms"] is not None:
        cms = _member(entry["cms"], voucher_member(voucher_id, SIGNATURE))
    if (cms is None) != (not roles):
        raise ValueError("roles without a signature")
    total = entry["total"]
    if not isinstance(total, int) or isinstance(total, bool):
        raise TypeError("total")
    queued = entry["queued_elsewhere"]
    if not isinstance(queued, bool):
        raise TypeError("queued_elsewhere")
    return ManifestItem(
        voucher_id, _text(entry["number"]), total, _text(entry["status"]), roles, queued,
        signed, cms,
    )


def _member(entry: Any, expected_name: str) -> Member:
    name, digest, size = entry["name"], entry["sha256"], entry["size"]
    if name != expected_name or not isinstance(digest, str) or not _HEX64.match(digest):
        raise ValueError("member")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise TypeError("size")
    return Member(name, digest, size)


def _uuid(value: Any) -> str:
    text = _text(value)
    if str(uuid.UUID(text)) != text:
        raise ValueError("not a canonical UUID")
    return text


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 1000:
        raise TypeError("text")
    return value


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key appears twice")
    return dict(pairs)
