"""Everything the settings dialog shows and saves, in one frozen value (cài đặt của máy).

Two choices live in the desk's config file because they are needed before a database is opened
(the data folder and the language); the rest lives in the data folder's profile, through the
declared settings and the saved connection.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from treasury_desktop import paths
from treasury_desktop.api.connection import Connection, Profile, load_connection, save_connection
from treasury_desktop.i18n import ExpectedError
from treasury_desktop.settings import BACKUP_FOLDER, PKCS11_MODULES
from treasury_desktop.store.profile import ProfileStore


@dataclass(frozen=True)
class DeskChoices:
    """The values of the settings dialog."""

    data_dir: str
    language: str
    server: str
    unit: str
    proxy: str
    pkcs11_modules: tuple[str, ...]
    backup_folder: str


def read_choices(profile: ProfileStore, data_dir: Path) -> DeskChoices:
    """The choices as they stand (the data folder in use, not only the one configured)."""
    connection = load_connection(profile)
    return DeskChoices(
        data_dir=str(data_dir),
        language=paths.configured_language(),
        server=connection.server if connection else "",
        unit=connection.unit if connection else "",
        proxy=(connection.proxy or "") if connection else "",
        pkcs11_modules=tuple(PKCS11_MODULES.read(profile)),
        backup_folder=BACKUP_FOLDER.read(profile),
    )


def check_proxy(proxy: str) -> str:
    """An empty string or an ``http(s)://host:port`` address; anything else is refused."""
    proxy = proxy.strip()
    if not proxy:
        return ""
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("http", "https") or not parts.hostname or port is None:
        raise ExpectedError("desk.settings.bad_proxy", proxy=proxy)
    return f"{parts.scheme}://{parts.hostname}:{port}"


def save_choices(profile: ProfileStore, before: DeskChoices, after: DeskChoices) -> DeskChoices:
    """Store what changed; the data folder and language take effect at the next start."""
    after = replace(after, proxy=check_proxy(after.proxy))
    if after.data_dir != before.data_dir or after.language != before.language:
        chosen = after.data_dir.strip()
        paths.save_desk_config(
            data_dir=chosen or None,
            language=after.language if after.language in ("vi", "en") else "vi",
        )
    if after.proxy != before.proxy:
        _save_proxy(profile, after.proxy)
    PKCS11_MODULES.write(profile, list(dict.fromkeys(m for m in after.pkcs11_modules if m)))
    BACKUP_FOLDER.write(profile, after.backup_folder.strip())
    return after


def _save_proxy(profile: Profile, proxy: str) -> None:
    saved = load_connection(profile)
    if saved is None:
        raise ExpectedError("desk.settings.proxy_needs_connection")
    save_connection(profile, Connection(saved.server, saved.unit, saved.ca_bundle, proxy or None))
