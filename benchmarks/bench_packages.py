"""Package benchmarks: export, import and re-import of a batch, against the bare signature checks.

Run: .venv/bin/python benchmarks/bench_packages.py [--count 500]

Desk A holds ``count`` vouchers signed by both signers (software EC P-256 keys from a test CA,
registered on both desks); it writes them into one package. Desk B reads it (every hash and
every signature checked, every voucher stored with its signatures and audit entries), then reads
it again (nothing changes). The baseline is ``verify_detached`` alone over the same vouchers:
the floor any import must pay.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "chaos"))
sys.path.insert(0, str(HERE.parent / "tests" / "outbox"))

from signed_desk import make_kit  # noqa: E402
from signed_vouchers import seed_signed  # noqa: E402

from treasury_desktop.context import AppContext  # noqa: E402
from treasury_desktop.domain.voucher import Unit  # noqa: E402
from treasury_desktop.packages.archive import read_package  # noqa: E402
from treasury_desktop.signing.verify import verify_detached  # noqa: E402
from treasury_desktop.store.records import Actor  # noqa: E402
from treasury_desktop.usecases.package_export import PackageExporter  # noqa: E402
from treasury_desktop.usecases.package_import import ItemOutcome, importer_for  # noqa: E402

UNIT = Unit("1171277", "Trường THCS Phú Lương", "9523.2.1171277", "0011")


def _now() -> datetime:
    return datetime.now(UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        kit = make_kit(root / "ca")
        desks = []
        for name in ("a", "b"):
            (root / name).mkdir()
            ctx = AppContext(root / name, clock=lambda: date(2026, 11, 20))
            conn = ctx.connect()
            ctx.repositories(conn)[1].set_unit(UNIT)
            kit.register_on_desk(conn)
            desks.append((ctx, conn))
        (ctx_a, conn_a), (ctx_b, conn_b) = desks
        ids = seed_signed(conn_a, count, sign=kit.sign)

        started = time.perf_counter()
        exporter = PackageExporter(conn_a, Actor("bench"), _now)
        result = exporter.write(exporter.prepare(ids), root / "batch.tdpkg")
        exported = time.perf_counter() - started

        members = read_package(result.path).members
        started = time.perf_counter()
        for voucher_id in ids:
            content = members[f"vouchers/{voucher_id}/signed_bytes.json"]
            verify_detached(content, members[f"vouchers/{voucher_id}/signature.p7s"])
        floor = time.perf_counter() - started

        importer = importer_for(ctx_b, conn_b, _now)
        started = time.perf_counter()
        first = importer.import_file(result.path)
        imported = time.perf_counter() - started
        assert all(i.outcome is ItemOutcome.IMPORTED for i in first.items), first.items[:3]
        started = time.perf_counter()
        again = importer.import_file(result.path)
        reimported = time.perf_counter() - started
        assert all(i.outcome is ItemOutcome.UNCHANGED for i in again.items)
        for ctx, _ in desks:
            ctx.close()

    per = 1000 / count
    print(f"{count} vouchers, package {result.size / 1024:.0f} KiB "
          f"({result.size / count:.0f} bytes per voucher)")
    print(f"export:    {exported:6.2f} s  ({exported * per:.2f} ms per voucher)")
    print(f"import:    {imported:6.2f} s  ({imported * per:.2f} ms per voucher; "
          f"{imported / floor:.1f}x the bare signature checks, {floor * per:.2f} ms each)")
    print(f"re-import: {reimported:6.2f} s  ({reimported * per:.2f} ms per voucher,"
          " writes nothing)")


if __name__ == "__main__":
    main()
