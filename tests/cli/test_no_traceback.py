"""No command prints a traceback, whatever the input or the environment: every command run
with stdin closed, in a read-only data folder, and in a hostile environment (an ASCII-only
output encoding, a data path that is a file, no HOME, odd credentials)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from tests_harsh import (
    COMMAND,
    EXAMPLE,
    read_only_folder,
    run,
    run_script,
    voucher_lines,
    write_lines,
)

from treasury_desktop.cli.main import build_parser

DEAD = "http://127.0.0.1:9"  # nothing listens there


def _commands(tmp: Path) -> list[list[str]]:
    voucher_id = EXAMPLE["id"]
    return [
        ["voucher", "new", "--json", str(tmp / "voucher.json")],
        ["voucher", "import", str(tmp / "lines.jsonl")],
        ["voucher", "list"],
        ["voucher", "list", "--json"],
        ["voucher", "show", voucher_id],
        ["voucher", "show", voucher_id, "--json"],
        ["voucher", "show", "not-an-id"],
        ["tokens", "--module", "/nonexistent/lib.so"],
        ["signers", "list"],
        ["signers", "add", "--role", "chief-accountant", "--module", "/nonexistent/lib.so"],
        ["signers", "remove", "00" * 32],
        ["sign", voucher_id, "--role", "chief-accountant", "--module", "/nonexistent/lib.so"],
        ["export", voucher_id, "--out", str(tmp / "out")],
        ["connect", "--server", DEAD, "--unit", "1171277", "--token-stdin"],
        ["submit", voucher_id],
        ["outbox", "list"],
        ["outbox", "run", "--until-empty", "--server", DEAD, "--timeout", "2"],
        ["sync", "--server", DEAD],
        ["package", "export", voucher_id, "--out", str(tmp / "p.zip")],
        ["package", "import", str(tmp / "lines.jsonl")],
        ["package", "list"],
        ["package", "desk"],
        ["trust", "list"],
        ["trust", "add", str(tmp / "lines.jsonl")],
        ["trust", "remove", "00" * 32],
        ["tax-settings"],
        ["tax-settings", "--payer", "Công ty\u202e", "--tax-code", "9" * 400],
        ["audit", "verify"],
        ["catalog", "show", "ndkt", "--year", "2026"],
        ["catalog", "import", str(tmp / "lines.jsonl")],
        ["backup"],
        ["backup", "list"],
        ["backup", "restore", str(tmp / "lines.jsonl")],
    ]


def test_every_command_is_in_the_sweep(tmp_path: Path) -> None:
    swept = {argv[0] for argv in _commands(tmp_path)}
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert set(commands) - swept <= {"sandbox"}  # a server: runs until stopped


def _folder(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (tmp_path / "voucher.json").write_text(
        '{"id": "' + EXAMPLE["id"] + '", "payee": {"name": "\u202eX"}, "total": 5.0}',
        encoding="utf-8",
    )
    write_lines(tmp_path / "lines.jsonl", [*voucher_lines(2), "[" * 20_000, "\x00"])
    assert run(home, "voucher", "new", "--json", str(tmp_path / "voucher.json")).returncode == 1
    assert run(home, "voucher", "import", str(tmp_path / "lines.jsonl")).returncode == 1
    return home


def _sweep(tmp_path: Path, prefix: str, home: Path, env: str = "") -> list[tuple[str, str]]:
    """Run every command through ``sh``; returns (command, stderr) of each."""
    out = tmp_path / "sweep"
    out.mkdir(exist_ok=True)
    lines = []
    for n, argv in enumerate(_commands(tmp_path)):
        command = shlex.join([*COMMAND, *argv])
        lines.append(f"( exec 0<&-; {env} timeout 60 {command} ) >{out}/{n}.out 2>{out}/{n}.err"
                     f" || echo $? >{out}/{n}.rc")
    done = run_script(prefix, "set +e\n" + "\n".join(lines) + "\n", home)
    assert done.returncode == 0, done.stderr
    results = []
    for n, argv in enumerate(_commands(tmp_path)):
        results.append((" ".join(argv), (out / f"{n}.err").read_text(errors="replace")))
        rc = (out / f"{n}.rc").read_text().strip() if (out / f"{n}.rc").exists() else "0"
        assert rc in ("0", "1", "2"), (argv, rc, results[-1][1])
    return results


def _no_traceback(results: list[tuple[str, str]]) -> None:
    bad = [(command, err) for command, err in results
           if "Traceback" in err or "unexpected error" in err or "lỗi không lường trước" in err]
    assert not bad, bad


def test_every_command_with_stdin_closed(tmp_path: Path) -> None:
    home = _folder(tmp_path)
    _no_traceback(_sweep(tmp_path, "", home))


def test_every_command_in_a_read_only_folder(tmp_path: Path) -> None:
    home = _folder(tmp_path)
    with read_only_folder(home) as prefix:
        results = _sweep(tmp_path, prefix, home)
    _no_traceback(results)
    listed = dict(results)["voucher list --json"]
    assert listed == ""  # reading works in a read-only folder


@pytest.mark.parametrize(
    "env",
    [
        "PYTHONIOENCODING=ascii LC_ALL=C LANG=C",
        "TREASURY_DESKTOP_HOME=/dev/null",
        "TREASURY_DESKTOP_HOME=/proc/version/x",
        "env -u HOME -u USER -u LOGNAME TREASURY_PIN= TREASURY_API_TOKEN=' x'",
    ],
    ids=["ascii", "home-is-a-device", "home-under-a-file", "no-home"],
)
def test_every_command_in_a_bad_environment(tmp_path: Path, env: str) -> None:
    home = _folder(tmp_path)
    _no_traceback(_sweep(tmp_path, "", home, env=env))
