"""Child process for test_autosave_kill: saves drafts in a loop, reporting each save that
returned, until it is killed."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from treasury_desktop.context import AppContext
from treasury_desktop.domain.voucher import BudgetLine, Payee
from treasury_desktop.usecases.drafting import DraftingService


def main(folder: str) -> None:
    ctx = AppContext(Path(folder))
    repo, profile = ctx.repositories()
    drafting = DraftingService(repo, profile, ctx.catalog, ctx.actor, lambda: date(2026, 11, 20))
    draft = drafting.new_draft()
    draft = draft.with_changes(payee=Payee(name="Công ty Điện lực Thái Nguyên"))
    seq = 0
    while True:
        seq += 1
        # Each keystroke-like edit changes the content; every 50th starts a new voucher.
        if seq % 50 == 0:
            draft = drafting.new_draft().with_changes(payee=draft.payee)
        draft = draft.with_changes(
            number=str(seq),
            lines=(BudgetLine(f"Tiền điện lần {seq}", "6501", "422", "072", "13", seq * 1000),),
        )
        drafting.save(draft)
        sys.stdout.write(f"{draft.id} {seq}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
