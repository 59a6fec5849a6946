"""``voucher new | import | list | show`` as a user runs them: a real process, a real file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TREASURY_DESKTOP_HOME": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "treasury_desktop", *args],
        capture_output=True, text=True, env=env, timeout=60,
    )


def test_new_prints_the_id_and_show_json_carries_derived_fields(
    data_dir: Path, tmp_path: Path, example_document: dict[str, Any]
) -> None:
    for key in ("id", "total", "amount_in_words"):
        del example_document[key]
    path = tmp_path / "v.json"
    path.write_text(json.dumps(example_document, ensure_ascii=False), encoding="utf-8")
    created = run(data_dir, "voucher", "new", "--json", str(path))
    assert created.returncode == 0, created.stderr
    voucher_id = created.stdout.strip()
    shown = run(data_dir, "voucher", "show", voucher_id, "--json")
    document = json.loads(shown.stdout)
    assert document["id"] == voucher_id
    assert document["total"] == 1_234_000
    assert document["amount_in_words"] == "Một triệu hai trăm ba mươi tư nghìn đồng chẵn"


def test_example_fixture_is_accepted_and_a_rerun_is_harmless(
    data_dir: Path, example_file: Path
) -> None:
    first = run(data_dir, "voucher", "new", "--json", str(example_file))
    again = run(data_dir, "voucher", "new", "--json", str(example_file))
    assert first.returncode == again.returncode == 0
    assert first.stdout == again.stdout == "0193a9c6-5f1e-7c2a-9d7e-2b1c3d4e5f60\n"
    listed = run(data_dir, "voucher", "list", "--json")
    assert len(listed.stdout.splitlines()) == 1


def test_same_id_with_other_content_is_refused(
    data_dir: Path, tmp_path: Path, example_file: Path, example_document: dict[str, Any]
) -> None:
    assert run(data_dir, "voucher", "new", "--json", str(example_file)).returncode == 0
    example_document["number"] = "999"
    del example_document["total"], example_document["amount_in_words"]
    other = tmp_path / "other.json"
    other.write_text(json.dumps(example_document), encoding="utf-8")
    result = run(data_dir, "voucher", "new", "--json", str(other))
    assert result.returncode == 1
    assert "0193a9c6" in result.stderr and "Traceback" not in result.stderr


def test_invalid_voucher_exits_1_with_field_messages(
    data_dir: Path, tmp_path: Path, example_document: dict[str, Any]
) -> None:
    example_document["lines"][0]["ndkt"] = "999"
    example_document["total"] = 5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(example_document), encoding="utf-8")
    result = run(data_dir, "voucher", "new", "--json", str(path))
    assert result.returncode == 1
    assert "lines[0].ndkt" in result.stderr and "total" in result.stderr
    assert "Traceback" not in result.stderr
    assert run(data_dir, "voucher", "list", "--json").stdout == ""


def test_an_unknown_but_well_formed_code_is_stored_with_a_warning(
    data_dir: Path, tmp_path: Path, example_document: dict[str, Any]
) -> None:
    example_document["lines"][0]["ndkt"] = "6998"
    path = tmp_path / "unknown.json"
    path.write_text(json.dumps(example_document), encoding="utf-8")
    result = run(data_dir, "voucher", "new", "--json", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == example_document["id"]
    assert "lines[0].ndkt" in result.stderr and "6998" in result.stderr
    assert "Kho bạc sẽ quyết định" in result.stderr


def test_missing_and_malformed_files_are_plain_errors(data_dir: Path, tmp_path: Path) -> None:
    missing = run(data_dir, "voucher", "new", "--json", str(tmp_path / "nope.json"))
    assert missing.returncode == 1 and "nope.json" in missing.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    malformed = run(data_dir, "--lang", "en", "voucher", "new", "--json", str(broken))
    assert malformed.returncode == 1 and "not valid JSON" in malformed.stderr
    assert "Traceback" not in missing.stderr + malformed.stderr


def test_import_stores_good_lines_whole_and_reports_the_rest(
    data_dir: Path, tmp_path: Path, example_document: dict[str, Any]
) -> None:
    good = dict(example_document)
    del good["id"]
    bad_codes = json.loads(json.dumps(good))
    bad_codes["unit"]["code"] = "12"
    wrong_total = {**good, "total": 7}
    wrong_shape = {**good, "lines": [{"amount": "nhiều"}]}
    lines = [json.dumps(good), "", json.dumps(bad_codes), "{oops", json.dumps(wrong_total),
             json.dumps(wrong_shape), json.dumps(good)]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run(data_dir, "voucher", "import", str(path))
    assert result.returncode == 1
    assert len(result.stdout.split()) == 2
    for line_number in (3, 4, 5, 6):
        assert f"Dòng {line_number}:" in result.stderr
    assert "unit.code" in result.stderr and "lines[0].amount" in result.stderr
    listed = run(data_dir, "voucher", "list", "--json").stdout.splitlines()
    assert len(listed) == 2


def test_list_filters_by_status_and_usage_errors_exit_2(
    data_dir: Path, example_file: Path
) -> None:
    run(data_dir, "voucher", "new", "--json", str(example_file))
    assert run(data_dir, "voucher", "list", "--status", "draft", "--json").stdout.count("\n") == 1
    assert run(data_dir, "voucher", "list", "--status", "paid", "--json").stdout == ""
    human = run(data_dir, "voucher", "list")
    assert "1.234.000" in human.stdout and "20/11/2026" in human.stdout
    assert run(data_dir, "voucher", "frobnicate").returncode == 2
    assert run(data_dir, "voucher", "list", "--status", "nonsense").returncode == 2
    assert run(data_dir, "voucher", "show", "missing-id").returncode == 1
