"""How long the status sync waits before it reads the treasury's feed again.

Soon while answers are expected (vouchers delivered, no final word yet), slower as rounds
bring no news, and slow when nothing is awaited. Sending, the user's «Cập nhật trạng thái» and
the network coming back wake the sync at once (``StatusSync.request``); this decides the rest.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SyncPace:
    """The waits between two reads of the feed, in seconds.

    While ``awaiting`` vouchers wait for an answer, the first wait is ``expecting``; each round
    that moves nothing doubles it, up to ``expecting_cap``; a round that moves something starts
    again from ``expecting``. With nothing awaited the sync reads every ``idle`` seconds.
    """

    expecting: float = 15.0
    expecting_cap: float = 120.0
    idle: float = 300.0

    def wait(self, awaiting: int, quiet_rounds: int) -> float:
        """The wait after a round, given the vouchers still awaiting an answer and how many
        rounds in a row brought no news (0: the last one moved something, or was asked for)."""
        if awaiting <= 0:
            return self.idle
        grown: float = self.expecting * 2.0 ** min(max(quiet_rounds, 0), 16)
        return min(grown, self.expecting_cap, self.idle)
