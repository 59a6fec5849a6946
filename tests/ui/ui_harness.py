"""Helpers for the window tests: seeded data folders, a fake prompter, waiting on the worker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from pytestqt.qtbot import QtBot

from treasury_desktop.context import AppContext
from treasury_desktop.domain.voucher import BudgetLine, Payee, Unit, Voucher, new_voucher_id
from treasury_desktop.domain.workflow import VoucherState
from treasury_desktop.store.profile import ProfileStore
from treasury_desktop.store.vouchers import SqliteVoucherRepository
from treasury_desktop.ui.main_window import MainWindow
from treasury_desktop.ui.session import Session

TODAY = date(2026, 11, 20)
UNIT = Unit(code="1171277", name="Trường THCS Phú Lương", account="9523.2.1171277",
            treasury="0011")
PAYEES = (
    Payee(name="Công ty Điện lực Thái Nguyên", account="102010000123456",
          bank="VietinBank Thái Nguyên"),
    Payee(name="VNPT Thái Nguyên", account="8600201001234", bank="Agribank Thái Nguyên"),
    Payee(name="Nhà sách Đông Á", account="0071000654321", bank="Vietcombank Thái Nguyên"),
)
def voucher(i: int, *, amount: int = 1_234_000, payee: Payee | None = None,
            day: int = 1, **changes: object) -> Voucher:
    """A complete, valid C2-02a/NS (the DESIGN.md example, numbered ``i``)."""
    base = Voucher(
        id=new_voucher_id(), number=str(i), date=date(2026, 1 + i % 11, day).isoformat(),
        unit=UNIT, program_code="00000", payee=payee or PAYEES[i % len(PAYEES)],
        lines=(BudgetLine(content=f"Tiền điện tháng {1 + i % 11}/2026", ndkt="6501",
                          chapter="422", industry="072", source="13", amount=amount),),
    )
    return base.with_changes(**changes)


@dataclass
class Desk:
    """A data folder with a repository to seed it (its own connection)."""

    ctx: AppContext
    repo: SqliteVoucherRepository
    profile: ProfileStore
    created: list[Voucher] = field(default_factory=list)

    def add(self, v: Voucher, status: VoucherState = VoucherState.DRAFT,
            problems: int = 0) -> Voucher:
        self.repo.create(v, problems=problems, actor=self.ctx.actor)
        path = {
            VoucherState.SIGNED_CHIEF: [VoucherState.SIGNED_CHIEF],
            VoucherState.SIGNED_HOLDER: [VoucherState.SIGNED_CHIEF, VoucherState.SIGNED_HOLDER],
            VoucherState.QUEUED: [VoucherState.SIGNED_CHIEF, VoucherState.SIGNED_HOLDER,
                                  VoucherState.QUEUED],
            VoucherState.SENT: [VoucherState.SIGNED_CHIEF, VoucherState.SIGNED_HOLDER,
                                VoucherState.QUEUED, VoucherState.SENT],
            VoucherState.REJECTED: [VoucherState.SIGNED_CHIEF, VoucherState.SIGNED_HOLDER,
                                    VoucherState.QUEUED, VoucherState.REJECTED],
        }.get(status, [])
        for step in path:
            self.repo.set_status(v.id, step, actor=self.ctx.actor)
        self.created.append(v)
        return v

    def bulk(self, count: int) -> None:
        """Many vouchers fast (no fsync per commit while seeding)."""
        conn = self.ctx.connect()
        conn.execute("PRAGMA synchronous=OFF")
        repo = SqliteVoucherRepository(conn)
        for i in range(count):
            amount = 100_000 + (i * 7919) % 50_000_000
            repo.create(voucher(i, amount=amount, day=1 + i % 28), problems=0,
                        actor=self.ctx.actor)


@dataclass
class FakePrompter:
    """Answers questions from a list (yes by default) and records everything."""

    answers: list[bool] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    crashes: list[BaseException] = field(default_factory=list)

    def confirm(self, title: str, text: str, yes: str) -> bool:
        self.questions.append(text)
        return self.answers.pop(0) if self.answers else True

    def inform(self, title: str, text: str) -> None:
        self.messages.append(text)

    def crash(self, error: BaseException) -> None:
        self.crashes.append(error)


@contextmanager
def open_window(qtbot: QtBot, desk: Desk, prompter: FakePrompter | None = None,
                *, demo: bool = False) -> Iterator[MainWindow]:
    """The main window over ``desk``, shown at its usual size, settled."""
    session = Session(desk.ctx)
    window = MainWindow(session, demo=demo, prompter=prompter or FakePrompter())
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    settle(qtbot, window)
    try:
        yield window
    finally:
        window.editing.timer.stop()
        session.close()


def settle(qtbot: QtBot, window: MainWindow, timeout: int = 5000) -> None:
    """Wait until the worker is idle and the newest list query is shown."""
    pane = window.list_pane

    def ready() -> None:
        assert window.session.worker.idle()
        assert pane.answered_generation == pane.generation
        assert not window.editing.busy()

    qtbot.waitUntil(ready, timeout=timeout)


def open_voucher(qtbot: QtBot, window: MainWindow, voucher_id: str) -> None:
    """Select a voucher in the list and wait for the editor to show it."""
    assert window.list_pane.select(voucher_id)
    qtbot.waitUntil(lambda: window.editing.voucher_id == voucher_id)
    settle(qtbot, window)
