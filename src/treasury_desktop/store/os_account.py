"""The operating-system account running the app, as the OS itself reports it.

``USER``, ``LOGNAME`` and ``USERNAME`` are environment variables anyone can set before
starting the app, so the audit log never takes its user from them: on Linux and macOS the
name comes from the password database for the process's real user id, on Windows from
``GetUserNameW`` (the account of the process's token).
"""

from __future__ import annotations

import os
import sys


def os_account() -> str:
    """The account name; ``uid N`` when the OS knows the id but has no name for it."""
    if sys.platform == "win32":
        return _windows_account()
    import pwd

    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # no passwd entry (a container started with an arbitrary uid)
        return f"uid {uid}"


def _windows_account() -> str:  # pragma: no cover - exercised on Windows only
    import ctypes

    size = ctypes.c_ulong(257)
    buffer = ctypes.create_unicode_buffer(size.value)
    advapi32 = ctypes.WinDLL("advapi32")  # type: ignore[attr-defined,unused-ignore]
    if not advapi32.GetUserNameW(buffer, ctypes.byref(size)):
        return "unknown"
    return str(buffer.value)
