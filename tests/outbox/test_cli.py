"""``submit``, ``outbox list|run`` and ``sync`` against a real sandbox on 127.0.0.1."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from signed_vouchers import seed_signed

sys.path.insert(0, str(Path(__file__).parents[1] / "chaos"))

from signed_desk import TOKEN, UNIT, make_kit  # noqa: E402

from treasury_desktop import paths  # noqa: E402
from treasury_desktop.api.connection import Connection, save_connection  # noqa: E402
from treasury_desktop.cli.main import main  # noqa: E402
from treasury_desktop.sandbox.server import running_sandbox  # noqa: E402
from treasury_desktop.store.db import connect  # noqa: E402
from treasury_desktop.store.profile import ProfileStore  # noqa: E402


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_submit_run_and_sync(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kit = make_kit(tmp_path / "ca")
    conn = connect(paths.database_path(data_dir))
    ids = seed_signed(conn, 4, sign=kit.sign)
    kit.register_on_desk(conn)
    home = ["--data-dir", str(data_dir), "--lang", "en"]
    assert main([*home, "submit", *ids]) == 0
    assert main([*home, "submit", "no-such-voucher"]) == 1
    assert "not found" in capsys.readouterr().err
    assert main([*home, "outbox", "list", "--json"]) == 0
    listed = lines(capsys.readouterr().out)
    assert [item["state"] for item in listed] == ["pending"] * 4
    with running_sandbox(kit.sandbox_config(step_seconds=0.02, return_rate=0.0)) as sandbox:
        save_connection(ProfileStore(conn), Connection(sandbox.url, UNIT))
        monkeypatch.setenv("TREASURY_API_TOKEN", "wrong-credential")
        assert main([*home, "outbox", "run", "--until-empty"]) == 1
        assert "credential" in capsys.readouterr().err
        monkeypatch.setenv("TREASURY_API_TOKEN", TOKEN)
        assert main([*home, "outbox", "run", "--until-empty", "--json"]) == 0
        (summary,) = lines(capsys.readouterr().out)
        assert summary["attempts"]["delivered"] == 4  # type: ignore[index]
        for _ in range(100):
            assert main([*home, "sync", "--json"]) == 0
            assert lines(capsys.readouterr().out)[-1]["error"] is None
            assert main([*home, "voucher", "list", "--status", "paid", "--json"]) == 0
            if len(lines(capsys.readouterr().out)) == 4:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the vouchers were not all paid")
    assert main([*home, "outbox", "list", "--json"]) == 0
    assert lines(capsys.readouterr().out) == []
    conn.close()
