"""The command line loads only the command it runs: the window starts without any of them."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import textwrap

from treasury_desktop.cli.main import COMMANDS, build_parser


def _registered(module_name: str) -> set[str]:
    module = importlib.import_module(f"treasury_desktop.cli.{module_name}")
    commands = argparse.ArgumentParser().add_subparsers()
    module.register(commands)
    return set(commands.choices)


def test_the_table_names_what_each_module_registers() -> None:
    for module_name in set(COMMANDS.values()):
        words = {word for word, name in COMMANDS.items() if name == module_name}
        assert _registered(module_name) == words, module_name


def test_every_command_is_listed_without_loading_it() -> None:
    parser = build_parser([])
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(actions[0].choices) == set(COMMANDS)


def _imported_after(argv: list[str]) -> set[str]:
    script = textwrap.dedent(f"""
        import sys
        from treasury_desktop.cli.main import build_parser
        build_parser({argv!r})
        print("\\n".join(sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return set(out.split())


def test_opening_the_window_loads_no_command_and_no_http() -> None:
    loaded = _imported_after(["--screenshot", "x.png"])
    assert not {f"treasury_desktop.cli.{m}" for m in COMMANDS.values()} & loaded
    assert "httpx" not in loaded and "keyring" not in loaded


def test_a_command_loads_its_own_module_only() -> None:
    loaded = _imported_after(["sync", "--json"])
    assert "treasury_desktop.cli.outbox_cmd" in loaded
    assert "treasury_desktop.cli.signing_cmd" not in loaded
    assert build_parser(["sync", "--json"]).parse_args(["sync", "--json"]).handler is not None


def test_help_lists_every_command_in_full() -> None:
    assert "voucher" in build_parser(["--help"]).format_help()
