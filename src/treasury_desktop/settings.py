"""Every setting of a desk, declared once: its key, type, default and what it is for.

Values live in the store's ``profile`` table (per data folder), so they travel with the data
and are covered by the same backups. Read and write them only through these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from treasury_desktop.store.profile import ProfileStore

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One declared setting."""

    key: str
    kind: type
    default: T
    description: str

    def read(self, profile: ProfileStore) -> T:
        """The stored value, or the default when missing or of the wrong type."""
        value: Any = profile.get(self.key, self.default)
        return cast(T, value) if isinstance(value, self.kind) else self.default

    def write(self, profile: ProfileStore, value: T) -> None:
        """Store a value of the declared type."""
        if not isinstance(value, self.kind):
            raise TypeError(f"setting {self.key} takes {self.kind.__name__}")
        profile.set(self.key, value)


LANGUAGE: Setting[str] = Setting("language", str, "vi", "Interface language: vi or en.")
PKCS11_MODULES: Setting[list[str]] = Setting(
    "pkcs11_modules", list, [],
    "PKCS#11 module files the user added, beyond the known CA drivers of this OS.",
)
DEMO_SIGNERS: Setting[list[dict[str, str]]] = Setting(
    "demo_signers", list, [],
    "Demo only: the demo tokens' labels, holders and PINs, shown on screen.",
)
CERT_EXPIRY_WARNING_DAYS: Setting[int] = Setting(
    "cert_expiry_warning_days", int, 30,
    "Warn when a signing certificate expires within this many days.",
)

TSA_URL: Setting[str] = Setting(
    "tsa_url", str, "",
    "RFC 3161 time-stamping server for signature timestamps (CAdES-T); empty: none.",
)

BACKUP_FOLDER: Setting[str] = Setting(
    "backup_folder", str, "",
    "Folder for the daily database backups (empty: 'backups' in the data folder). A USB drive "
    "or another disk is safer than the data folder's own disk.",
)

ACCEPTED_CERT_POLICIES: Setting[list[str]] = Setting(
    "accepted_cert_policies", list, [],
    "Certificate policy OIDs a signing certificate must name one of; empty: any policy.",
)

ALL: tuple[Setting[Any], ...] = (
    LANGUAGE, PKCS11_MODULES, DEMO_SIGNERS, CERT_EXPIRY_WARNING_DAYS, TSA_URL, BACKUP_FOLDER,
    ACCEPTED_CERT_POLICIES,
)
