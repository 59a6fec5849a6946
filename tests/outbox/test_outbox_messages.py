"""Every message the outbox and sync can show exists in Vietnamese and English."""

from __future__ import annotations

import re
from pathlib import Path

from treasury_desktop.api.port import DeliveryOutcome
from treasury_desktop.domain.workflow import FINAL
from treasury_desktop.i18n import all_keys
from treasury_desktop.outbox.model import Connectivity, ItemState
from treasury_desktop.usecases.queueing import QueueOutcome

SRC = Path(__file__).parents[2] / "src" / "treasury_desktop"
FILES = [*(SRC / "outbox").glob("*.py"), *(SRC / "sync").glob("*.py"),
         SRC / "usecases" / "queueing.py", SRC / "usecases" / "sync_status.py",
         SRC / "cli" / "outbox_cmd.py"]
LITERAL = re.compile(r'(?:Message|text|ExpectedError)\(\s*"((?:outbox|sync|submit)\.[a-z_.]+)"')


def test_every_key_is_translated() -> None:
    keys = {m for path in FILES for m in LITERAL.findall(path.read_text(encoding="utf-8"))}
    keys |= {f"outbox.paused.{k}" for k in ("auth", "config")}
    keys |= {f"outbox.refused.{o.value}"
              for o in (DeliveryOutcome.CONFLICT, DeliveryOutcome.INVALID)}
    keys |= {f"outbox.state.{s.value}" for s in ItemState}
    keys |= {f"outbox.status.{c.value}" for c in Connectivity}
    keys |= {f"submit.{o.value}" for o in QueueOutcome}
    keys |= {f"sync.notify.{s.value}" for s in FINAL}
    catalog = all_keys()
    missing = sorted(k for k in keys if k not in catalog)
    assert not missing
    for key in keys:
        assert catalog[key]["vi"].strip() and catalog[key]["en"].strip(), key
    assert len(keys) > 30
