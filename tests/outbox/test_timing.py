"""Backoff: full jitter under an exponential cap, never sooner than Retry-After."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from treasury_desktop.clock import Backoff


@given(attempts=st.integers(1, 60), seed=st.integers(0, 2**32),
       retry_after=st.none() | st.floats(0, 3600))
def test_delay_is_jittered_under_the_cap(attempts: int, seed: int,
                                         retry_after: float | None) -> None:
    backoff = Backoff(base=2.0, cap=300.0)
    delay = backoff.delay(attempts, random.Random(seed), retry_after)
    ceiling = min(300.0, 2.0 * 2 ** (attempts - 1))
    if retry_after is None:
        assert 0.0 <= delay <= ceiling
    else:
        assert retry_after <= delay <= max(ceiling, retry_after)


def test_jitter_spreads_retries() -> None:
    rng = random.Random(1)
    delays = [Backoff(base=1.0, cap=64.0).delay(7, rng) for _ in range(1000)]
    assert min(delays) < 5 and max(delays) > 59  # full jitter: anywhere in [0, 64]
