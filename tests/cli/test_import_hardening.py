"""``voucher import`` on hostile and large files, in a real child process.

Each line is stored whole or refused with its reasons; lines end at ``\\n`` only; counts are
honest; two processes importing one file refuse nothing; a full disk stops the import with a
report of what was stored; ``voucher list | head`` ends quietly.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tests_harsh import (
    EXAMPLE,
    can_mount,
    in_namespace,
    limit_file_size,
    run,
    shell_command,
    voucher_lines,
    write_lines,
)


def _ids_in_store(data_dir: Path) -> set[str]:
    listed = run(data_dir, "voucher", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return {json.loads(line)["id"] for line in listed.stdout.splitlines()}


def test_hostile_lines_are_refused_line_by_line_and_the_rest_stored(
    data_dir: Path, tmp_path: Path
) -> None:
    good = voucher_lines(4)
    deep = "[" * 50_000 + "]" * 50_000
    digits = json.dumps({**EXAMPLE, "number": "x"}).replace('"x"', "9" * 5_000)
    year = json.dumps({**json.loads(good[0]), "fiscal_year": 0}).replace(
        '"fiscal_year": 0', '"fiscal_year": ' + "2" * 300
    )
    bidi = json.dumps({**json.loads(voucher_lines(1)[0]),
                       "payee": {**EXAMPLE["payee"], "name": "Công ty \u202eABC"}})
    fraction = json.dumps({**json.loads(voucher_lines(1)[0]), "total": 1234000.0})
    separator = json.dumps(
        {**json.loads(good[1]), "lines": [{**EXAMPLE["lines"][0],
                                           "content": "Tiền điện\u2028tháng 10"}]},
        ensure_ascii=False,
    )
    lines = [good[0], deep, digits, year, bidi, fraction, separator, good[2], "", good[3]]
    source = tmp_path / "hostile.jsonl"
    source.write_bytes("\n".join(lines).encode("utf-8") + b"\r\nnot json\n\xff\xfe\n")
    result = run(data_dir, "--lang", "en", "voucher", "import", str(source))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for number in (2, 3, 4, 5, 6, 11, 12):
        assert f"Line {number}:" in result.stderr, result.stderr
    for number in (1, 7, 8, 10):
        assert f"Line {number}:" not in result.stderr
    assert "U+202E" in result.stderr and "nests more than" in result.stderr
    assert "more than 18 digits" in result.stderr and "whole number" in result.stderr
    stored = result.stdout.split()
    assert len(stored) == 4 and set(stored) == _ids_in_store(data_dir)
    assert "Stored 4 vouchers, 0 already there, refused 7 lines." in result.stderr


def test_a_second_run_counts_what_is_already_there(data_dir: Path, tmp_path: Path) -> None:
    source = write_lines(tmp_path / "lines.jsonl", voucher_lines(5))
    first = run(data_dir, "--lang", "en", "voucher", "import", str(source))
    again = run(data_dir, "--lang", "en", "voucher", "import", str(source))
    assert first.returncode == again.returncode == 0
    assert len(first.stdout.split()) == 5 and again.stdout == ""
    assert "Stored 0 vouchers, 5 already there, refused 0 lines." in again.stderr


def test_two_processes_importing_one_file_refuse_nothing(data_dir: Path, tmp_path: Path) -> None:
    source = write_lines(tmp_path / "lines.jsonl", voucher_lines(1_200))
    env = {**os.environ, "TREASURY_DESKTOP_HOME": str(data_dir)}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "treasury_desktop", "--lang", "en", "voucher", "import",
             str(source)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=240) for child in children]
    assert [child.returncode for child in children] == [0, 0], outputs
    printed = [out.split() for out, _ in outputs]
    assert len(printed[0]) + len(printed[1]) == 1_200
    assert not set(printed[0]) & set(printed[1])
    assert len(_ids_in_store(data_dir)) == 1_200


def test_a_full_disk_stops_the_import_and_says_what_was_stored(
    data_dir: Path, tmp_path: Path
) -> None:
    source = write_lines(tmp_path / "lines.jsonl", voucher_lines(3_000))
    if can_mount():
        disk = tmp_path / "disk"
        disk.mkdir()
        script = (
            f"mount -t tmpfs -o size=4m tmpfs {disk}; "
            f"TREASURY_DESKTOP_HOME={disk}/home; export TREASURY_DESKTOP_HOME; "
            f"{shell_command('--lang', 'en', 'voucher', 'list')} >/dev/null; "
            f"set +e; {shell_command('--lang', 'en', 'voucher', 'import', str(source))}"
            f" >{tmp_path}/out 2>{tmp_path}/err; echo $? >{tmp_path}/rc; set -e; "
            f"{shell_command('voucher', 'list', '--json')} >{tmp_path}/listed; "
            f"sqlite3 {disk}/home/treasury.sqlite3 'PRAGMA integrity_check' >{tmp_path}/check"
        )
        done = in_namespace(script, {})
        assert done.returncode == 0, done.stderr
        out, err = (tmp_path / "out").read_text(), (tmp_path / "err").read_text()
        returncode = int((tmp_path / "rc").read_text())
        listed = (tmp_path / "listed").read_text().splitlines()
        assert (tmp_path / "check").read_text().strip() == "ok"
        assert "disk holding the data" in err and "is full" in err
    else:  # no mount namespaces here: a file-size limit on the child stands in for the disk
        assert run(data_dir, "voucher", "list").returncode == 0
        size = (data_dir / "treasury.sqlite3").stat().st_size
        child = subprocess.run(
            [sys.executable, "-m", "treasury_desktop", "--lang", "en", "voucher", "import",
             str(source)],
            capture_output=True, text=True, timeout=240, preexec_fn=limit_file_size(size + 400_000),
            env={**os.environ, "TREASURY_DESKTOP_HOME": str(data_dir)},
        )
        out, err, returncode = child.stdout, child.stderr, child.returncode
        listed = run(data_dir, "voucher", "list", "--json").stdout.splitlines()
        raw = sqlite3.connect(data_dir / "treasury.sqlite3")
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        raw.close()
    assert returncode == 1 and "Traceback" not in err
    stored = out.split()
    assert 0 < len(stored) < 3_000
    assert {json.loads(line)["id"] for line in listed} == set(stored)
    assert f"Stopped at line {len(stored) + 1}:" in err, err
    assert f"Stored {len(stored)} voucher" in err


def test_list_into_a_pipe_closed_early_ends_quietly(data_dir: Path, tmp_path: Path) -> None:
    source = write_lines(tmp_path / "lines.jsonl", voucher_lines(1_500))
    assert run(data_dir, "voucher", "import", str(source)).returncode == 0
    env = {**os.environ, "TREASURY_DESKTOP_HOME": str(data_dir)}
    piped = subprocess.run(
        f"{shell_command('voucher', 'list')} | head -1", shell=True, capture_output=True,
        text=True, env=env, timeout=120,
    )
    assert piped.returncode == 0
    assert len(piped.stdout.splitlines()) == 1
    assert piped.stderr == "", piped.stderr


@pytest.mark.parametrize("split", ["\u2028", "\u0085", "\u2029", "\x0b", "\x0c", "\x1c"])
def test_lines_end_at_newline_only(data_dir: Path, tmp_path: Path, split: str) -> None:
    first = json.loads(voucher_lines(1)[0])
    first["number"] = f"12{split}5" if split in "\u2028\u2029" else "125"
    lines = [json.dumps(first, ensure_ascii=False), "{broken", voucher_lines(1)[0]]
    source = tmp_path / "lines.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(data_dir, "--lang", "en", "voucher", "import", str(source))
    assert "Line 2:" in result.stderr and "Line 3:" not in result.stderr, result.stderr
    assert len(result.stdout.split()) == 2
