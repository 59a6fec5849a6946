"""``--demo``: a throwaway data folder seeded with the demo unit and vouchers."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.demo.seed import seed_demo
from treasury_desktop.i18n import Lang
from treasury_desktop.usecases.drafting import DraftingService


@contextmanager
def open_demo(lang: Lang = "vi") -> Iterator[AppContext]:
    """Open a fresh demo data folder; it is deleted when the demo closes."""
    folder = Path(tempfile.mkdtemp(prefix="treasury-demo-"))
    ctx = AppContext(folder, lang=lang)
    try:
        repo, profile = ctx.repositories()
        drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, ctx.clock)
        seed_demo(repo, profile, drafting, ctx.clock())
        yield ctx
    finally:
        ctx.close()
        shutil.rmtree(folder, ignore_errors=True)
