"""Fixtures of the outbox tests: a desk database, a fake treasury, a fake clock."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from signed_vouchers import ACTOR

from treasury_desktop.clock import Backoff, FakeClock
from treasury_desktop.outbox.fake import FakeTreasury
from treasury_desktop.outbox.sender import Sender
from treasury_desktop.store.db import connect


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "desk.sqlite3"
    connect(path).close()
    return path


@pytest.fixture
def conn(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def treasury() -> FakeTreasury:
    return FakeTreasury()


@pytest.fixture
def make_sender(
    db_path: Path, clock: FakeClock, treasury: FakeTreasury
) -> Iterator[Callable[..., Sender]]:
    made: list[Sender] = []

    def make(port: object = None, **options: object) -> Sender:
        sender = Sender(
            lambda: connect(db_path), port or treasury, actor=ACTOR, clock=clock,  # type: ignore[arg-type]
            rng=random.Random(7), backoff=Backoff(base=1.0, cap=30.0), **options,  # type: ignore[arg-type]
        )
        made.append(sender)
        return sender

    yield make
    for sender in made:
        sender.close()
