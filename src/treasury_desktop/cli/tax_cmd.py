"""``tax-settings [--tax-code MST] [--authority NAME] …``: the unit's NỘP THUẾ settings.

A payroll sheet becomes a C2-02b/NS whose tax block is filled from these (profile key ``tax``);
blanks are filled from the unit (payer name, treasury) and the payroll (chapter, period).
Without options, prints the settings as JSON.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, replace

from treasury_desktop.context import AppContext
from treasury_desktop.sheets.payroll import TAX_FIELDS, TaxSettings

_OPTIONS = {"payer_name": "--payer", "tax_code": "--tax-code", "ndkt": "--ndkt",
            "chapter": "--chapter", "authority": "--authority",
            "authority_code": "--authority-code", "treasury": "--treasury"}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``tax-settings``."""
    parser = commands.add_parser(
        "tax-settings", help="the unit's tax settings for payroll vouchers (C2-02b/NS)")
    for field in TAX_FIELDS:
        parser.add_argument(_OPTIONS[field], dest=field, metavar="VALUE")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, ctx: AppContext) -> int:
    """Change the given settings, then print them all."""
    _, profile = ctx.repositories()
    settings = TaxSettings.from_profile(profile.get("tax"))
    changes = {f: getattr(args, f).strip() for f in TAX_FIELDS if getattr(args, f) is not None}
    if changes:
        settings = replace(settings, **changes)
        profile.set("tax", asdict(settings))
    print(json.dumps(asdict(settings), ensure_ascii=False, indent=2))
    return 0
