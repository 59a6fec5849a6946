"""A package file is read without trusting it: path tricks, links, duplicates, foreign files,
encryption and oversized or bomb-like members refuse the whole package before anything is
imported; nothing is ever extracted to disk."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest
from two_desks import rewrite

from treasury_desktop.packages.archive import Limits, read_package, write_package
from treasury_desktop.packages.format import PackageRefused

VOUCHER = "0193a9c6-5f1e-4c2a-9d7e-2b1c3d4e5f60"
GOOD = f"vouchers/{VOUCHER}/signed_bytes.json"


def _zip(tmp_path: Path, *members: tuple[zipfile.ZipInfo | str, bytes]) -> Path:
    return rewrite(tmp_path / "p.tdpkg", [("manifest.json", b"{}"), *members])


def _link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize("name", [
    "../evil.sh",
    f"vouchers/{VOUCHER}/../../../etc/passwd",
    "/etc/cron.d/evil",
    "vouchers\\..\\evil.exe",
    "C:/Windows/evil.exe",
    "./manifest.json",
    "vouchers/",
])
def test_path_tricks_refuse_the_whole_package(tmp_path: Path, name: str) -> None:
    package = _zip(tmp_path, (GOOD, b"{}"), (name, b"x"))
    with pytest.raises(PackageRefused) as refused:
        read_package(package)
    assert refused.value.message.key == "package.refused.path_trick"
    assert "Gói bị từ chối toàn bộ" in str(refused.value)
    assert not (tmp_path.parent / "evil.sh").exists()


def test_a_symbolic_link_refuses_the_whole_package(tmp_path: Path) -> None:
    package = _zip(tmp_path, (_link(GOOD), b"/etc/passwd"))
    with pytest.raises(PackageRefused) as refused:
        read_package(package)
    assert refused.value.message.key == "package.refused.path_trick"


def test_duplicate_names_refuse_the_whole_package(tmp_path: Path) -> None:
    package = _zip(tmp_path, (GOOD, b"{}"), (GOOD, b"{\"other\":1}"))
    with pytest.raises(PackageRefused) as refused:
        read_package(package)
    assert refused.value.message.key == "package.refused.duplicate"


@pytest.mark.parametrize("name", ["setup.exe", "vouchers/not-a-uuid/signed_bytes.json",
                                  f"vouchers/{VOUCHER}/readme.txt", "autorun.inf"])
def test_foreign_files_refuse_the_whole_package(tmp_path: Path, name: str) -> None:
    with pytest.raises(PackageRefused) as refused:
        read_package(_zip(tmp_path, (name, b"MZ")))
    assert refused.value.message.key == "package.refused.unexpected"


def test_a_member_declaring_too_much_is_refused_before_it_is_read(tmp_path: Path) -> None:
    bomb = b"\0" * (8 * 1024 * 1024)  # 8 MiB of zeros: a few KB compressed
    package = _zip(tmp_path, (GOOD, bomb))
    assert package.stat().st_size < 100_000
    with pytest.raises(PackageRefused) as refused:
        read_package(package)
    assert refused.value.message.key == "package.refused.member_too_big"


def test_the_sum_of_members_is_limited(tmp_path: Path) -> None:
    other = f"vouchers/{VOUCHER}/signature.p7s"
    package = _zip(tmp_path, (GOOD, b"a" * 600), (other, b"b" * 600))
    limits = Limits(member=1000, total=1000)
    with pytest.raises(PackageRefused) as refused:
        read_package(package, limits)
    assert refused.value.message.key == "package.refused.too_big"


def test_the_file_size_is_limited(tmp_path: Path) -> None:
    package = _zip(tmp_path, (GOOD, os.urandom(4000)))
    with pytest.raises(PackageRefused) as refused:
        read_package(package, Limits(package=2000))
    assert refused.value.message.key == "package.refused.too_big"


def test_not_a_zip_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "p.tdpkg"
    path.write_bytes(b"MZ\x90\x00 not a zip at all")
    with pytest.raises(PackageRefused) as refused:
        read_package(path)
    assert refused.value.message.key == "package.refused.not_a_zip"
    with pytest.raises(PackageRefused) as missing:
        read_package(tmp_path / "nowhere.tdpkg")
    assert missing.value.message.key == "package.refused.unreadable"


def test_written_packages_are_private_and_hold_regular_files(tmp_path: Path) -> None:
    path = tmp_path / "out.tdpkg"
    write_package(path, [("manifest.json", b"{}"), (GOOD, b"{}")], (2026, 11, 20, 8, 0, 0))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with zipfile.ZipFile(path) as archive:
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
    assert all(stat.S_ISREG(m) and stat.S_IMODE(m) == 0o600 for m in modes.values())
    assert [p.name for p in tmp_path.iterdir()] == ["out.tdpkg"]  # no temporary file left
    assert read_package(path).members == {"manifest.json": b"{}", GOOD: b"{}"}
