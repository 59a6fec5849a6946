"""Finding and loading PKCS#11 modules (the CA's token driver, "middleware").

Vietnamese CAs ship their own driver with each token. We look for the known file names in the
usual folders, plus any path the user added in the settings, and explain every loading failure
in plain words: a missing file, a file that is not a driver, a 32/64-bit mismatch, a driver
that refuses to start. SoftHSM2 (a software token) is never searched for: it holds no real
signer's key; the demo and the tests name its module explicitly.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import PyKCS11

from treasury_desktop.i18n import ExpectedError

WINDOWS_MODULES: tuple[tuple[str, str], ...] = (
    ("eps2003csp11.dll", "ePass2003"),
    ("eps2003csp11v2.dll", "ePass2003"),
    ("eTPKCS11.dll", "SafeNet eToken"),
    ("vnpt-ca_csp11.dll", "VNPT-CA"),
    *((f"vnptca_p11_v{n}.dll", "VNPT-CA") for n in range(6, 11)),
    *((f"viettel-ca_v{n}.dll", "Viettel-CA") for n in range(1, 7)),
    ("BkavCA.dll", "BKAV-CA"),
    ("BkavCAv2S.dll", "BKAV-CA"),
    ("fpt-ca.dll", "FPT-CA"),
    *((f"fptca_v{n}.dll", "FPT-CA") for n in range(3, 7)),
    ("CA2_csp11.dll", "CA2"),
    ("ShuttleCsp11_3003.dll", "CA2"),
    *((f"nca_v{n}.dll", "NewCA") for n in range(4, 10)),
    ("st3csp11.dll", "SafeCA"),
    ("opensc-pkcs11.dll", "OpenSC"),
)
LINUX_MODULES: tuple[tuple[str, str], ...] = (
    ("opensc-pkcs11.so", "OpenSC"),
    ("libeTPkcs11.so", "SafeNet eToken"),
    ("libeps2003csp11.so", "ePass2003"),
)
MAC_MODULES: tuple[tuple[str, str], ...] = (
    ("opensc-pkcs11.so", "OpenSC"),
    ("libeTPkcs11.dylib", "SafeNet eToken"),
)
LINUX_DIRS: tuple[str, ...] = (
    "/usr/lib",
    "/usr/lib64",
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu/pkcs11",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu/pkcs11",
    "/usr/lib/pkcs11",
    "/usr/local/lib",
)
MAC_DIRS: tuple[str, ...] = (
    "/Library/OpenSC/lib",
    "/usr/local/lib",
    "/opt/homebrew/lib",
)

# PE machine types (IMAGE_FILE_MACHINE_*) and their pointer width in bits.
PE_MACHINE_BITS = {0x014C: 32, 0x01C4: 32, 0x8664: 64, 0xAA64: 64}


@dataclass(frozen=True)
class ModuleCandidate:
    """A PKCS#11 module file worth offering; ``source`` is ``known`` or ``user``."""

    path: Path
    vendor: str
    source: str


def process_bits() -> int:
    """32 or 64: the width of this Python process, which must match the driver's."""
    return struct.calcsize("P") * 8


def _known_for(platform: str) -> tuple[tuple[tuple[str, str], ...], tuple[Path, ...]]:
    if platform.startswith("win"):
        root = Path(os.environ.get("SYSTEMROOT", r"C:\Windows"))
        # A 64-bit process sees 64-bit DLLs in System32; SysWOW64 holds 32-bit ones (listed so
        # that the mismatch is explained instead of silently ignored).
        return WINDOWS_MODULES, (root / "System32", root / "SysWOW64")
    if platform == "darwin":
        return MAC_MODULES, tuple(Path(d) for d in MAC_DIRS)
    return LINUX_MODULES, tuple(Path(d) for d in LINUX_DIRS)


def find_modules(
    user_paths: Sequence[str | os.PathLike[str]] = (),
    *,
    platform: str | None = None,
    search_dirs: Sequence[Path] | None = None,
) -> list[ModuleCandidate]:
    """Known driver files present on this machine, then every user-added path (even missing)."""
    names, dirs = _known_for(platform or sys.platform)
    if search_dirs is not None:
        dirs = tuple(search_dirs)
    found: list[ModuleCandidate] = []
    seen: set[Path] = set()
    for folder in dirs:
        for name, vendor in names:
            path = folder / name
            if path.is_file():
                real = path.resolve()
                if real not in seen:
                    seen.add(real)
                    found.append(ModuleCandidate(path, vendor, "known"))
    for raw in user_paths:
        path = Path(raw)
        if path.resolve() not in seen:
            seen.add(path.resolve())
            found.append(ModuleCandidate(path, path.name, "user"))
    return found


def pe_machine_bits(header: bytes) -> int | None:
    """32 or 64 for a Windows DLL's bytes (at least its headers); None when not a PE file."""
    if len(header) < 0x40 or header[:2] != b"MZ":
        return None
    (pe_offset,) = struct.unpack_from("<I", header, 0x3C)
    if len(header) < pe_offset + 6 or header[pe_offset : pe_offset + 4] != b"PE\0\0":
        return None
    (machine,) = struct.unpack_from("<H", header, pe_offset + 4)
    return PE_MACHINE_BITS.get(machine, 0)


def library_bits(path: Path) -> int | None:
    """32 or 64 for a PE or ELF library; 0 for a library of unknown width; None if neither."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head[:4] == b"\x7fELF" and len(head) > 4:
        return {1: 32, 2: 64}.get(head[4], 0)
    if head[:4] in (b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
        return 64  # Mach-O 64-bit or universal
    if head[:2] == b"MZ":
        if len(head) >= 0x40:
            (pe_offset,) = struct.unpack_from("<I", head, 0x3C)
            if pe_offset + 6 > len(head):
                with path.open("rb") as handle:
                    handle.seek(pe_offset)
                    head = head[:0x40].ljust(pe_offset, b"\0") + handle.read(6)
        return pe_machine_bits(head)
    return None


def check_module_file(path: str | os.PathLike[str]) -> Path:
    """The module path, after checking it exists, is a library, and has this process's width."""
    module = Path(path)
    if not module.exists():
        raise ExpectedError("signing.module.missing", module=str(module))
    if not module.is_file():
        raise ExpectedError("signing.module.not_library", module=str(module))
    bits = library_bits(module)
    if bits is None:
        raise ExpectedError("signing.module.not_library", module=str(module))
    if bits and bits != process_bits():
        raise ExpectedError(
            "signing.module.wrong_bits", module=str(module), bits=bits, app_bits=process_bits()
        )
    return module


def load_module(path: str | os.PathLike[str]) -> Any:
    """A loaded and initialised ``PyKCS11.PyKCS11Lib`` for ``path``, or a plain-words error."""
    module = check_module_file(path)
    lib = PyKCS11.PyKCS11Lib()
    try:
        lib.load(str(module))
    except PyKCS11.PyKCS11Error as err:
        if err.value in (-1, -4):  # dlopen failed / no C_GetFunctionList
            raise ExpectedError("signing.module.not_library", module=str(module)) from None
        # C_Initialize failed: SoftHSM says CKR_GENERAL_ERROR when its token folder is unreadable.
        raise ExpectedError(
            "signing.module.init_failed", module=str(module), code=str(err)
        ) from None
    return lib
