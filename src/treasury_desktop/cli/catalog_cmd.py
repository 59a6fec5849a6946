"""``catalog show KIND --year Y [--json]`` and ``catalog import FILE [--kind K --year Y]``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.domain.catalog import CatalogKind
from treasury_desktop.i18n import text
from treasury_desktop.usecases.catalog_update import CatalogUpdater

KINDS = [k.value for k in CatalogKind]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``catalog`` and its subcommands."""
    catalog = commands.add_parser("catalog", help="show or update the budget-code catalogues")
    sub = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="one code list of a fiscal year")
    show.add_argument("kind", choices=KINDS)
    show.add_argument("--year", type=int, required=True)
    show.add_argument("--json", action="store_true",
                      help="JSON lines: code, name, parent, verified")
    show.set_defaults(handler=_show)
    imp = sub.add_parser("import", help="replace lists from a JSON or .xlsx file")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--kind", choices=KINDS, help="the list an .xlsx holds")
    imp.add_argument("--year", type=int, help="the fiscal year an .xlsx is for")
    imp.set_defaults(handler=_import)


def _show(args: argparse.Namespace, ctx: AppContext) -> int:
    cat = ctx.catalog(args.year)
    kind = CatalogKind(args.kind)
    if args.json:
        for e in cat.codes(kind):
            item = {"code": e.code, "name": e.name, "parent": e.parent, "verified": e.verified}
            print(json.dumps(item, ensure_ascii=False))
        return 0
    info = cat.info(kind)
    state = "catalog.complete" if info.complete else "catalog.partial"
    print(text("catalog.header", args.lang, kind=kind.value, year=cat.fiscal_year,
               version=cat.version, basis=info.basis, state=text(state, args.lang),
               count=len(cat.codes(kind))))
    for e in cat.codes(kind):
        mark = "" if e.verified else " (?)"
        print(f"{e.code:<6} {e.name}{mark}")
    return 0


def _import(args: argparse.Namespace, ctx: AppContext) -> int:
    updater = CatalogUpdater(ctx.data_dir, ctx.clock)
    kind = CatalogKind(args.kind) if args.kind else None
    done = updater.import_file(Path(args.file), kind, args.year)
    lists = ", ".join(f"{k} ({n})" for k, n in done.counts.items())
    print(text("catalog.imported", args.lang, year=done.year, lists=lists, path=str(done.written)))
    return 0
