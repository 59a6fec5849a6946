"""What the outbox hands out: item states, item snapshots, the whole outbox's status.

The item's states and their groupings live in ``domain.workflow`` and the item snapshot with
its table in ``store.outbox``; they are named here too, for those who speak to the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from treasury_desktop.api.port import DeliveryOutcome
from treasury_desktop.domain.workflow import ACTIVE, ItemState
from treasury_desktop.i18n import Message
from treasury_desktop.store.outbox import OutboxItem

__all__ = [
    "ACTIVE", "AttemptResult", "Connectivity", "ItemState", "OutboxChange", "OutboxItem",
    "OutboxStatus", "RunSummary",
]


class Connectivity(StrEnum):
    """The status-bar indicator: online, offline, sending n, paused."""

    ONLINE = "online"
    OFFLINE = "offline"
    SENDING = "sending"
    PAUSED = "paused"


@dataclass(frozen=True)
class OutboxStatus:
    """The whole outbox at a glance (status bar): what it is doing and how much is left."""

    connectivity: Connectivity
    pending: int
    in_flight: int
    refused: int
    paused_reason: Message | None
    next_attempt_at: datetime | None
    contacted: bool = True  # the treasury has answered (else "connected" would be a guess)

    @property
    def empty(self) -> bool:
        """Nothing left to send."""
        return self.pending == 0 and self.in_flight == 0

    def message(self) -> Message:
        """The indicator's text as a message."""
        if self.connectivity is Connectivity.PAUSED:
            return Message("outbox.status.paused",
                           {"reason": self.paused_reason.render() if self.paused_reason else ""})
        if self.connectivity is Connectivity.SENDING:
            return Message("outbox.status.sending", {"count": self.in_flight + self.pending})
        if self.connectivity is Connectivity.OFFLINE:
            return Message("outbox.status.offline", {"count": self.pending})
        if not self.contacted:
            return Message("delivery.status.waiting", {"count": self.pending})
        return Message("outbox.status.online", {"count": self.pending})


@dataclass(frozen=True)
class OutboxChange:
    """Told to observers after every committed change: which items, and the new status."""

    voucher_ids: tuple[str, ...]
    status: OutboxStatus


@dataclass(frozen=True)
class AttemptResult:
    """How one attempt ended (the per-item result of a run)."""

    voucher_id: str
    state: ItemState
    outcome: DeliveryOutcome | None = None
    error: Message | None = None


@dataclass
class RunSummary:
    """What one :meth:`Sender.run` did: a result per attempt, and why it stopped."""

    results: list[AttemptResult] = field(default_factory=list)
    paused_reason: Message | None = None
    timed_out: bool = False

    def count(self, state: ItemState) -> int:
        """Attempts that ended in ``state``."""
        return sum(1 for r in self.results if r.state is state)
