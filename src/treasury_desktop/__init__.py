"""treasury-desktop: draft, sign and send State Treasury payment vouchers (chứng từ KBNN)."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # The version is read lazily (package metadata), so importing the package stays free.
    if name == "__version__":
        from treasury_desktop.version import app_version

        return app_version()
    raise AttributeError(name)
