"""``trust list | add | remove`` as a user runs them; the shipped anchors are real CA files."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from tests.cli.test_voucher_commands import run
from tests.trust.pki import TestPki

from treasury_desktop.paths import resources_dir

NATIONAL_ROOT = "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7"


def _listed(data_dir: Path) -> dict[str, str]:
    done = run(data_dir, "trust", "list", "--json")
    assert done.returncode == 0, done.stderr
    return {a["sha256"]: a["source"] for a in json.loads(done.stdout)}


def test_each_shipped_anchor_names_its_source_and_true_fingerprint() -> None:
    files = sorted((resources_dir() / "trust").glob("*.pem"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "# Source: https://" in text, path.name
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        fingerprint = hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()
        assert f"# SHA-256: {fingerprint}" in text, path.name
        # openssl, independently, reads the same certificate and fingerprint
        shown = subprocess.run(["openssl", "x509", "-in", str(path), "-noout", "-fingerprint",
                                "-sha256"], capture_output=True, text=True, check=True)
        assert shown.stdout.strip().split("=")[1].replace(":", "").lower() == fingerprint


def test_add_list_remove(data_dir: Path, tmp_path: Path) -> None:
    pki = TestPki(tmp_path / "pki")
    listed = _listed(data_dir)
    assert listed[NATIONAL_ROOT] == "shipped"
    added = run(data_dir, "--lang", "en", "trust", "add", str(pki.root_pem))
    assert added.returncode == 0, added.stderr
    root = hashlib.sha256(pki.root_der).hexdigest()
    assert root in added.stdout
    assert _listed(data_dir)[root] == "user"
    removed = run(data_dir, "trust", "remove", root[:12])
    assert removed.returncode == 0, removed.stderr
    assert root not in _listed(data_dir)
    # a shipped anchor can be removed, and trusted again
    assert run(data_dir, "trust", "remove", NATIONAL_ROOT).returncode == 0
    assert NATIONAL_ROOT not in _listed(data_dir)
    shipped = resources_dir() / "trust" / "vietnam-national-root-ca-sha256.pem"
    assert run(data_dir, "trust", "add", str(shipped)).returncode == 0
    assert _listed(data_dir)[NATIONAL_ROOT] == "shipped"


def test_an_end_entity_certificate_or_garbage_is_refused_plainly(
    data_dir: Path, tmp_path: Path
) -> None:
    pki = TestPki(tmp_path / "pki")
    _, leaf = pki.issue("Nguyễn Văn Lá")
    leaf_file = tmp_path / "leaf.der"
    leaf_file.write_bytes(leaf)
    refused = run(data_dir, "trust", "add", str(leaf_file))
    assert refused.returncode == 1
    assert "không phải chứng thư của tổ chức cấp chứng thư" in refused.stderr
    junk = tmp_path / "junk.pem"
    junk.write_text("hello")
    assert run(data_dir, "trust", "add", str(junk)).returncode == 1
    missing = run(data_dir, "trust", "remove", "deadbeefdeadbeef")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
