"""Catalogues from the sandbox treasury: cached with ETags, written where the editor reads them."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "chaos"))

from signed_desk import TOKEN, UNIT, make_kit  # noqa: E402

from treasury_desktop.api.client import TreasuryClient  # noqa: E402
from treasury_desktop.clock import FakeClock  # noqa: E402
from treasury_desktop.domain.catalog import CatalogKind, load_catalog  # noqa: E402
from treasury_desktop.outbox.adapter import ClientPort  # noqa: E402
from treasury_desktop.sandbox.server import running_sandbox  # noqa: E402
from treasury_desktop.store.db import connect  # noqa: E402
from treasury_desktop.sync.catalogs import CatalogBook  # noqa: E402


def test_catalogues_refreshed_with_etags_and_kept_offline(tmp_path: Path) -> None:
    kit = make_kit(tmp_path / "ca")
    conn = connect(tmp_path / "desk.sqlite3")
    book = CatalogBook(conn, tmp_path, FakeClock().now)
    try:
        with running_sandbox(kit.sandbox_config()) as sandbox:
            port = ClientPort(TreasuryClient(sandbox.url, UNIT, TOKEN))
            try:
                first = book.refresh(port, 2026)
                again = book.refresh(port, 2026)
            finally:
                port.close()
        assert set(first.changed) == {k.value for k in CatalogKind}
        assert first.written == tmp_path / "catalogs" / "2026.json"
        assert again.changed == () and again.written is None
        fetched, shipped = load_catalog(2026, tmp_path), load_catalog(2026)
        assert fetched.source_path == first.written
        for kind in CatalogKind:
            assert [e.code for e in fetched.codes(kind)] == [e.code for e in shipped.codes(kind)]
    finally:
        conn.close()


def test_a_catalogue_the_app_cannot_read_is_fetched_again_next_time(tmp_path: Path) -> None:
    import pytest

    from treasury_desktop.domain.catalog import CatalogError
    from treasury_desktop.outbox.fake import FakeTreasury

    treasury = FakeTreasury()
    for kind in CatalogKind:
        treasury.catalogs[(kind.value, 2026)] = {"version": "1", "entries": [{"code": "x"}]}
    conn = connect(tmp_path / "desk.sqlite3")
    book = CatalogBook(conn, tmp_path, FakeClock().now)
    try:
        with pytest.raises(CatalogError):
            book.refresh(treasury, 2026)
        # Nothing was remembered: the next refresh asks for everything again, with no ETag.
        assert conn.execute("SELECT count(*) FROM server_cache").fetchone()[0] == 0
        with pytest.raises(CatalogError):
            book.refresh(treasury, 2026)
        assert not (tmp_path / "catalogs" / "2026.json").exists()
    finally:
        conn.close()
