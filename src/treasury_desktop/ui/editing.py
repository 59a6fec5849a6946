"""The editor's life: open, new, copy, delete, and autosave on the worker (never the GUI)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLineEdit

from treasury_desktop.domain.money import MAX_AMOUNT
from treasury_desktop.domain.problems import Problem
from treasury_desktop.domain.voucher import Voucher
from treasury_desktop.domain.workflow import EDITABLE, SIGNED, VoucherState
from treasury_desktop.store.office_names import KeptName
from treasury_desktop.store.records import StoredVoucher
from treasury_desktop.store.vouchers import SignaturesWouldBeDropped
from treasury_desktop.ui.dialogs import Prompter
from treasury_desktop.ui.editor import VoucherEditor
from treasury_desktop.ui.session import Session
from treasury_desktop.ui.texts import money, t
from treasury_desktop.ui.voucher_state import refusal_banner
from treasury_desktop.ui.worker import Outcome
from treasury_desktop.usecases.drafting import SaveResult

AUTOSAVE_MS = 400


class EditingController(QObject):
    """Keeps the editor and the store in step. ``saved`` fires after each stored save."""

    saved = Signal(object)  # SaveResult
    deleted = Signal(str)
    opened = Signal(str)

    def __init__(self, session: Session, editor: VoucherEditor, prompter: Prompter) -> None:
        super().__init__(editor)
        self._session = session
        self._editor = editor
        self._prompter = prompter
        self.voucher_id: str | None = None
        self._wanted: str | None = None  # the voucher last asked for (open)
        self.status: VoucherState | None = None  # None: new, not stored yet
        self._in_flight = False
        self._dirty = False
        self._drop_signatures = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save_now)
        editor.edited.connect(self._edited)

    # -- what the actions call ---------------------------------------------------------------

    def open(self, voucher_id: str, *, force: bool = False) -> None:
        """Show a stored voucher (read-only once it is queued or sent).

        ``force`` reads it again even if it is the one shown (its state changed elsewhere:
        signed, queued, answered by the treasury).
        """
        if voucher_id == self.voucher_id and not force:
            return
        self.flush()
        opened = self._session.take_opened(voucher_id)
        self._wanted = voucher_id  # the last voucher asked for is the one shown
        if opened is not None:  # read with the list's first page
            self._show_stored(*opened)
            return
        self._session.run(lambda lane: lane.open(voucher_id), lambda answer: (
            self._show_stored(*answer) if self._wanted == voucher_id else None))

    def new(self) -> None:
        """Start a new draft (stored at the first edit)."""
        self.flush()
        self._session.run(lambda lane: lane.drafting.new_draft(), self._show_new)

    def copy_as_new(self) -> None:
        """A new draft with the content of the voucher shown."""
        if self.voucher_id is None or self.status is None:
            return
        self.flush()
        source = self.voucher_id
        self._session.run(lambda lane: lane.drafting.copy_as_new(source), self._show_new)

    def delete(self) -> None:
        """Delete the draft shown, after asking."""
        voucher_id, status = self.voucher_id, self.status
        if voucher_id is None:
            return
        if status not in (None, VoucherState.DRAFT):
            self._prompter.inform(t("delete.title"), t("delete.not_draft"))
            return
        if not self._prompter.confirm(t("delete.title"), t("delete.question"), t("delete.yes")):
            return
        self.timer.stop()
        self._dirty = False
        self._session.run(lambda lane: lane.drafting.delete(voucher_id),
                          lambda _none: self._after_delete(voucher_id))

    def flush(self) -> None:
        """Save pending edits now (before leaving the voucher)."""
        if self.timer.isActive() or self._dirty:
            self.save_now()

    def save_now(self) -> None:
        """Hand the voucher as shown to the worker to store (Ctrl+S, or the autosave timer)."""
        self.timer.stop()
        voucher = self._editor.voucher()
        if voucher is None or self._editor.read_only:
            return
        if self._in_flight:
            self._dirty = True
            return
        if voucher.total > MAX_AMOUNT:
            # The core cannot put such a total into words or store it; say so, keep typing.
            problem = Problem("total", "total.too_large", {"max": money(MAX_AMOUNT)})
            self._editor.show_problems([problem])
            self._dirty = False
            return
        self._in_flight = True
        self._dirty = False
        self._submit(voucher, self._drop_signatures)

    def busy(self) -> bool:
        """A save is waiting or running."""
        return self._in_flight or self.timer.isActive() or self._dirty

    # -- saving ------------------------------------------------------------------------------

    def _submit(self, voucher: Voucher, drop: bool) -> None:
        self._session.worker.submit(
            lambda lane: lane.drafting.save(voucher, drop_signatures=drop),
            lambda outcome: self._saved(voucher, outcome),
        )

    def _saved(self, voucher: Voucher, outcome: Outcome[SaveResult]) -> None:
        self._in_flight = False
        error = outcome.error
        if isinstance(error, SignaturesWouldBeDropped):
            if self._prompter.confirm(t("signed.title"), t("signed.question"), t("signed.yes")):
                current = self._editor.voucher()
                still_shown = current is not None and current.id == voucher.id
                self._drop_signatures = still_shown
                self._in_flight = True
                self._dirty = False
                self._submit(current if still_shown and current else voucher, True)
            elif voucher.id == self.voucher_id:
                self.timer.stop()
                self._dirty = False
                self.voucher_id = None
                self.open(voucher.id)  # put the signed content back
            return
        if error is not None:
            self._session.on_error(error)
            return
        result = outcome.value
        assert result is not None
        if result.stored.voucher.id == self.voucher_id or self.voucher_id is None:
            self.voucher_id = result.stored.voucher.id
            self.status = result.stored.status
            self._editor.show_problems([*result.problems, *result.warnings])
            self._editor.set_saved(t("editor.saved", time=datetime.now().strftime("%H:%M:%S")))
        self.saved.emit(result)
        if self._dirty:
            self.save_now()

    def _edited(self) -> None:
        self._dirty = True
        self.timer.start()

    # -- showing -----------------------------------------------------------------------------

    def _show_stored(
        self, stored: StoredVoucher, problems: Sequence[Problem],
        office_names: Mapping[str, KeptName] | None = None,
    ) -> None:
        self.voucher_id = stored.voucher.id
        self.status = stored.status
        self._drop_signatures = False
        read_only = stored.status not in EDITABLE
        banner = refusal_banner(stored.status, stored.status_reason)  # the reason in plain view
        if read_only and not banner:
            banner = t("editor.read_only")
        elif stored.status in SIGNED:
            banner = t("editor.signed")
        self._editor.load(stored.voucher, read_only=read_only, banner=banner,
                          office_names=office_names)
        for line in self._editor.findChildren(QLineEdit):  # long texts read from their start
            line.home(False)
        self._editor.show_problems(problems)
        self._editor.set_saved("")
        self._load_payees()
        self.opened.emit(stored.voucher.id)

    def _show_new(self, voucher: Voucher) -> None:
        self.voucher_id = voucher.id
        self.status = None
        self._drop_signatures = False
        self._editor.load(voucher)
        self._editor.set_saved(t("editor.not_saved"))
        self._load_payees()
        self.opened.emit(voucher.id)
        first = self._editor.tab_fields()[0]
        self._editor.widget(first).setFocus()

    def _load_payees(self) -> None:
        self._session.run(lambda lane: lane.repo.offered_payees(200), self._editor.set_payees)

    def _after_delete(self, voucher_id: str) -> None:
        if self.voucher_id == voucher_id:
            self.voucher_id = None
            self.status = None
            # Nothing typed now may bring the deleted draft back.
            self._editor.set_read_only(True, t("editor.deleted"))
        self.deleted.emit(voucher_id)


