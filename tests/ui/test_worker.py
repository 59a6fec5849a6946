"""The one background lane: results by signal on the GUI thread, errors delivered, order kept."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from treasury_desktop.ui.worker import BackgroundWorker, Outcome


def test_jobs_run_in_order_off_the_gui_thread(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    made: list[int] = []
    worker: BackgroundWorker[str] = BackgroundWorker(lambda: made.append(1) or "lane")
    seen: list[tuple[int, bool]] = []
    try:
        for i in range(20):
            worker.submit(
                lambda lane, i=i: (i, threading.get_ident() != gui and lane == "lane"),
                lambda outcome: seen.append(outcome.value),  # type: ignore[arg-type]
            )
        qtbot.waitUntil(worker.idle)
        assert seen == [(i, True) for i in range(20)]
        assert made == [1]  # the lane's resources are made once, on the worker
    finally:
        worker.close()


def test_errors_come_back_as_outcomes(qtbot: QtBot) -> None:
    worker: BackgroundWorker[None] = BackgroundWorker(lambda: None)
    outcomes: list[Outcome[object]] = []

    def fail(_lane: None) -> object:
        raise KeyError("nope")

    try:
        worker.submit(fail, outcomes.append)
        qtbot.waitUntil(worker.idle)
        assert isinstance(outcomes[0].error, KeyError)
    finally:
        worker.close()
