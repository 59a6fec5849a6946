"""Reading and writing package files (zip) safely.

Reading trusts nothing in the file: its size, the number of members, each name (no ``..``,
absolute paths, backslashes, drive letters, symbolic links, directories or duplicates: any of
these refuses the whole package), the compression method, and each member's declared and
actual size, read in bounded chunks (a zip bomb stops at the limit). Nothing is extracted to
disk, opened by another program or executed: members become bytes in memory, and only the
names a v1 package may hold are read at all.

A member that fails its own check (a CRC error, damaged compressed data) is reported by name,
so that only the voucher it belongs to is refused.
"""

from __future__ import annotations

import os
import stat
import uuid
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from treasury_desktop.packages.format import MAX_ITEMS, PackageRefused, allowed_name

MAX_PACKAGE_BYTES = 64 * 1024 * 1024
MAX_MEMBER_BYTES = 4 * 1024 * 1024
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_MEMBERS = 2 * MAX_ITEMS + 2
_CHUNK = 64 * 1024
_FILE_MODE = 0o600


@dataclass(frozen=True)
class PackageFile:
    """The members of a package, read into memory; ``damaged`` names those that failed."""

    members: dict[str, bytes]
    damaged: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Limits:
    """Size limits for reading (tests lower them)."""

    package: int = MAX_PACKAGE_BYTES
    member: int = MAX_MEMBER_BYTES
    total: int = MAX_TOTAL_BYTES
    members: int = MAX_MEMBERS


def read_package(path: Path, limits: Limits | None = None) -> PackageFile:
    """Every member of the package at ``path``; PackageRefused for anything unsafe."""
    limits = limits or Limits()
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise PackageRefused("package.refused.not_a_file", path=str(path))
            if info.st_size > limits.package:
                raise PackageRefused("package.refused.too_big", size=_mib(info.st_size),
                                     limit=_mib(limits.package))
            try:
                with zipfile.ZipFile(handle) as archive:
                    return _read_members(archive, limits)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError,
                    NotImplementedError):
                raise PackageRefused("package.refused.not_a_zip", path=path.name) from None
    except PackageRefused:
        raise
    except OSError as error:
        raise PackageRefused("package.refused.unreadable", path=str(path),
                             reason=error.strerror or str(error)) from None


def _read_members(archive: zipfile.ZipFile, limits: Limits) -> PackageFile:
    entries = archive.infolist()
    if len(entries) > limits.members:
        raise PackageRefused("package.refused.too_many", count=len(entries))
    seen: set[str] = set()
    declared = 0
    for entry in entries:
        _check_name(entry, seen)
        if entry.flag_bits & 0x1:
            raise PackageRefused("package.refused.encrypted", name=entry.filename)
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageRefused("package.refused.method", name=entry.filename)
        if entry.file_size > limits.member:
            raise PackageRefused("package.refused.member_too_big", name=entry.filename,
                                 size=_mib(entry.file_size), limit=_mib(limits.member))
        declared += entry.file_size
        if declared > limits.total:
            raise PackageRefused("package.refused.too_big", size=_mib(declared),
                                 limit=_mib(limits.total))
    members: dict[str, bytes] = {}
    damaged: set[str] = set()
    for entry in entries:
        try:
            members[entry.filename] = _read_bounded(archive, entry, limits.member)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            damaged.add(entry.filename)
    return PackageFile(members, frozenset(damaged))


def _check_name(entry: zipfile.ZipInfo, seen: set[str]) -> None:
    name = entry.filename
    # zipfile turns "\" into "/" on Windows only and drops a leading "/" and drive letters
    # when extracting, never in filename: look at what the file says, and at orig_filename.
    raw = getattr(entry, "orig_filename", name)
    parts = PurePosixPath(name).parts
    tricky = (
        not name or "\\" in raw or "\\" in name or name.startswith("/") or raw.startswith("/")
        or ":" in name or "\x00" in raw or ".." in parts or "." in name.split("/")
        or name.endswith("/") or entry.is_dir()
    )
    kind = stat.S_IFMT(entry.external_attr >> 16)
    if tricky or kind == stat.S_IFLNK or kind not in (0, stat.S_IFREG):
        raise PackageRefused("package.refused.path_trick", name=_shown(raw))
    if name in seen:
        raise PackageRefused("package.refused.duplicate", name=_shown(name))
    seen.add(name)
    if not allowed_name(name):
        raise PackageRefused("package.refused.unexpected", name=_shown(name))


def _read_bounded(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int) -> bytes:
    """The member's bytes, never more than ``limit`` or than it declared."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(entry) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > min(limit, entry.file_size):
                raise PackageRefused("package.refused.member_too_big", name=entry.filename,
                                     size=_mib(size), limit=_mib(limit))
            chunks.append(chunk)
    if size != entry.file_size:
        raise zipfile.BadZipFile("size differs from the declared size")
    return b"".join(chunks)


def write_package(path: Path, members: list[tuple[str, bytes]], date_time: tuple[int, ...]
                  ) -> int:
    """Write the members to ``path`` (0600, replaced atomically); returns the file's size."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in members:
                    info = zipfile.ZipInfo(name, date_time=date_time[:6])  # type: ignore[arg-type]
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = (stat.S_IFREG | _FILE_MODE) << 16
                    archive.writestr(info, data)
            handle.flush()
            os.fsync(handle.fileno())
            size = handle.tell()
        if size > MAX_PACKAGE_BYTES:
            raise PackageRefused("package.refused.too_big", size=_mib(size),
                                 limit=_mib(MAX_PACKAGE_BYTES))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return size


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _shown(name: str) -> str:
    return name.encode("unicode_escape").decode("ascii")[:120]
