"""Finding and loading PKCS#11 modules, with every failure explained in plain words."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from treasury_desktop.i18n import ExpectedError
from treasury_desktop.signing.modules import (
    check_module_file,
    find_modules,
    library_bits,
    load_module,
    pe_machine_bits,
    process_bits,
)


def pe_file(path: Path, machine: int, pe_offset: int = 0x80) -> Path:
    """The smallest thing that looks like a DLL header: MZ, e_lfanew, PE\\0\\0, Machine."""
    header = bytearray(pe_offset + 24)
    header[:2] = b"MZ"
    struct.pack_into("<I", header, 0x3C, pe_offset)
    header[pe_offset : pe_offset + 4] = b"PE\0\0"
    struct.pack_into("<H", header, pe_offset + 4, machine)
    path.write_bytes(bytes(header))
    return path


def key_of(path: Path) -> str:
    with pytest.raises(ExpectedError) as caught:
        load_module(path)
    assert str(path) in str(caught.value)  # the message names the module
    return caught.value.message.key


def test_pe_header_machine_type(tmp_path: Path) -> None:
    assert pe_machine_bits(pe_file(tmp_path / "a.dll", 0x014C).read_bytes()) == 32
    assert pe_machine_bits(pe_file(tmp_path / "b.dll", 0x8664).read_bytes()) == 64
    assert pe_machine_bits(pe_file(tmp_path / "c.dll", 0xAA64).read_bytes()) == 64
    assert pe_machine_bits(b"MZ" + bytes(100)) is None
    assert pe_machine_bits(b"hello") is None
    # e_lfanew past the first 4 KiB is still followed.
    assert library_bits(pe_file(tmp_path / "far.dll", 0x014C, pe_offset=5000)) == 32


def test_32_bit_dll_in_a_64_bit_app_is_explained(tmp_path: Path) -> None:
    dll = pe_file(tmp_path / "vnptca_p11_v8.dll", 0x014C)
    assert process_bits() == 64
    assert key_of(dll) == "signing.module.wrong_bits"
    with pytest.raises(ExpectedError) as caught:
        check_module_file(dll)
    text = str(caught.value)
    assert "32-bit" in text and "64-bit" in text and "SysWOW64" in text


def test_32_bit_elf_is_explained(tmp_path: Path) -> None:
    elf = tmp_path / "libeps2003csp11.so"
    elf.write_bytes(b"\x7fELF\x01\x01\x01" + bytes(64))
    assert key_of(elf) == "signing.module.wrong_bits"


def test_missing_file(tmp_path: Path) -> None:
    assert key_of(tmp_path / "nowhere" / "eTPKCS11.dll") == "signing.module.missing"


def test_file_that_is_not_a_library(tmp_path: Path) -> None:
    text = tmp_path / "readme.so"
    text.write_text("Hướng dẫn cài đặt token", encoding="utf-8")
    assert key_of(text) == "signing.module.not_library"
    assert key_of(tmp_path) == "signing.module.not_library"  # a folder


def test_broken_library_fails_to_load(tmp_path: Path) -> None:
    broken = tmp_path / "libbroken.so"
    broken.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(9))  # right width, not loadable
    assert key_of(broken) == "signing.module.not_library"


def test_64_bit_dll_passes_the_width_check(tmp_path: Path) -> None:
    dll = pe_file(tmp_path / "BkavCAv2S.dll", 0x8664)
    assert check_module_file(dll) == dll


def test_initialize_failure_names_the_module(tmp_path: Path) -> None:
    from treasury_desktop.signing.provision import softhsm_module

    module = softhsm_module()
    if module is None:
        pytest.skip("SoftHSM2 is not installed")
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'missing'}\n", encoding="utf-8")
    # In a child process: SoftHSM reads its configuration once per process.
    code = (
        "from treasury_desktop.signing.modules import load_module\n"
        "from treasury_desktop.i18n import ExpectedError\n"
        "try:\n"
        f"    load_module({str(module)!r})\n"
        "except ExpectedError as e:\n"
        "    print(e.message.key)\n"
        "    print(e.message.render('en'))\n"
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    key, message = done.stdout.splitlines()[:2]
    assert key == "signing.module.init_failed"
    assert str(module) in message and "CKR_GENERAL_ERROR" in message


def test_known_windows_modules_in_system_folders(tmp_path: Path) -> None:
    system32 = tmp_path / "System32"
    system32.mkdir()
    pe_file(system32 / "eTPKCS11.dll", 0x8664)
    pe_file(system32 / "vnptca_p11_v8.dll", 0x8664)
    (system32 / "notepad.exe").write_bytes(b"MZ")
    user = tmp_path / "custom" / "nca_v7.dll"
    found = find_modules([user], platform="win32", search_dirs=[system32])
    assert [(c.path.name, c.vendor, c.source) for c in found] == [
        ("eTPKCS11.dll", "SafeNet eToken", "known"),
        ("vnptca_p11_v8.dll", "VNPT-CA", "known"),
        ("nca_v7.dll", "nca_v7.dll", "user"),  # listed even though missing: explained on load
    ]


def test_softhsm_is_not_searched_for_as_a_production_driver() -> None:
    from treasury_desktop.signing.provision import softhsm_module

    module = softhsm_module()
    if module is None or not sys.platform.startswith("linux"):
        pytest.skip("SoftHSM2 is not installed")
    found = find_modules() + find_modules(search_dirs=[module.parent])
    assert all(c.path.resolve() != module.resolve() for c in found)
    offered = [c for c in find_modules([module]) if c.source == "user"]
    assert [c.path for c in offered] == [module]  # named explicitly (demo, tests): offered
