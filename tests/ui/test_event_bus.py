"""The window's one event bus: events published on any thread reach their handlers on the
GUI thread, in order, by type; nothing is delivered after unsubscribing or closing."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from treasury_desktop.domain.events import (
    Delivered,
    FinalWord,
    Paid,
    Paused,
    Rejected,
    StatusChanged,
    concerns,
)
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.i18n import Message
from treasury_desktop.ui.events import EventBus


def test_events_from_a_core_thread_arrive_on_the_gui_thread_in_order(qtbot: QtBot) -> None:
    bus = EventBus()
    seen: list[tuple[object, str]] = []
    finals: list[FinalWord] = []
    bus.subscribe((Delivered, StatusChanged),
                  lambda event: seen.append((event, threading.current_thread().name)))
    bus.subscribe(FinalWord, finals.append)  # Paid, Rejected, Returned alike

    def core() -> None:
        bus.publish(Delivered(("a",)))
        bus.publish(Paused(Message("outbox.paused_by_user")))  # nobody listens: dropped
        bus.publish(StatusChanged(("a", "b")))
        bus.publish(Paid("a", "12"))
        bus.publish(Rejected("b", "13", "Sai mã nguồn."))

    thread = threading.Thread(target=core, name="status-sync")
    thread.start()
    thread.join()
    assert seen == []  # queued: nothing ran on the core's thread
    qtbot.waitUntil(lambda: len(finals) == 2)
    assert seen == [(Delivered(("a",)), "MainThread"), (StatusChanged(("a", "b")), "MainThread")]
    assert [(w.status, w.reason) for w in finals] == [
        (VoucherState.PAID, ""), (VoucherState.REJECTED, "Sai mã nguồn.")]
    assert [concerns(e) for e in (seen[1][0], finals[1])] == [("a", "b"), ("b",)]


def test_nothing_arrives_after_unsubscribing_or_closing(qtbot: QtBot) -> None:
    bus = EventBus()
    first: list[object] = []
    second: list[object] = []
    stop_first = bus.subscribe(Delivered, first.append)
    bus.subscribe(Delivered, second.append)
    bus.publish(Delivered(("a",)))
    qtbot.waitUntil(lambda: len(second) == 1)
    stop_first()
    bus.publish(Delivered(("b",)))
    qtbot.waitUntil(lambda: len(second) == 2)
    assert first == [Delivered(("a",))]
    bus.publish(Delivered(("c",)))
    bus.close()  # the window closes with an event still queued
    qtbot.wait(50)
    assert second == [Delivered(("a",)), Delivered(("b",))]
