"""Every string the window shows, through one lookup (resources/i18n/ui.json via i18n.text).

Also the display conventions an accountant expects: amounts as 1.234.567, dates as dd/mm/yyyy.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from treasury_desktop.domain.money import format_vnd
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import text
from treasury_desktop.store.records import Folder

_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def t(key: str, **params: Any) -> str:
    """The interface text ``ui.<key>`` in the current language."""
    return text(f"ui.{key}", None, **params)


def money(amount: int) -> str:
    """1234567 -> '1.234.567'."""
    return format_vnd(amount)


def dmy(iso: str) -> str:
    """'2026-11-20' -> '20/11/2026'; anything else is shown as it is."""
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def iso_from_dmy(shown: str) -> str:
    """'20/11/2026' (or 20.11.2026, 20-11-2026) -> '2026-11-20'; unreadable text is kept raw.

    Keeping it raw lets validation say what is wrong instead of the editor silently dropping it.
    """
    match = _DMY.match(shown)
    if not match:
        return shown.strip()
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return shown.strip()


def folder_name(folder: Folder) -> str:
    """Nháp, Chờ ký, …"""
    return text(f"folder.{folder.value}")


def status_name(status: VoucherState, problems: int = 0) -> str:
    """The short state shown in the list; a draft without problems is ready to sign."""
    if status is VoucherState.DRAFT and problems == 0:
        return t("status.draft_ready")
    return text(f"status.{status.value}")


STATUS_COLOURS: dict[VoucherState, str] = {
    VoucherState.DRAFT: "#6b6b6b",
    VoucherState.SIGNED_CHIEF: "#1f5fa8",
    VoucherState.SIGNED_HOLDER: "#1f5fa8",
    VoucherState.QUEUED: "#9a6700",
    VoucherState.SENT: "#2f6f4f",
    VoucherState.RECEIVED: "#2f6f4f",
    VoucherState.CHECKING: "#2f6f4f",
    VoucherState.PAID: "#1a7f37",
    VoucherState.REJECTED: "#b42318",
    VoucherState.RETURNED: "#b42318",
}
READY_COLOUR = "#1f5fa8"
ERROR_COLOUR = "#b42318"
